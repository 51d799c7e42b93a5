"""Gradient checks of the course's LSTM (lstm_backward) and of the Keras-like Sequential's backward."""

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck import strategies as sst
from shapecheck.gradients.fastcheck_lstm import LSTM_PARAMS, gradcheck_lstm, lstm_numeric, lstm_rounding_scale
from shapecheck.gradients.model_check import gradcheck_model
from shapecheck.gradients.gradcheck import NOISE_MARGIN, rounding_noise
from shapecheck.engine.rnn import lstm_backward, lstm_forward
from shapecheck.core.errors import ShapecheckError

EPS = 1e-7


@st.composite
def lstms(draw):
    """(parameters, x, a0): the course's LSTM with random sizes; shrinks towards n_a = n_x = m = T_x = 1."""
    n_a, n_x, m, T_x = (draw(st.integers(1, 4)) for _ in range(4))
    rng = np.random.default_rng(draw(sst.seeds()))
    scale = draw(st.sampled_from([0.1, 0.7, 1.5]))
    p = {f"W{g}": rng.standard_normal((n_a, n_a + n_x)) * scale for g in "fico"}
    p |= {f"b{g}": rng.standard_normal((n_a, 1)) for g in "fico"}
    p |= {"Wy": rng.standard_normal((2, n_a)), "by": np.zeros((2, 1))}
    return p, rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))


def naive_lstm(p, x, a0, da, name):
    """Two whole lstm_forward passes per coordinate."""
    theta = {**p, "x": x, "a0": a0}
    out = np.empty(theta[name].size)
    for i in range(theta[name].size):
        J = []
        for sign in (1, -1):
            moved = {n: v.copy() for n, v in theta.items()}
            moved[name].flat[i] = theta[name].flat[i] + sign * EPS
            J.append(float(np.sum(lstm_forward(moved["x"], moved["a0"], moved)[0] * da)))
        out[i] = (J[0] - J[1]) / (2 * EPS)
    return out


@settings(max_examples=40, deadline=None)
@given(lstms(), st.integers(1, 7))
def test_batched_lstm_differences_equal_the_naive_loop_within_its_rounding(case, chunk):
    p, x, a0 = case
    a = lstm_forward(x, a0, p)[0]
    da = np.random.default_rng(0).standard_normal(a.shape)
    theta = {**p, "x": x, "a0": a0}
    scale = lstm_rounding_scale(a, da)
    for name in (*LSTM_PARAMS, "x", "a0"):
        fast = lstm_numeric(theta, da, name, np.arange(theta[name].size), EPS, chunk)
        slow = naive_lstm(p, x, a0, da, name)
        note(f"{name}: {fast} {slow}")
        assert np.all(np.abs(fast - slow) <= NOISE_MARGIN * rounding_noise(scale, EPS, theta[name].ravel(), slow))


@settings(max_examples=40, deadline=None)
@given(lstms(), st.sampled_from(["full", "sample", "directional"]))
def test_the_engines_lstm_backward_passes_in_every_mode(case, mode):
    p, x, a0 = case
    report = gradcheck_lstm(p, x, a0, mode=mode)
    assert report.passed, report.conclusion()
    assert {t.name for t in report.tensors} >= ({"dx", "da0"} if mode != "directional" else set())


def test_every_lstm_gradient_is_checked_inputs_last():
    p, x, a0 = _lesson_lstm()
    report = gradcheck_lstm(p, x, a0)
    assert [t.name for t in report.tensors] == ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo", "da0", "dx"]
    assert report.method == "fast_exact" and report.evaluations == 2 * report.parameters


def _lesson_lstm(n_a=3, n_x=2, m=4, T_x=5):
    rng = np.random.default_rng(3)
    p = {f"W{g}": rng.standard_normal((n_a, n_a + n_x)) for g in "fico"}
    p |= {f"b{g}": rng.standard_normal((n_a, 1)) for g in "fico"}
    return p, rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))


@pytest.mark.parametrize("tamper, name, kind", [
    (lambda g: {**g, "dWf": 2 * g["dWf"]}, "dWf", "factor"),
    (lambda g: {**g, "dbo": -g["dbo"]}, "dbo", "opposite_sign"),
    (lambda g: {**g, "dbc": g["dbc"].ravel()}, "dbc", "rank1"),
    (lambda g: {**g, "dx": np.zeros_like(g["dx"])}, "dx", "zero_analytic"),
])
def test_a_wrong_lstm_gradient_is_named_with_its_pattern(tamper, name, kind):
    p, x, a0 = _lesson_lstm()
    a, _, _, caches = lstm_forward(x, a0, {**p, "Wy": np.zeros((1, 3)), "by": np.zeros((1, 1))})
    da = np.random.default_rng(0).standard_normal(a.shape)
    grads = tamper(lstm_backward(da, caches))
    report = gradcheck_lstm(p, x, a0, da=da, grads=grads)
    assert report.first_failure.name == name and report.first_failure.pattern.kind == kind
    assert [t.name for t in report.tensors if not t.passed] == [name]


def test_lstm_bad_input_is_one_sentence():
    p, x, a0 = _lesson_lstm()
    with pytest.raises(ShapecheckError, match="da has shape"):
        gradcheck_lstm(p, x, a0, da=np.ones((3, 4)))
    with pytest.raises(ShapecheckError, match="n_a"):
        gradcheck_lstm(p, x, a0[:2])


# --- the Sequential ------------------------------------------------------------------------------------


def _lesson_model():
    model = sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1, activation="linear")], seed=0)
    model.compile(loss="mse", optimizer="adam")
    X = np.array([0.0, 0.1, 0.2, 0.3]).reshape(4, 1, 1)
    return model, X, np.array([0.1, 0.2, 0.3, 0.4])


@pytest.mark.parametrize("mode", ["full", "sample", "directional"])
def test_the_keras_lesson_model_passes_before_and_after_training(mode):
    model, X, y = _lesson_model()
    assert sc.gradcheck_network(model, None, X, y, mode=mode).passed
    model.fit(X, y, epochs=100, shuffle=False, verbose=0)  # nearly fits: J small, rounding is not
    weights = model.get_weights()
    report = gradcheck_model(model, X, y, mode=mode)
    assert report.passed, report.conclusion()
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))  # put back exactly


def test_the_model_check_names_keras_weights_in_backward_order():
    model, X, y = _lesson_model()
    report = gradcheck_model(model, X, y)
    assert [t.name for t in report.tensors] == ["dense/bias", "dense/kernel", "lstm/bias", "lstm/recurrent_kernel",
                                                "lstm/kernel"]
    assert report.parameters == 491


def test_a_broken_layer_backward_fails_and_is_named():
    model, X, y = _lesson_model()
    layer = model._engine().layers[-1]
    backward = layer.backward

    def doubled(*args, **kwargs):  # a Dense whose kernel gradient is twice what it should be
        out = backward(*args, **kwargs)
        layer.d_kernel *= 2
        return out

    layer.backward = doubled
    report = gradcheck_model(model, X, y)
    assert not report.passed and report.first_failure.name == "dense/kernel"
    assert report.first_failure.pattern.kind == "factor" and report.first_failure.pattern.factor == pytest.approx(2)


@settings(max_examples=25, deadline=None)
@given(sst.sequential_specs(max_units=4, max_timesteps=3, max_features=3), st.integers(0, 2**16))
def test_random_sequential_models_pass(model, seed):
    model.seed = seed
    rng = np.random.default_rng(seed)
    model.compile(loss="mse")
    runtime = model._engine()
    x = rng.standard_normal((3, *model.layers[0].input_shape))
    y = rng.standard_normal((3, *runtime.output_shape))
    report = gradcheck_model(model, x, y)
    note(report.to_text(120))
    assert report.passed, report.conclusion()


def test_weights_given_are_checked_and_the_models_own_put_back():
    model, X, y = _lesson_model()
    before = model.get_weights()
    other = [w + 0.1 for w in before]
    report = gradcheck_model(model, X, y, weights=other)
    assert report.passed
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_an_uncompiled_model_is_one_sentence():
    model = sc.Sequential([sc.Dense(1, input_shape=(2,))])
    with pytest.raises(ShapecheckError, match="compile"):
        gradcheck_model(model, np.ones((3, 2)), np.ones(3))
