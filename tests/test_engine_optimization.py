"""Mini-batches, momentum, Adam, learning-rate decay, clipping, sampling and the Dinosaurus RNN."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shapecheck.engine import adam, char_rnn, clipping, gd, lr_decay, minibatches, momentum, sampling

from course_numerics import numeric_gradients
from finite_differences import assert_close


@given(st.integers(1, 40), st.integers(1, 16), st.integers(0, 1000))
def test_mini_batches_partition_the_notebooks_permutation(m, size, seed):
    X = np.arange(2 * m, dtype=float).reshape(2, m)
    Y = np.arange(m, dtype=float).reshape(1, m) * 10
    batches = minibatches.random_mini_batches(X, Y, size, seed)
    assert len(batches) == math.ceil(m / size)
    assert [b[0].shape[1] for b in batches[:-1]] == [size] * (len(batches) - 1)
    assert batches[-1][0].shape[1] == (m % size or size)  # the last, partial batch
    np.random.seed(seed)
    permutation = list(np.random.permutation(m))
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches], axis=1), X[:, permutation])
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches], axis=1), Y[:, permutation])


def dense(seed, dims=(3, 4, 2)):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):  # noqa: E741
        params[f"W{l}"], params[f"b{l}"] = rng.standard_normal((dims[l], dims[l - 1])), rng.standard_normal((dims[l], 1))
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    return params, grads


def test_momentum_with_beta_zero_is_gradient_descent_and_leaves_inputs_alone():
    params, grads = dense(0)
    before = {k: v.copy() for k, v in params.items()}
    v = momentum.initialize_velocity(params)
    assert set(v) == {"dW1", "db1", "dW2", "db2"} and v["dW1"].shape == (4, 3) and not v["db2"].any()
    moved, v1 = momentum.update_parameters_with_momentum(params, grads, v, beta=0.0, learning_rate=0.1)
    plain = gd.update_parameters_with_gd(params, grads, 0.1)
    for k in params:
        np.testing.assert_allclose(moved[k], plain[k])
        np.testing.assert_array_equal(params[k], before[k])
    np.testing.assert_allclose(v1["dW1"], grads["dW1"])
    assert not v["dW1"].any()


def test_momentum_averages_the_gradients():
    params, grads = dense(1)
    v = momentum.initialize_velocity(params)
    _, v = momentum.update_parameters_with_momentum(params, grads, v, beta=0.9, learning_rate=0.1)
    _, v = momentum.update_parameters_with_momentum(params, grads, v, beta=0.9, learning_rate=0.1)
    np.testing.assert_allclose(v["db2"], (0.1 * 0.9 + 0.1) * grads["db2"])


@given(st.integers(0, 2**16))
def test_adams_first_corrected_step_moves_each_weight_by_about_the_learning_rate(seed):
    params, grads = dense(seed)
    v, s = adam.initialize_adam(params)
    new, v1, s1, v_corrected, s_corrected = adam.update_parameters_with_adam(params, grads, v, s, t=1, learning_rate=0.01)
    for k in params:
        g = grads["d" + k]
        np.testing.assert_allclose(v_corrected["d" + k], g)  # bias correction undoes the (1 − β₁) of step 1
        np.testing.assert_allclose(s_corrected["d" + k], g**2)
        np.testing.assert_allclose(params[k] - new[k], 0.01 * g / (np.abs(g) + 1e-8))
        np.testing.assert_allclose(v1["d" + k], 0.1 * g)


def test_adams_correction_fades_with_t():
    params, grads = dense(2)
    v, s = adam.initialize_adam(params)
    *_, v_corrected, _ = adam.update_parameters_with_adam(params, grads, v, s, t=1000)
    np.testing.assert_allclose(v_corrected["dW1"], 0.1 * grads["dW1"] / (1 - 0.9**1000))


def test_learning_rate_decay_follows_the_notebooks_formulas():
    assert lr_decay.update_lr(0.5, 2, 1) == pytest.approx(1 / (1 + 1 * 2) * 0.5)
    assert lr_decay.schedule_lr_decay(0.5, 100, 1) == 0.5  # within the first interval: no decay yet
    assert lr_decay.schedule_lr_decay(0.5, 2100, 1, time_interval=1000) == pytest.approx(0.5 / 3)


@given(st.floats(0.1, 10))
def test_clip_bounds_every_gradient_and_changes_nothing_inside(max_value):
    rng = np.random.default_rng(0)
    grads = {k: rng.standard_normal((3, 2)) * 10 for k in clipping.CLIPPED}
    before = {k: v.copy() for k, v in grads.items()}
    clipped = clipping.clip(grads, max_value)
    for k in clipping.CLIPPED:
        assert np.all(np.abs(clipped[k]) <= max_value)
        inside = np.abs(before[k]) <= max_value
        np.testing.assert_array_equal(clipped[k][inside], before[k][inside])
        np.testing.assert_array_equal(grads[k], before[k])


def char_case(seed, n_a=3, vocab=27, length=4):
    rng = np.random.default_rng(seed)
    params = {"Wax": rng.standard_normal((n_a, vocab)), "Waa": rng.standard_normal((n_a, n_a)),
              "Wya": rng.standard_normal((vocab, n_a)), "b": rng.standard_normal((n_a, 1)), "by": rng.standard_normal((vocab, 1))}
    indices = [int(i) for i in rng.integers(1, vocab, length)]
    return [None] + indices, indices + [0], rng.standard_normal((n_a, 1)) * 0.1, params


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**16))
def test_char_rnn_backward_is_the_gradient_of_the_loss(seed):
    X, Y, a0, params = char_case(seed)
    J = lambda p: char_rnn.rnn_forward(X, Y, a0, p)[0]  # noqa: E731
    loss, cache = char_rnn.rnn_forward(X, Y, a0, params)
    grads, a = char_rnn.rnn_backward(X, Y, params, cache)
    numeric = numeric_gradients(J, params)
    for k in params:
        assert_close(grads["d" + k], numeric[k], loss)


def test_optimize_clips_updates_and_returns_the_last_state():
    X, Y, a0, params = char_case(4)
    start = {k: v.copy() for k, v in params.items()}
    loss, grads, a_last = char_rnn.optimize(X, Y, a0, params, learning_rate=0.01)
    _, cache = char_rnn.rnn_forward(X, Y, a0, start)
    raw, a = char_rnn.rnn_backward(X, Y, start, cache)
    np.testing.assert_allclose(a_last, a[len(X) - 1])
    np.testing.assert_allclose(grads["dWaa"], np.clip(raw["dWaa"], -5, 5))
    np.testing.assert_allclose(params["Wya"], start["Wya"] - 0.01 * grads["dWya"])


def test_sample_draws_the_notebooks_seeded_characters():
    _, _, _, params = char_case(5, n_a=4)
    char_to_ix = {"\n": 0, **{chr(96 + i): i for i in range(1, 27)}}
    indices = sampling.sample(params, char_to_ix, seed=7)
    assert indices[-1] == 0 and len(indices) <= 51
    # the first draw: seed + 0 from x = 0, a = 0
    y = char_rnn.softmax(params["Wya"] @ np.tanh(params["b"]) + params["by"])
    np.random.seed(7)
    assert indices[0] == np.random.choice(range(27), p=y.ravel())


def test_sample_stops_at_fifty_characters_and_appends_a_newline():
    _, _, _, params = char_case(6)
    params["by"] = np.full((27, 1), -50.0)
    params["by"][5] = 50.0  # always "e", never "\n"
    indices = sampling.sample(params, {"\n": 0, "e": 5}, seed=0)
    assert indices == [5] * 50 + [0]
