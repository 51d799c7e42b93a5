"""The recurrent engine, Ng convention: the course's equations, caches, gradient dicts and shape rules.

Every backward function is checked against centered finite differences of its own forward pass;
every forward function against the course's equations written out literally (below); shape errors
against the tracer's rule sentences.
"""

from __future__ import annotations

import doctest
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine import rnn
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

from finite_differences import difference

FAST = settings(max_examples=12, deadline=None)
GATES = ("f", "i", "c", "o")


# --- sizes and parameters ---------------------------------------------------------------------


@st.composite
def sizes(draw, most=4):
    """(n_x, n_a, n_y, m, T_x); shrinks towards all ones, the smallest recurrent net."""
    return tuple(draw(st.integers(1, most)) for _ in range(5))


def rnn_parameters(rng, n_x, n_a, n_y):
    return {"Wax": rng.standard_normal((n_a, n_x)) * 0.7, "Waa": rng.standard_normal((n_a, n_a)) * 0.7,
            "Wya": rng.standard_normal((n_y, n_a)), "ba": rng.standard_normal((n_a, 1)),
            "by": rng.standard_normal((n_y, 1))}


def lstm_parameters(rng, n_x, n_a, n_y):
    p = {f"W{g}": rng.standard_normal((n_a, n_a + n_x)) * 0.7 for g in GATES}
    p.update({f"b{g}": rng.standard_normal((n_a, 1)) for g in GATES})
    p.update(Wy=rng.standard_normal((n_y, n_a)), by=rng.standard_normal((n_y, 1)))
    return p


# --- the course's code, written the obvious way (the reference for the forward passes) -----------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - np.max(z, axis=0))
    return e / np.sum(e, axis=0)


def course_rnn_cell_forward(xt, a_prev, p):
    a_next = np.tanh(np.dot(p["Waa"], a_prev) + np.dot(p["Wax"], xt) + p["ba"])
    yt_pred = softmax(np.dot(p["Wya"], a_next) + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, p)


def course_rnn_forward(x, a0, p):
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = course_rnn_cell_forward(x[:, :, t], a_next, p)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def course_lstm_cell_forward(xt, a_prev, c_prev, p):
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(np.dot(p["Wf"], concat) + p["bf"])
    it = sigmoid(np.dot(p["Wi"], concat) + p["bi"])
    cct = np.tanh(np.dot(p["Wc"], concat) + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(p["Wo"], concat) + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(p["Wy"], a_next) + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def course_lstm_forward(x, a0, p):
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next, c_next, caches = a0, np.zeros((n_a, m)), []
    for t in range(T_x):
        a_next, c_next, yt, cache = course_lstm_cell_forward(x[:, :, t], a_next, c_next, p)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


def course_lstm_cell_backward(da_next, dc_next, cache):
    """The course's per-gate backward step, for checking that our caches fit a student's code."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dtanh_c = 1 - np.tanh(c_next) ** 2
    dot = da_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = (dc_next * it + ot * dtanh_c * it * da_next) * (1 - cct**2)
    dit = (dc_next * cct + ot * dtanh_c * cct * da_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * dtanh_c * c_prev * da_next) * ft * (1 - ft)
    concat = np.concatenate((a_prev, xt), axis=0)
    grads = {}
    for g, dg in zip(GATES, (dft, dit, dcct, dot)):
        grads[f"dW{g}"] = dg @ concat.T
        grads[f"db{g}"] = np.sum(dg, axis=1, keepdims=True)
    d_concat = sum(p[f"W{g}"].T @ dg for g, dg in zip(GATES, (dft, dit, dcct, dot)))
    grads["da_prev"], grads["dxt"] = d_concat[:n_a], d_concat[n_a:]
    grads["dc_prev"] = dc_next * ft + ot * dtanh_c * ft * da_next
    return grads


def course_lstm_backward(da, caches, pass_da_prev=True, pass_dc_prev=True):
    """BPTT with the course's cell; the two flags make the widely copied wrong versions."""
    steps, x = caches
    n_a, m, T_x = da.shape
    grads = {f"d{k}{g}": 0 for g in GATES for k in ("W", "b")}
    dx = np.zeros(x.shape)
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = course_lstm_cell_backward(da[:, :, t] + (da_prev if pass_da_prev else 0),
                                         dc_prev if pass_dc_prev else np.zeros((n_a, m)), steps[t])
        dx[:, :, t] = step["dxt"]
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
        for key in grads:
            grads[key] = grads[key] + step[key]
    return {"dx": dx, "da0": da_prev, **grads}


# --- finite differences -------------------------------------------------------------------------


def numerical_gradients(J, arrays: dict, wrt, h=1e-3) -> dict:
    """Centered differences of J(arrays), with respect to every entry of the arrays named in ``wrt``.

    The five-point centered stencil (8·(J(θ+h) − J(θ−h)) − (J(θ+2h) − J(θ−2h))) / 12h errs by
    O(h⁴) + O(ε_mach/h) ≈ 1e-13 at h = 1e-3, so that a gradient of 1e-5 (a saturated tanh, n_a = 1)
    is still measured to 1e-8; the course's two-point difference at ε = 1e-7 errs by ~1e-9.
    """
    grads = {}
    for name in wrt:
        array = arrays[name]
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            def J_at(step):
                moved = array.copy()
                moved[index] += step
                return J({**arrays, name: moved})

            grad[index] = (8 * (J_at(h) - J_at(-h)) - (J_at(2 * h) - J_at(-2 * h))) / (12 * h)
        grads[name] = grad
    return grads


def assert_matches(grads: dict, numerical: dict, keys: dict) -> None:
    """keys: gradient key -> numerical key, e.g. {"dWf": "Wf", "dx": "x"}."""
    for key, name in keys.items():
        assert grads[key].shape == numerical[name].shape, key
        assert difference(grads[key], numerical[name]) < 1e-7, (key, difference(grads[key], numerical[name]))


# --- forward passes follow the course's equations ---------------------------------------------


@FAST
@given(sizes())
def test_rnn_cell_forward_follows_the_course_equations(dims):
    n_x, n_a, n_y, m, _ = dims
    rng = np.random.default_rng(dims)
    p, xt, a_prev = rnn_parameters(rng, n_x, n_a, n_y), rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    ours, course = sc.rnn_cell_forward(xt, a_prev, p), course_rnn_cell_forward(xt, a_prev, p)
    for got, want in zip(ours[:2], course[:2]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
        assert got.shape == want.shape


@FAST
@given(sizes())
def test_lstm_cell_forward_follows_the_course_equations(dims):
    n_x, n_a, n_y, m, _ = dims
    rng = np.random.default_rng(dims)
    p = lstm_parameters(rng, n_x, n_a, n_y)
    xt, a_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    ours, course = sc.lstm_cell_forward(xt, a_prev, c_prev, p), course_lstm_cell_forward(xt, a_prev, c_prev, p)
    for got, want in zip(ours[:3] + ours[3][:9], course[:3] + course[3][:9]):   # outputs, then the cache
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@FAST
@given(sizes())
def test_rnn_forward_is_rnn_cell_forward_at_every_step(dims):
    n_x, n_a, n_y, m, T_x = dims
    rng = np.random.default_rng(dims)
    p, x, a0 = rnn_parameters(rng, n_x, n_a, n_y), rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    a, y_pred, caches = sc.rnn_forward(x, a0, p)
    want_a, want_y, want_caches = course_rnn_forward(x, a0, p)
    np.testing.assert_allclose(a, want_a, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y_pred, want_y, rtol=1e-12, atol=1e-14)
    for ours, course in zip(caches[0], want_caches[0]):
        for got, want in zip(ours[:3], course[:3]):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@FAST
@given(sizes())
def test_lstm_forward_is_lstm_cell_forward_at_every_step_from_a_zero_cell(dims):
    n_x, n_a, n_y, m, T_x = dims
    rng = np.random.default_rng(dims)
    p, x, a0 = lstm_parameters(rng, n_x, n_a, n_y), rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    ours, course = sc.lstm_forward(x, a0, p), course_lstm_forward(x, a0, p)
    for got, want in zip(ours[:3], course[:3]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    for step, want_step in zip(ours[3][0], course[3][0]):
        for got, want in zip(step[:9], want_step[:9]):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


# --- backward passes are the exact gradients of their own forward passes -------------------------


@FAST
@given(sizes())
@example((1, 1, 1, 1, 1))
@example((3, 2, 2, 1, 1))
def test_rnn_cell_backward_is_the_gradient_of_sum_a_next_times_da_next(dims):
    n_x, n_a, n_y, m, _ = dims
    rng = np.random.default_rng(dims)
    p = rnn_parameters(rng, n_x, n_a, n_y)
    arrays = {**p, "xt": rng.standard_normal((n_x, m)), "a_prev": rng.standard_normal((n_a, m))}
    da_next = rng.standard_normal((n_a, m))

    def J(v):
        return np.sum(sc.rnn_cell_forward(v["xt"], v["a_prev"], v)[0] * da_next)

    grads = sc.rnn_cell_backward(da_next, sc.rnn_cell_forward(arrays["xt"], arrays["a_prev"], p)[2])
    assert list(grads) == ["dxt", "da_prev", "dWax", "dWaa", "dba"]
    numerical = numerical_gradients(J, arrays, ("xt", "a_prev", "Wax", "Waa", "ba"))
    assert_matches(grads, numerical, {"dxt": "xt", "da_prev": "a_prev", "dWax": "Wax", "dWaa": "Waa", "dba": "ba"})


@FAST
@given(sizes())
@example((1, 1, 1, 1, 1))
@example((2, 3, 1, 1, 4))
def test_rnn_backward_is_the_gradient_of_every_hidden_state_through_time(dims):
    n_x, n_a, n_y, m, T_x = dims
    rng = np.random.default_rng(dims)
    p = rnn_parameters(rng, n_x, n_a, n_y)
    arrays = {**p, "x": rng.standard_normal((n_x, m, T_x)), "a0": rng.standard_normal((n_a, m))}
    da = rng.standard_normal((n_a, m, T_x))

    def J(v):
        return np.sum(sc.rnn_forward(v["x"], v["a0"], v)[0] * da)

    grads = sc.rnn_backward(da, sc.rnn_forward(arrays["x"], arrays["a0"], p)[2])
    assert list(grads) == ["dx", "da0", "dWax", "dWaa", "dba"]
    numerical = numerical_gradients(J, arrays, ("x", "a0", "Wax", "Waa", "ba"))
    assert_matches(grads, numerical, {"dx": "x", "da0": "a0", "dWax": "Wax", "dWaa": "Waa", "dba": "ba"})


LSTM_GRADS = {f"d{k}{g}": f"{k}{g}" for g in GATES for k in ("W", "b")}


@FAST
@given(sizes())
@example((1, 1, 1, 1, 1))
@example((3, 2, 2, 1, 1))
def test_lstm_cell_backward_is_the_gradient_of_a_next_and_c_next(dims):
    n_x, n_a, n_y, m, _ = dims
    rng = np.random.default_rng(dims)
    p = lstm_parameters(rng, n_x, n_a, n_y)
    state = {"xt": rng.standard_normal((n_x, m)), "a_prev": rng.standard_normal((n_a, m)),
             "c_prev": rng.standard_normal((n_a, m))}
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))

    def J(v):
        a_next, c_next, _, _ = sc.lstm_cell_forward(v["xt"], v["a_prev"], v["c_prev"], v)
        return np.sum(a_next * da_next) + np.sum(c_next * dc_next)

    cache = sc.lstm_cell_forward(state["xt"], state["a_prev"], state["c_prev"], p)[3]
    grads = sc.lstm_cell_backward(da_next, dc_next, cache)
    assert list(grads) == ["dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
    numerical = numerical_gradients(J, {**p, **state}, (*state, *LSTM_GRADS.values()))
    assert_matches(grads, numerical, {"dxt": "xt", "da_prev": "a_prev", "dc_prev": "c_prev", **LSTM_GRADS})


@FAST
@given(sizes())
@example((1, 1, 1, 1, 1))
@example((2, 3, 1, 1, 4))
def test_lstm_backward_is_the_gradient_of_every_hidden_state_through_time(dims):
    n_x, n_a, n_y, m, T_x = dims
    rng = np.random.default_rng(dims)
    p = lstm_parameters(rng, n_x, n_a, n_y)
    arrays = {**p, "x": rng.standard_normal((n_x, m, T_x)), "a0": rng.standard_normal((n_a, m))}
    da = rng.standard_normal((n_a, m, T_x))

    def J(v):
        return np.sum(sc.lstm_forward(v["x"], v["a0"], v)[0] * da)

    grads = sc.lstm_backward(da, sc.lstm_forward(arrays["x"], arrays["a0"], p)[3])
    assert list(grads) == ["dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
    numerical = numerical_gradients(J, arrays, ("x", "a0", *LSTM_GRADS.values()))
    assert_matches(grads, numerical, {"dx": "x", "da0": "a0", **LSTM_GRADS})


@pytest.mark.parametrize("pass_da_prev, pass_dc_prev", [(False, True), (True, False)])
def test_the_finite_difference_check_catches_a_bptt_that_drops_da_prev_or_dc_prev(pass_da_prev, pass_dc_prev):
    """Meta-test: the comparison above fails for the widely copied wrong lstm_backward."""
    rng = np.random.default_rng(7)
    p = lstm_parameters(rng, 3, 2, 2)
    x, a0, da = rng.standard_normal((3, 2, 4)), rng.standard_normal((2, 2)), rng.standard_normal((2, 2, 4))
    caches = course_lstm_forward(x, a0, p)[3]
    right = course_lstm_backward(da, caches)
    wrong = course_lstm_backward(da, caches, pass_da_prev, pass_dc_prev)
    numerical = numerical_gradients(lambda v: np.sum(sc.lstm_forward(x, a0, v)[0] * da), p, ["Wf"])
    assert difference(right["dWf"], numerical["Wf"]) < 1e-7
    assert difference(wrong["dWf"], numerical["Wf"]) > 1e-3


# --- the course's formats, so a student can mix ours and theirs -----------------------------------


def test_caches_have_the_course_format():
    rng = np.random.default_rng(0)
    p, x, a0 = lstm_parameters(rng, 3, 5, 2), rng.standard_normal((3, 4, 6)), rng.standard_normal((5, 4))
    a, y, c, caches = sc.lstm_forward(x, a0, p)
    steps, x_cached = caches
    assert x_cached is x and isinstance(steps, list) and len(steps) == 6
    for t, step in enumerate(steps):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = step
        assert parameters is p
        np.testing.assert_array_equal(xt, x[:, :, t])
        np.testing.assert_array_equal(a_next, a[:, :, t])
        np.testing.assert_array_equal(c_next, c[:, :, t])
        np.testing.assert_array_equal(a_prev, a0 if t == 0 else a[:, :, t - 1])
        np.testing.assert_array_equal(c_prev, np.zeros((5, 4)) if t == 0 else c[:, :, t - 1])
        assert all(g.shape == (5, 4) for g in (ft, it, cct, ot))
    rnn_steps, rnn_x = sc.rnn_forward(x, a0, rnn_parameters(rng, 3, 5, 2))[2]
    assert rnn_x is x and [len(s) for s in rnn_steps] == [4] * 6


def test_backward_takes_caches_from_a_students_own_forward():
    rng = np.random.default_rng(1)
    x, a0, da = rng.standard_normal((3, 4, 5)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4, 5))
    p = lstm_parameters(rng, 3, 2, 2)
    ours, theirs = sc.lstm_backward(da, sc.lstm_forward(x, a0, p)[3]), sc.lstm_backward(da, course_lstm_forward(x, a0, p)[3])
    q = rnn_parameters(rng, 3, 2, 2)
    ours_rnn, theirs_rnn = sc.rnn_backward(da, sc.rnn_forward(x, a0, q)[2]), sc.rnn_backward(da, course_rnn_forward(x, a0, q)[2])
    for mine, student in ((ours, theirs), (ours_rnn, theirs_rnn)):
        assert list(mine) == list(student)
        for key in mine:
            np.testing.assert_allclose(mine[key], student[key], rtol=1e-12, atol=1e-14)


def test_cell_backward_takes_a_students_own_cell_cache():
    rng = np.random.default_rng(9)
    p, q = lstm_parameters(rng, 3, 2, 2), rnn_parameters(rng, 3, 2, 2)
    xt, a_prev, c_prev = rng.standard_normal((3, 4)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    da_next, dc_next = rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    ours = sc.lstm_cell_backward(da_next, dc_next, sc.lstm_cell_forward(xt, a_prev, c_prev, p)[3])
    theirs = sc.lstm_cell_backward(da_next, dc_next, course_lstm_cell_forward(xt, a_prev, c_prev, p)[3])
    ours_rnn = sc.rnn_cell_backward(da_next, sc.rnn_cell_forward(xt, a_prev, q)[2])
    theirs_rnn = sc.rnn_cell_backward(da_next, course_rnn_cell_forward(xt, a_prev, q)[2])
    for mine, student in ((ours, theirs), (ours_rnn, theirs_rnn)):
        for key in mine:
            np.testing.assert_allclose(mine[key], student[key], rtol=1e-12, atol=1e-14)


def test_our_caches_feed_a_students_own_backward():
    rng = np.random.default_rng(2)
    x, a0, da = rng.standard_normal((3, 4, 5)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4, 5))
    p = lstm_parameters(rng, 3, 2, 2)
    caches = sc.lstm_forward(x, a0, p)[3]
    theirs, ours = course_lstm_backward(da, caches), sc.lstm_backward(da, caches)
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-10, atol=1e-13)


def test_a_changed_list_of_caches_is_read_again_not_taken_from_the_forward_buffers():
    rng = np.random.default_rng(3)
    p, da = lstm_parameters(rng, 2, 3, 1), rng.standard_normal((3, 2, 4))
    steps, x = sc.lstm_forward(rng.standard_normal((2, 2, 4)), rng.standard_normal((3, 2)), p)[3]
    other_steps, other_x = sc.lstm_forward(rng.standard_normal((2, 2, 4)), rng.standard_normal((3, 2)), p)[3]
    steps[2] = other_steps[2]                                     # a student swaps one step's cache
    mixed = sc.lstm_backward(da, (steps, x))
    np.testing.assert_allclose(mixed["dWf"], course_lstm_backward(da, (list(steps), x))["dWf"], rtol=1e-10)


def test_outputs_are_the_callers_to_change_and_the_caches_keep_what_forward_computed():
    rng = np.random.default_rng(4)
    x, p, da = rng.standard_normal((2, 3, 4)), lstm_parameters(rng, 2, 3, 2), rng.standard_normal((3, 3, 4))
    a, y, c, caches = sc.lstm_forward(x, np.zeros((3, 3)), p)
    before = sc.lstm_backward(da, caches)
    for out in (a, y, c):
        out[...] = 0                                              # a student reuses the arrays
    a_next, c_next, _, cell_cache = sc.lstm_cell_forward(x[:, :, 0], np.zeros((3, 3)), np.zeros((3, 3)), p)
    a_next[...], c_next[...] = 0, 0
    assert np.any(cell_cache[0] != 0) and np.any(cell_cache[1] != 0)
    for key, value in sc.lstm_backward(da, caches).items():
        np.testing.assert_array_equal(value, before[key])
    with pytest.raises(ValueError, match="read-only"):
        caches[0][1][4][:] = 0                                    # ft of step 1: the cache itself stays read-only
    a, y, caches = sc.rnn_forward(x, np.zeros((3, 3)), rnn_parameters(rng, 2, 3, 2))
    a[...], y[...] = 0, 0
    assert np.any(caches[0][-1][0] != 0)                          # a<T_x> in the last step's cache


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_no_function_changes_its_inputs(kind):
    rng = np.random.default_rng(5)
    n_x, n_a, m, T_x = 3, 2, 4, 3
    p = (rnn_parameters if kind == "rnn" else lstm_parameters)(rng, n_x, n_a, 2)
    x, a0, da = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m, T_x))
    c_prev, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    inputs = {"p": p, "x": x, "a0": a0, "da": da, "c_prev": c_prev, "dc_next": dc_next}
    before = {k: ({kk: vv.copy() for kk, vv in v.items()} if isinstance(v, dict) else v.copy()) for k, v in inputs.items()}
    if kind == "rnn":
        sc.rnn_backward(da, sc.rnn_forward(x, a0, p)[2])
        sc.rnn_cell_backward(da[:, :, 0], sc.rnn_cell_forward(x[:, :, 0], a0, p)[2])
        sc.rnn_backward(da, course_rnn_forward(x, a0, p)[2])
    else:
        sc.lstm_backward(da, sc.lstm_forward(x, a0, p)[3])
        sc.lstm_cell_backward(da[:, :, 0], dc_next, sc.lstm_cell_forward(x[:, :, 0], a0, c_prev, p)[3])
        sc.lstm_backward(da, course_lstm_forward(x, a0, p)[3])
    for key, value in inputs.items():
        if isinstance(value, dict):
            assert list(value) == list(before[key])
            for name in value:
                np.testing.assert_array_equal(value[name], before[key][name])
        else:
            np.testing.assert_array_equal(value, before[key])


def test_huge_pre_activations_give_no_overflow_and_a_softmax_that_sums_to_one():
    rng = np.random.default_rng(6)
    p = lstm_parameters(rng, 2, 3, 4)
    p.update({f"b{g}": np.full((3, 1), s) for g, s in zip(GATES, (-1e3, 1e3, -1e3, 1e3))})
    p["by"] = np.array([[1e3], [-1e3], [800.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, y, c, caches = sc.lstm_forward(rng.standard_normal((2, 5, 3)) * 1e3, np.zeros((3, 5)), p)
        grads = sc.lstm_backward(np.ones((3, 5, 3)), caches)
    assert np.isfinite(y).all() and np.isfinite(a).all() and all(np.isfinite(g).all() for g in grads.values())
    np.testing.assert_allclose(y.sum(axis=0), 1.0)


def test_float32_inputs_stay_float32_and_integers_become_float64():
    rng = np.random.default_rng(8)
    p = {k: v.astype(np.float32) for k, v in rnn_parameters(rng, 2, 3, 2).items()}
    x = rng.standard_normal((2, 4, 3)).astype(np.float32)
    assert sc.rnn_forward(x, np.zeros((3, 4), np.float32), p)[0].dtype == np.float32
    assert sc.rnn_forward(np.ones((2, 4, 3), dtype=int), np.zeros((3, 4), int), p)[0].dtype == np.float64


def test_the_docstring_examples_run():
    result = doctest.testmod(rnn, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0


# --- shape errors carry the tracer's rule and the fix ---------------------------------------------


def lesson_lstm(n_x=3, n_a=5, n_y=2, m=10, T_x=4):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n_x, m, T_x)), np.zeros((n_a, m)), lstm_parameters(rng, n_x, n_a, n_y)


def raised(function, *args) -> ShapecheckError:
    with pytest.raises(ShapecheckError) as info:
        function(*args)
    return info.value


def test_an_lstm_weight_without_a_prevs_columns_names_the_stacked_rule_and_the_fix():
    x, a0, p = lesson_lstm()
    p["Wf"] = p["Wf"][:, 5:]                                      # (5, 3): only x_t's part
    text = str(raised(sc.lstm_forward, x, a0, p))
    assert text.startswith("Wf has shape (5, 3) but must be (5, 8) = (n_a, n_a + n_x)")
    assert "n_x=3" in text and "n_a=5" in text
    assert msg("rules.lstm_W", name="Wf") in text
    assert "n_a + n_x = 8 columns" in text and "np.random.randn(5, 8) * 0.01" in text


def test_a_2d_x_gets_the_3d_rule_and_the_reshape():
    x, a0, p = lesson_lstm()
    error = raised(sc.lstm_forward, x[:, :, 0], a0, p)
    assert error.message_id == "rnn.x_not_3d"
    assert msg("rules.rnn_x") in str(error) and "x.reshape(3, 10, 1)" in str(error)
    one_feature = lstm_parameters(np.random.default_rng(0), 1, 5, 2)
    series = raised(sc.lstm_forward, np.ones((10, 4)), a0, one_feature)  # 10 series of 4 steps
    assert "x.reshape(1, 10, 4)" in str(series)


def test_a_rank_1_bias_is_named_with_its_reshape():
    x, a0, p = lesson_lstm()
    p["bi"] = p["bi"].ravel()
    text = str(raised(sc.lstm_forward, x, a0, p))
    assert text.startswith("bi has shape (5,) but must be (5, 1)")
    assert msg("rules.lstm_b", name="bi") in text and "bi.reshape(5, 1)" in text


def test_a_missing_parameter_names_the_key_and_its_shape():
    x, a0, p = lesson_lstm()
    del p["Wo"]
    text = str(raised(sc.lstm_forward, x, a0, p))
    assert "parameters has no 'Wo'" in text and "(5, 8)" in text and msg("rules.lstm_W", name="Wo") in text


def test_a_transposed_rnn_weight_is_called_transposed():
    rng = np.random.default_rng(0)
    p = rnn_parameters(rng, 3, 5, 2)
    p["Wax"] = p["Wax"].T
    text = str(raised(sc.rnn_forward, rng.standard_normal((3, 10, 4)), np.zeros((5, 10)), p))
    assert "n_a is 5 in a0 but 3 in Wax" in text and "Wax.T" in text and msg("rules.rnn_Wax") in text


def test_an_a0_with_another_m_shows_both_places():
    x, _, p = lesson_lstm()
    text = str(raised(sc.lstm_forward, x, np.zeros((5, 9)), p))
    assert "m is 10 in x but 9 in a0" in text and msg("rules.rnn_a0") in text


def test_a_batch_first_x_is_recognised():
    x, a0, p = lesson_lstm(n_x=3, m=10, T_x=4)
    text = str(raised(sc.lstm_forward, x.transpose(1, 2, 0), np.zeros((5, 4)), p))   # (m, T_x, n_x)
    assert "batch-first" in text and "x.transpose(2, 0, 1)" in text


def test_a_whole_sequence_given_to_a_cell_points_to_the_through_time_function():
    x, a0, p = lesson_lstm()
    text = str(raised(sc.lstm_cell_forward, x, a0, a0, p))
    assert "one time step" in text and "lstm_forward" in text and "x[:, :, t]" in text


def test_backward_checks_da_and_the_caches():
    x, a0, p = lesson_lstm()
    caches = sc.lstm_forward(x, a0, p)[3]
    last_only = raised(sc.lstm_backward, np.ones((5, 10)), caches)
    assert msg("rnn.rule_da") in str(last_only) and "da[:, :, -1]" in str(last_only)
    assert "T_x" in str(raised(sc.lstm_backward, np.ones((5, 10, 4)), (caches[0][:3], x)))
    assert "(caches, x)" in str(raised(sc.lstm_backward, np.ones((5, 10, 4)), caches[0]))
    assert "10-tuple" in str(raised(sc.lstm_cell_backward, np.ones((5, 10)), np.ones((5, 10)), caches[0][0][:4]))


PARAMETER_SHAPES = {
    "rnn": {"Wax": ("n_a", "n_x"), "Waa": ("n_a", "n_a"), "ba": ("n_a", 1), "Wya": ("n_y", "n_a"), "by": ("n_y", 1)},
    "lstm": {**{f"W{g}": ("n_a", "n_a + n_x") for g in GATES}, **{f"b{g}": ("n_a", 1) for g in GATES},
             "Wy": ("n_y", "n_a"), "by": ("n_y", 1)},
}


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["rnn", "lstm"]), sizes(), st.data())
def test_every_single_corrupted_parameter_dim_is_reported_by_name(kind, dims, data):
    n_x, n_a, n_y, m, T_x = dims
    rng = np.random.default_rng(dims)
    p = (rnn_parameters if kind == "rnn" else lstm_parameters)(rng, n_x, n_a, n_y)
    name = data.draw(st.sampled_from(sorted(PARAMETER_SHAPES[kind])), label="parameter")
    axis = data.draw(st.integers(0, 1), label="axis")
    shape = list(p[name].shape)
    shape[axis] += data.draw(st.sampled_from([-1, 1]).filter(lambda d: shape[axis] + d >= 1), label="change")
    p[name] = rng.standard_normal(shape)
    forward = sc.rnn_forward if kind == "rnn" else sc.lstm_forward
    with pytest.raises(ShapecheckError) as info:
        forward(rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), p)
    text = str(info.value)
    if name in ("Wy", "Wya") and axis == 0:                       # Wy's rows define n_y: by is then the odd one
        assert text.startswith("by has shape") and f"n_y is {shape[0]} in {name}" in text
    else:
        assert text.startswith(f"{name} has shape ({shape[0]}, {shape[1]})")
    assert "Fix" in text


def test_a_students_cache_with_a_wrong_step_names_that_step_and_item():
    x, a0, p = lesson_lstm()
    steps, x_cached = course_lstm_forward(x, a0, p)[3]
    broken = list(steps[1])
    broken[4] = broken[4][:, :9]                                  # ft of step 1 lost an example
    steps[1] = tuple(broken)
    text = str(raised(sc.lstm_backward, np.ones((5, 10, 4)), (steps, x_cached)))
    assert text.startswith("caches[0][1][4] (ft) has shape (5, 9)") and "m is 10 in x but 9" in text
    assert msg("rules.lstm_gate", name="ft", what=msg("rules.gate_f")) in text


def test_what_is_not_an_array_a_dict_or_a_size_is_named():
    x, a0, p = lesson_lstm()
    assert raised(sc.lstm_forward, None, a0, p).message_id == "rnn.not_array"
    assert raised(sc.lstm_forward, x, a0, [1, 2]).message_id == "rnn.not_mapping"
    empty = raised(sc.lstm_forward, x[:, :, :0], a0, p)
    assert empty.message_id == "rnn.empty" and "T_x = 0" in str(empty)
