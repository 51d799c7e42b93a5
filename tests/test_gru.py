"""Keras's GRU (reset_after=True): the layer equals Keras's equations, its backward equals centered
differences, and it lives everywhere a layer does (spec, summary, trace, weights, fit, gradient check)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.core.errors import ShapecheckError
from shapecheck.engine.activations import KERAS_ACTIVATIONS as ACTIVATIONS
from shapecheck.gradients.model_check import gradcheck_model
from shapecheck.layers.gru.spec import GRU
from shapecheck.layers.runtime import standalone_weights

from test_keras_layers import _TanhWithoutDerivative, check_layer

EXAMPLES = settings(max_examples=60, deadline=None)
sizes = st.integers(1, 4)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def keras_gru_reference(x, kernel, recurrent_kernel, bias, sequences):
    """Keras's GRUCell with reset_after=True, written the obvious way: blocks z, r, h of `units` columns."""
    batch, T, _ = x.shape
    units = recurrent_kernel.shape[0]
    h = np.zeros((batch, units))
    outputs = []
    for t in range(T):
        x_z, x_r, x_h = np.split(x[:, t] @ kernel + bias[0], 3, axis=1)
        r_z, r_r, r_h = np.split(h @ recurrent_kernel + bias[1], 3, axis=1)
        z, r = sigmoid(x_z + r_z), sigmoid(x_r + r_r)
        hh = np.tanh(x_h + r * r_h)
        h = z * h + (1 - z) * hh
        outputs.append(h)
    return np.stack(outputs, axis=1) if sequences else h


@EXAMPLES
@given(units=sizes, input_dim=sizes, timesteps=sizes, batch=st.integers(1, 3), sequences=st.booleans(), seed=st.integers(0, 999))
def test_gru_backward_equals_centered_differences(units, input_dim, timesteps, batch, sequences, seed):
    assert check_layer(GRU(units, return_sequences=sequences), (batch, timesteps, input_dim), seed) < 1e-7


@pytest.mark.parametrize("activation, recurrent_activation", [("relu", "sigmoid"), ("tanh", "softmax"), ("linear", "tanh")])
def test_gru_with_other_activations_backward_equals_centered_differences(activation, recurrent_activation):
    spec = GRU(3, activation=activation, recurrent_activation=recurrent_activation, return_sequences=True)
    assert check_layer(spec, (2, 3, 2), seed=4) < 1e-7


KERAS_G = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": lambda v: np.maximum(v, 0.0), "linear": lambda v: v,
           "softmax": lambda v: np.exp(v - v.max(-1, keepdims=True)) / np.exp(v - v.max(-1, keepdims=True)).sum(-1, keepdims=True)}


@settings(max_examples=30, deadline=None)
@given(activation=st.sampled_from(sorted(KERAS_G)), recurrent_activation=st.sampled_from(sorted(KERAS_G)), units=sizes,
       timesteps=sizes, batch=st.integers(1, 3), seed=st.integers(0, 999))
def test_gru_with_other_activations_is_kerass_formulation(activation, recurrent_activation, units, timesteps, batch, seed):
    """Keras's activations act on (batch, units): softmax over each gate's units, never over the batch."""
    rng = np.random.default_rng(seed)
    layer = GRU(units, activation=activation, recurrent_activation=recurrent_activation,
                return_sequences=True).runtime((timesteps, 2))
    kernel, recurrent_kernel, bias = standalone_weights(layer, seed)[0]
    bias += rng.normal(0.0, 0.3, bias.shape)
    x = rng.normal(size=(batch, timesteps, 2))
    g, gate_g = KERAS_G[activation], KERAS_G[recurrent_activation]
    h, expected = np.zeros((batch, units)), []
    for t in range(timesteps):
        x_z, x_r, x_h = np.split(x[:, t] @ kernel + bias[0], 3, axis=1)
        r_z, r_r, r_h = np.split(h @ recurrent_kernel + bias[1], 3, axis=1)
        z, r = gate_g(x_z + r_z), gate_g(x_r + r_r)
        hh = g(x_h + r * r_h)
        h = z * h + (1 - z) * hh
        expected.append(h)
    np.testing.assert_allclose(layer.forward(x), np.stack(expected, axis=1), rtol=1e-12, atol=1e-12)


def test_the_gru_gradient_check_can_fail(monkeypatch):
    """Meta-test: a tanh whose backward forgets 1 − tanh² is caught in the GRU too."""
    monkeypatch.setitem(ACTIVATIONS, "tanh", _TanhWithoutDerivative())
    assert check_layer(GRU(2), (2, 3, 1), seed=0) > 1e-3


@EXAMPLES
@given(units=sizes, input_dim=sizes, timesteps=sizes, batch=st.integers(1, 3), sequences=st.booleans(), seed=st.integers(0, 999))
def test_gru_forward_is_kerass_reset_after_formulation(units, input_dim, timesteps, batch, sequences, seed):
    layer = GRU(units, return_sequences=sequences).runtime((timesteps, input_dim))
    rng = np.random.default_rng(seed)
    weights, _ = standalone_weights(layer, seed)
    for w in weights:
        w += rng.normal(0.0, 0.5, w.shape)
    x = rng.normal(size=(batch, timesteps, input_dim))
    np.testing.assert_allclose(layer.forward(x), keras_gru_reference(x, *weights, sequences), rtol=1e-12, atol=1e-14)


def test_a_saturated_gru_stays_finite_and_silent():
    layer = GRU(3, return_sequences=True).runtime((3, 2))
    weights, _ = standalone_weights(layer, 0)
    weights[2][...] = 1e4
    with np.errstate(all="raise"):
        out = layer.forward(np.full((2, 3, 2), 1e3))
        layer.backward(np.ones_like(out))
    assert np.isfinite(out).all()


# --- a layer like the others --------------------------------------------------------------------------


def test_summary_counts_kerass_params_and_names_the_formula():
    model = sc.Sequential([sc.GRU(4, input_shape=(5, 3)), sc.Dense(1)])
    summary = sc.trace(model).summary()
    gru = summary.layers[0]
    assert (gru.type, gru.output_shape, gru.params) == ("GRU", (None, 4), 3 * (4 * (4 + 3) + 2 * 4))
    assert "3·(4·(4 + 3) + 2·4) = 108" in gru.formula
    assert model.count_params() == 108 + 5


def test_trace_rows_are_kerass_layout():
    trace = sc.trace(sc.Sequential([sc.GRU(4, input_shape=(5, 3), return_sequences=True), sc.GRU(2)]), m=7)
    sizes = {row.tensor: tuple(row.size) for row in trace.rows}
    assert sizes["gru/kernel"] == (3, 12) and sizes["gru/recurrent_kernel"] == (4, 12) and sizes["gru/bias"] == (2, 12)
    assert sizes["gru/output"] == (7, 5, 4)
    assert sizes["gru_1/kernel"] == (4, 6) and sizes["gru_1/output"] == (7, 2)
    assert "z, r, h" in trace.row("gru/kernel").rule


def test_weights_are_kerass_order_and_layout_and_initial_values():
    model = sc.Sequential([sc.GRU(4, input_shape=(5, 3)), sc.Dense(1)], seed=0)
    model.compile(loss="mse")
    assert model._engine().weight_names() == ["gru/kernel", "gru/recurrent_kernel", "gru/bias", "dense/kernel", "dense/bias"]
    kernel, recurrent, bias, *_ = model.get_weights()
    assert (kernel.shape, recurrent.shape, bias.shape) == ((3, 12), (4, 12), (2, 12))
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(4), atol=1e-12)   # orthogonal
    assert np.all(bias == 0)
    new = [w + 1.0 for w in model.get_weights()]
    model.set_weights(new)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), new))


def test_a_spec_file_gru_loads_with_kerass_argument_names(tmp_path):
    spec = tmp_path / "m.toml"
    spec.write_text('[[sequential]]\ntype = "GRU"\nunits = 8\ninput_shape = [10, 3]\nreturn_sequences = true\n\n'
                    '[[sequential]]\ntype = "GRU"\nunits = 4\nrecurrent_activation = "tanh"\n\n'
                    '[[sequential]]\ntype = "Dense"\nunits = 1\n')
    assert repr(sc.load_spec(spec)) == ("Sequential([GRU(8, return_sequences=True, input_shape=(10, 3)), "
                                        "GRU(4, recurrent_activation='tanh'), Dense(1)])")


def test_reset_after_false_is_one_sentence_with_the_fix():
    with pytest.raises(ShapecheckError) as caught:
        sc.GRU(4, reset_after=False)
    text = str(caught.value)
    assert "\n" not in text and "reset_after=True" in text and "Fix" in text


def test_stacked_grus_train_and_pass_the_gradient_check():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 6, 3))
    y = X.mean(axis=1)[:, :2]                                     # learnable: what the sequence averages
    model = sc.Sequential([sc.GRU(5, return_sequences=True, input_shape=(6, 3)), sc.LSTM(4), sc.Dense(2)], seed=1)
    model.compile(loss="mse", optimizer=sc.Adam(learning_rate=0.02))
    assert gradcheck_model(model, X, y).passed
    history = model.fit(X, y, epochs=30, batch_size=8, shuffle=False, verbose=0).history["loss"]
    assert history[-1] < 0.8 * history[0]
    report = gradcheck_model(model, X, y)
    assert report.passed, report.conclusion()
    assert [t.name for t in report.tensors][-3:] == ["gru/bias", "gru/recurrent_kernel", "gru/kernel"]
