"""The course's convolution functions: equal to the course's loops, their gradients to finite differences."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine import conv
from shapecheck.core.errors import ShapecheckError
from conv_loops import conv_backward_loops, conv_forward_loops, pool_backward_loops, pool_forward_loops
from finite_differences import assert_close, centered_differences


@st.composite
def conv_case(draw, pooling=False):
    """Sizes, stride and pad of one layer, with f ≤ n + 2·pad; shrinks towards one 1×1 image and a 1×1 window."""
    m, n_H, n_W = draw(st.integers(1, 3)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    n_C_prev, n_C = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pad = 0 if pooling else draw(st.integers(0, 2))
    f = draw(st.integers(1, min(n_H, n_W) + 2 * pad))
    stride = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**16))
    return m, n_H, n_W, n_C_prev, n_C, f, stride, pad, seed


def conv_arrays(m, n_H, n_W, n_C_prev, n_C, f, stride, pad, seed):
    rng = np.random.default_rng(seed)
    A_prev = rng.standard_normal((m, n_H, n_W, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b, {"stride": stride, "pad": pad}, rng


@settings(max_examples=60, deadline=None)
@given(conv_case())
def test_conv_forward_equals_the_course_loops(case):
    A_prev, W, b, hp, _ = conv_arrays(*case)
    Z, cache = sc.conv_forward(A_prev, W, b, hp)
    Z_loops, _ = conv_forward_loops(A_prev, W, b, hp)
    assert Z.shape == Z_loops.shape
    np.testing.assert_allclose(Z, Z_loops, rtol=1e-12, atol=1e-12)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b and cache[3] is hp  # the course's cache


@settings(max_examples=25, deadline=None)
@given(conv_case())
def test_conv_backward_is_the_gradient_of_sum_Z_times_dZ(case):
    A_prev, W, b, hp, rng = conv_arrays(*case)
    Z, cache = sc.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    dA_prev, dW, db = sc.conv_backward(dZ, cache)

    def J():
        return float(np.sum(sc.conv_forward(A_prev, W, b, hp)[0] * dZ))

    scale = abs(J()) + 1.0
    for analytic, x in ((dA_prev, A_prev), (dW, W), (db, b)):
        assert analytic.shape == x.shape
        assert_close(analytic, centered_differences(J, x), scale)


@settings(max_examples=30, deadline=None)
@given(conv_case())
def test_conv_backward_equals_the_course_loops(case):
    A_prev, W, b, hp, rng = conv_arrays(*case)
    Z, cache = sc.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    for ours, loops in zip(sc.conv_backward(dZ, cache), conv_backward_loops(dZ, cache)):
        np.testing.assert_allclose(ours, loops, rtol=1e-11, atol=1e-11)


def test_the_gradient_check_catches_a_backward_that_ignores_the_stride(monkeypatch):
    # meta-test: a student's classic slip (vert_start = h) must fail the check above
    A_prev, W, b, hp, rng = conv_arrays(1, 6, 6, 2, 2, 2, 2, 0, 3)
    Z, cache = sc.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    wrong = conv_backward_loops(dZ, (A_prev, W, b, {"stride": 1, "pad": 0}))[1]  # windows at h, not stride·h

    def J():
        return float(np.sum(sc.conv_forward(A_prev, W, b, hp)[0] * dZ))

    with pytest.raises(AssertionError):
        assert_close(wrong, centered_differences(J, W), abs(J()) + 1.0)


@settings(max_examples=40, deadline=None)
@given(conv_case(pooling=True), st.sampled_from(["max", "average"]))
def test_pool_forward_equals_the_course_loops(case, mode):
    A_prev, _, _, _, _ = conv_arrays(*case)
    *_, f, stride, _, _ = case
    hp = {"f": f, "stride": stride}
    A, cache = sc.pool_forward(A_prev, hp, mode=mode)
    np.testing.assert_allclose(A, pool_forward_loops(A_prev, hp, mode)[0], rtol=1e-12, atol=1e-12)
    assert cache[0] is A_prev and cache[1] is hp


@settings(max_examples=25, deadline=None)
@given(conv_case(pooling=True), st.sampled_from(["max", "average"]))
def test_pool_backward_is_the_gradient_of_sum_A_times_dA(case, mode):
    A_prev, _, _, _, rng = conv_arrays(*case)
    *_, f, stride, _, _ = case
    hp = {"f": f, "stride": stride}
    A, cache = sc.pool_forward(A_prev, hp, mode=mode)
    dA = rng.standard_normal(A.shape)
    dA_prev = sc.pool_backward(dA, cache, mode=mode)

    def J():
        return float(np.sum(sc.pool_forward(A_prev, hp, mode=mode)[0] * dA))

    assert dA_prev.shape == A_prev.shape
    assert_close(dA_prev, centered_differences(J, A_prev), abs(J()) + 1.0)


@settings(max_examples=30, deadline=None)
@given(conv_case(pooling=True), st.sampled_from(["max", "average"]))
def test_pool_backward_equals_the_course_loops_ties_included(case, mode):
    m, n_H, n_W, n_C_prev, _, f, stride, _, seed = case
    A_prev = np.random.default_rng(seed).integers(0, 3, (m, n_H, n_W, n_C_prev)).astype(float)  # many ties
    hp = {"f": f, "stride": stride}
    A, cache = sc.pool_forward(A_prev, hp, mode=mode)
    dA = np.random.default_rng(seed + 1).standard_normal(A.shape)
    np.testing.assert_allclose(sc.pool_backward(dA, cache, mode=mode), pool_backward_loops(dA, cache, mode), atol=1e-12)


def test_large_inputs_are_convolved_a_slice_of_examples_at_a_time(monkeypatch):
    A_prev, W, b, hp, rng = conv_arrays(5, 6, 5, 3, 4, 3, 2, 1, 7)
    Z, cache = sc.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    whole = sc.conv_backward(dZ, cache)
    monkeypatch.setattr(conv, "CHUNK_BYTES", 1)  # one example per chunk
    np.testing.assert_allclose(sc.conv_forward(A_prev, W, b, hp)[0], Z, rtol=1e-13)
    for chunked, one in zip(sc.conv_backward(dZ, cache), whole):
        np.testing.assert_allclose(chunked, one, rtol=1e-13, atol=1e-13)


def test_zero_pad_and_the_helpers_follow_the_course():
    X = np.random.default_rng(0).standard_normal((2, 3, 4, 2))
    np.testing.assert_array_equal(sc.zero_pad(X, 2), np.pad(X, ((0, 0), (2, 2), (2, 2), (0, 0))))
    a, W = np.arange(12.0).reshape(2, 2, 3), np.full((2, 2, 3), 0.5)
    Z = sc.conv_single_step(a, W, np.full((1, 1, 1), -1.0))
    assert type(Z) is np.float64 and Z == 0.5 * 66 - 1
    np.testing.assert_array_equal(sc.create_mask_from_window(np.array([[1, 3], [3, 2]])), [[False, True], [True, False]])
    np.testing.assert_array_equal(sc.distribute_value(2.0, (2, 2)), np.full((2, 2), 0.5))


def test_inputs_are_never_modified():
    A_prev, W, b, hp, rng = conv_arrays(2, 5, 5, 2, 3, 3, 1, 1, 0)
    saved = [A_prev.copy(), W.copy(), b.copy(), dict(hp)]
    Z, cache = sc.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    dZ_saved = dZ.copy()
    sc.conv_backward(dZ, cache)
    for before, after in zip(saved, [A_prev, W, b, hp]):
        np.testing.assert_array_equal(before, after) if isinstance(before, np.ndarray) else None
    assert hp == saved[3]
    np.testing.assert_array_equal(dZ, dZ_saved)


# --- bad input: one sentence with the rule and the fix -------------------------------------------------

A = np.zeros((2, 5, 5, 3))
W = np.zeros((3, 3, 3, 8))
b = np.zeros((1, 1, 1, 8))


@pytest.mark.parametrize(
    ("args", "message_id", "words"),
    [
        ((A, np.zeros((7, 7, 3, 8)), b, {"stride": 1, "pad": 0}), "conv.window_too_large", ["f ≤ 5", "at least 1"]),
        ((A, W, b, {"stride": 0, "pad": 0}), "conv.bad_stride", ["at least 1", "stride = 1"]),
        ((A, W, b, {"stride": 1, "pad": -1}), "conv.bad_pad", ["at least 0", "pad = 0"]),
        ((A, W, b, {"stride": 1.5, "pad": 0}), "conv.bad_stride", ["whole number"]),
        ((np.zeros((2, 3, 5, 5)), W, b, {"stride": 1, "pad": 0}), "conv.channels_first", ["np.transpose(A_prev, (0, 2, 3, 1))"]),
        ((A, np.zeros((8, 3, 3, 3)), b, {"stride": 1, "pad": 0}), "conv.torch_kernel", ["np.transpose(W, (2, 3, 1, 0))"]),
        ((A, W, np.zeros(8), {"stride": 1, "pad": 0}), "conv.rank", ["(1, 1, 1, n_C)"]),
        ((A, W, np.zeros((1, 1, 8, 1)), {"stride": 1, "pad": 0}), "conv.bias", ["b.reshape(1, 1, 1, 8)"]),
        ((A, W, b, {"stride": 1}), "conv.hparameters", ["'pad'"]),
        ((A[0], W, b, {"stride": 1, "pad": 0}), "conv.rank", ["X[np.newaxis]"]),
    ],
)
def test_bad_conv_input_is_one_sentence_with_the_rule_and_the_fix(args, message_id, words):
    with pytest.raises(ShapecheckError) as raised:
        sc.conv_forward(*args)
    assert raised.value.message_id == message_id
    text = str(raised.value)
    assert "\n" not in text and "Fix" in text or message_id == "conv.window_too_large"
    for word in words:
        assert word in text


def test_bad_pooling_input_is_refused_before_any_math():
    with pytest.raises(ShapecheckError, match="larger than its input"):
        sc.pool_forward(np.zeros((1, 3, 3, 1)), {"f": 4, "stride": 1})
    with pytest.raises(ShapecheckError, match="not a pooling mode"):
        sc.pool_forward(np.zeros((1, 3, 3, 1)), {"f": 2, "stride": 1}, mode="mean")
    A, cache = sc.pool_forward(np.zeros((1, 4, 4, 1)), {"f": 2, "stride": 2})
    with pytest.raises(ShapecheckError, match=r"must be \(1, 2, 2, 1\)"):
        sc.pool_backward(np.zeros((1, 4, 4, 1)), cache)
    with pytest.raises(ShapecheckError, match="pool_forward's cache unchanged"):
        sc.pool_backward(A, (cache[0],))


@pytest.mark.parametrize("which", ["A_prev", "W", "pool"])
def test_a_masked_array_that_hides_entries_is_refused_and_left_untouched(which):
    """np.asarray drops a mask without a word: the course's convolution would use the numbers under it."""
    rng = np.random.default_rng(1)
    A, W, b = rng.standard_normal((2, 5, 5, 3)), rng.standard_normal((3, 3, 3, 4)), np.zeros((1, 1, 1, 4))
    target = W if which == "W" else A
    masked = np.ma.masked_array(target.copy(), mask=np.zeros(target.shape, bool))
    masked.mask[0, 1, 1, 0] = True
    before = masked.data.copy()
    with pytest.raises(ShapecheckError) as caught:
        if which == "pool":
            sc.pool_forward(masked, {"f": 2, "stride": 2})
        else:
            sc.conv_forward(masked if which == "A_prev" else A, masked if which == "W" else W, b, {"stride": 1, "pad": 1})
    assert caught.value.message_id == "conv.masked"
    assert "1 of its" in str(caught.value) and ".filled(0)" in str(caught.value)
    assert np.array_equal(masked.data, before) and masked.mask.sum() == 1
