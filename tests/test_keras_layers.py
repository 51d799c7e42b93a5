"""Keras's Dense, SimpleRNN and LSTM, batch first: forwards equal Keras's equations, backwards equal
centered finite differences of their own forwards, initial weights follow Keras's initialisers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from shapecheck.engine.initializers import glorot_uniform, lstm_bias, orthogonal
from shapecheck.engine.activations import KERAS_ACTIVATIONS as ACTIVATIONS
from shapecheck.engine.activations import Tanh
from shapecheck.layers.dense.spec import Dense
from shapecheck.layers.lstm.spec import LSTM
from shapecheck.layers.runtime import standalone_weights
from shapecheck.layers.simple_rnn.spec import SimpleRNN

from finite_differences import centered_differences, difference_beyond_noise

EXAMPLES = settings(max_examples=60, deadline=None)
ELEMENTWISE = ("linear", "relu", "leaky_relu", "tanh", "sigmoid")


def check_layer(spec, x_shape, seed, scale=0.7):
    """Analytic ∂J/∂(weights, x) against centered differences, J = Σ forward(x) ∗ R; returns the course's
    difference of what rounding cannot explain (a saturated tanh has gradients near J's rounding noise)."""
    rng = np.random.default_rng(seed)
    layer = spec.runtime(x_shape[1:])
    weights, grads = standalone_weights(layer, seed)
    for w in weights:  # away from the initial values: biases non-zero, gates not all near 0.5
        w += rng.normal(0.0, scale, w.shape)
    x = rng.normal(size=x_shape)
    R = rng.normal(size=layer.forward(x).shape)

    def J() -> float:
        return float(np.sum(layer.forward(x) * R))

    J()
    dx = layer.backward(R).copy()
    analytic = np.concatenate([g.ravel() for g in grads] + [dx.ravel()])

    def centered(eps: float) -> np.ndarray:
        return np.concatenate([centered_differences(J, array, eps).ravel() for array in (*weights, x)])

    eps = 1e-6
    numeric = centered(eps)
    found = difference_beyond_noise(analytic, numeric, J(), eps)
    if found >= 1e-7 and difference_beyond_noise(centered(eps / 4), numeric, J(), eps / 4) >= 1e-7:
        # a kink within the step (relu's at 0: seed 880 drew a pre-activation of -4.8e-7): the centered difference
        # changes with the step, so it is no derivative there and the example says nothing (a wrong gradient
        # disagrees with both steps alike, and fails)
        assume(False)
    return found


sizes = st.integers(1, 4)


@EXAMPLES
@given(units=sizes, input_dim=sizes, timesteps=sizes, batch=st.integers(1, 3), sequences=st.booleans(), seed=st.integers(0, 999))
def test_lstm_backward_equals_centered_differences(units, input_dim, timesteps, batch, sequences, seed):
    spec = LSTM(units, return_sequences=sequences)
    assert check_layer(spec, (batch, timesteps, input_dim), seed) < 1e-7


@EXAMPLES
@given(units=sizes, input_dim=sizes, timesteps=sizes, batch=st.integers(1, 3), sequences=st.booleans(),
       activation=st.sampled_from(ELEMENTWISE + ("softmax",)), seed=st.integers(0, 999))
@example(units=1, input_dim=1, timesteps=2, batch=3, sequences=False, activation="relu", seed=880)   # a kink in a step
def test_simple_rnn_backward_equals_centered_differences(units, input_dim, timesteps, batch, sequences, activation, seed):
    spec = SimpleRNN(units, activation=activation, return_sequences=sequences)
    assert check_layer(spec, (batch, timesteps, input_dim), seed) < 1e-7


@EXAMPLES
@given(units=sizes, input_dim=sizes, lead=st.lists(st.integers(1, 3), min_size=1, max_size=2),
       activation=st.sampled_from(ELEMENTWISE + ("softmax",)), seed=st.integers(0, 999))
def test_dense_backward_equals_centered_differences_on_2d_and_3d_input(units, input_dim, lead, activation, seed):
    spec = Dense(units, activation=activation)
    assert check_layer(spec, (*lead, input_dim), seed) < 1e-7


@pytest.mark.parametrize("activation, recurrent_activation", [("relu", "tanh"), ("linear", "softmax"), ("sigmoid", "leaky_relu")])
def test_lstm_with_other_activations_backward_equals_centered_differences(activation, recurrent_activation):
    spec = LSTM(3, activation=activation, recurrent_activation=recurrent_activation, return_sequences=True)
    assert check_layer(spec, (2, 3, 2), seed=4) < 1e-7


class _TanhWithoutDerivative(Tanh):
    """tanh whose backward forgets the factor 1 − tanh²: the classic slip."""

    def backward(self, a, z, da, out, scratch):
        np.copyto(out, da)
        return out


def test_the_gradient_check_can_fail(monkeypatch):
    """Meta-test: with a wrong backward for tanh, check_layer reports a large difference."""
    monkeypatch.setitem(ACTIVATIONS, "tanh", _TanhWithoutDerivative())
    assert check_layer(LSTM(2), (2, 3, 1), seed=0) > 1e-3
    assert check_layer(SimpleRNN(2), (2, 3, 1), seed=0) > 1e-3


# --- forwards: Keras's equations, written the obvious way ------------------------------------------


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def keras_lstm_reference(x, kernel, recurrent_kernel, bias, sequences):
    """Keras's LSTMCell, gate by gate: split the kernels into i, f, c, o blocks of `units` columns."""
    batch, T, _ = x.shape
    units = recurrent_kernel.shape[0]
    k_i, k_f, k_c, k_o = np.split(kernel, 4, axis=1)
    r_i, r_f, r_c, r_o = np.split(recurrent_kernel, 4, axis=1)
    b_i, b_f, b_c, b_o = np.split(bias, 4)
    h, c = np.zeros((batch, units)), np.zeros((batch, units))
    outputs = []
    for t in range(T):
        x_t = x[:, t, :]
        i = sigmoid(x_t @ k_i + h @ r_i + b_i)
        f = sigmoid(x_t @ k_f + h @ r_f + b_f)
        c = f * c + i * np.tanh(x_t @ k_c + h @ r_c + b_c)
        o = sigmoid(x_t @ k_o + h @ r_o + b_o)
        h = o * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1) if sequences else h


@EXAMPLES
@given(units=sizes, input_dim=sizes, timesteps=sizes, batch=st.integers(1, 3), sequences=st.booleans(), seed=st.integers(0, 999))
def test_lstm_forward_is_keras_gate_order_i_f_c_o(units, input_dim, timesteps, batch, sequences, seed):
    layer = LSTM(units, return_sequences=sequences).runtime((timesteps, input_dim))
    (kernel, recurrent_kernel, bias), _ = standalone_weights(layer, seed)
    bias += np.random.default_rng(seed).normal(size=bias.shape)
    x = np.random.default_rng(seed + 1).normal(size=(batch, timesteps, input_dim))
    expected = keras_lstm_reference(x, kernel, recurrent_kernel, bias, sequences)
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-12, atol=1e-14)


@EXAMPLES
@given(units=sizes, input_dim=sizes, timesteps=sizes, batch=st.integers(1, 3), seed=st.integers(0, 999))
def test_simple_rnn_forward_is_kerass_recurrence(units, input_dim, timesteps, batch, seed):
    layer = SimpleRNN(units, return_sequences=True).runtime((timesteps, input_dim))
    (kernel, recurrent_kernel, bias), _ = standalone_weights(layer, seed)
    bias += 0.3
    x = np.random.default_rng(seed).normal(size=(batch, timesteps, input_dim))
    h = np.zeros((batch, units))
    expected = []
    for t in range(timesteps):
        h = np.tanh(x[:, t] @ kernel + bias + h @ recurrent_kernel)
        expected.append(h)
    np.testing.assert_allclose(layer.forward(x), np.stack(expected, axis=1), rtol=1e-12, atol=1e-14)


def test_dense_on_3d_input_acts_on_the_last_axis():
    layer = Dense(3, activation="relu").runtime((5, 4))
    (kernel, bias), _ = standalone_weights(layer, 1)
    x = np.random.default_rng(2).normal(size=(2, 5, 4))
    out = layer.forward(x)
    assert out.shape == (2, 5, 3)
    np.testing.assert_allclose(out, np.maximum(x @ kernel + bias, 0.0), rtol=1e-13)


def test_forward_does_not_modify_its_input():
    layer = LSTM(3, return_sequences=True).runtime((4, 2))
    standalone_weights(layer, 0)
    x = np.random.default_rng(0).normal(size=(2, 4, 2))
    before = x.copy()
    layer.forward(x)
    layer.backward(np.ones((2, 4, 3)))
    np.testing.assert_array_equal(x, before)


# --- the lesson's quiet surprise, at the layer -----------------------------------------------------


@pytest.mark.parametrize("timesteps, expect_zero", [(1, True), (2, False), (5, False)])
def test_recurrent_kernel_gets_gradient_only_when_there_is_a_previous_step(timesteps, expect_zero):
    layer = LSTM(4).runtime((timesteps, 1))
    _, (d_kernel, d_recurrent, d_bias) = standalone_weights(layer, 0)
    layer.forward(np.random.default_rng(0).normal(size=(3, timesteps, 1)))
    d_recurrent[...] = np.nan  # must be assigned by backward, not left over
    layer.backward(np.ones((3, 4)))
    assert np.all(d_recurrent == 0.0) == expect_zero
    assert np.abs(d_kernel).max() > 0 and np.isfinite(d_recurrent).all()


# --- activations --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_stay_finite_and_silent_for_huge_inputs(name):
    z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    g = ACTIVATIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        a = g.forward(z, np.empty_like(z))
        dz = g.backward(a, z, np.ones_like(z), np.empty_like(z), np.empty_like(z))
    assert np.isfinite(a).all() and np.isfinite(dz).all()


def test_sigmoid_and_leaky_relu_are_kerass():
    z = np.linspace(-5, 5, 11)[None, :]
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].forward(z, np.empty_like(z)), sigmoid(z), rtol=1e-14)
    leaky = ACTIVATIONS["leaky_relu"].forward(z, np.empty_like(z))
    np.testing.assert_allclose(leaky, np.where(z > 0, z, 0.2 * z))  # Keras 3's negative_slope=0.2


# --- initial weights ----------------------------------------------------------------------------


@given(rows=st.integers(1, 12), cols=st.integers(1, 48), seed=st.integers(0, 999))
@settings(max_examples=30, deadline=None)
def test_orthogonal_has_orthonormal_rows_or_columns(rows, cols, seed):
    q = orthogonal(np.random.default_rng(seed), (rows, cols))
    assert q.shape == (rows, cols)
    gram = q @ q.T if rows <= cols else q.T @ q
    np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-12)


def test_glorot_uniform_stays_within_its_limit_and_fills_it():
    w = glorot_uniform(np.random.default_rng(0), (10, 40))
    limit = np.sqrt(6 / (10 + 40))
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.95 * limit  # 400 draws: some land near the edge


def test_lstm_initial_bias_is_one_on_the_forget_gate_only():
    np.testing.assert_array_equal(lstm_bias(3), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_initial_weights_are_kerass_defaults():
    layer = LSTM(5).runtime((1, 2))
    (kernel, recurrent_kernel, bias), _ = standalone_weights(layer, 3)
    assert kernel.shape == (2, 20) and recurrent_kernel.shape == (5, 20) and bias.shape == (20,)
    assert np.abs(kernel).max() <= np.sqrt(6 / (2 + 20))
    np.testing.assert_allclose(recurrent_kernel @ recurrent_kernel.T, np.eye(5), atol=1e-12)
    np.testing.assert_array_equal(bias, lstm_bias(5))
    rnn = SimpleRNN(4).runtime((1, 3))
    (_, r, b), _ = standalone_weights(rnn, 3)
    np.testing.assert_allclose(r @ r.T, np.eye(4), atol=1e-12)
    assert not b.any()
