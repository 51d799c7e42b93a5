"""A masked array that hides entries, through every public entry that takes arrays the tracer's rules do not see.

np.asarray drops a mask without a word, and the course's equations would then use the numbers under it: forward,
train, predict and the convolutions refused it already; AL, ZL, gradients, the gradient checks' inputs and the
convolution's one-window helpers took it (found by the attack of stop 25).
"""

from __future__ import annotations

import numpy as np
import pytest

import shapecheck as sc

SPEC = [3, 4, 1]


def _hiding(array):
    masked = np.ma.masked_array(np.array(array, dtype=float), mask=np.zeros(np.shape(array), bool))
    masked.mask.flat[0] = True
    return masked


def _dense():
    rng = np.random.default_rng(0)
    params, X = sc.init_params(SPEC), rng.standard_normal((3, 5))
    Y = (rng.random((1, 5)) > 0.5).astype(float)
    AL, caches = sc.forward(SPEC, params, X)
    return params, X, Y, AL, caches, sc.backward(SPEC, AL, Y, caches)


def _lstm():
    rng = np.random.default_rng(1)
    p = {f"W{g}": rng.standard_normal((3, 5)) for g in "fico"} | {f"b{g}": rng.standard_normal((3, 1)) for g in "fico"}
    return p, rng.standard_normal((2, 4, 3)), rng.standard_normal((3, 4)), rng.standard_normal((3, 4, 3))


def _square(q):
    return float(np.sum(q["W"] ** 2))


CALLS = {   # name: (the array to hide, the call with it in place)
    "backward AL": (lambda d: d[3], lambda d, h: sc.backward(SPEC, h, d[2], d[4])),
    "compute_cost AL": (lambda d: d[3], lambda d, h: sc.compute_cost(h, d[2])),
    "compute_cost Y": (lambda d: d[2], lambda d, h: sc.compute_cost(d[3], h)),
    "compute_cost ZL": (lambda d: d[4][-1][1], lambda d, h: sc.compute_cost(d[3], d[2], ZL=h)),
    "update_params W1": (lambda d: d[0]["W1"], lambda d, h: sc.update_params({**d[0], "W1": h}, d[5], 0.1)),
    "update_params dW1": (lambda d: d[5]["dW1"], lambda d, h: sc.update_params(d[0], {**d[5], "dW1": h}, 0.1)),
    "gradcheck_network X": (lambda d: d[1], lambda d, h: sc.gradcheck_network(SPEC, d[0], h, d[2])),
    "gradcheck_network Y": (lambda d: d[2], lambda d, h: sc.gradcheck_network(SPEC, d[0], d[1], h)),
    "gradcheck_network W1": (lambda d: d[0]["W1"], lambda d, h: sc.gradcheck_network(SPEC, {**d[0], "W1": h}, d[1], d[2])),
    "gradcheck_network dW1": (lambda d: d[5]["dW1"],
                              lambda d, h: sc.gradcheck_network(SPEC, d[0], d[1], d[2], grads={**d[5], "dW1": h})),
    "gradcheck W": (lambda d: np.ones((2, 2)), lambda d, h: sc.gradcheck(_square, {"W": h}, {"dW": 2 * np.ones((2, 2))})),
    "gradcheck dW": (lambda d: 2 * np.ones((2, 2)), lambda d, h: sc.gradcheck(_square, {"W": np.ones((2, 2))}, {"dW": h})),
    "gradcheck_lstm x": (lambda d: _lstm()[1], lambda d, h: sc.gradcheck_lstm(_lstm()[0], h, _lstm()[2])),
    "gradcheck_lstm a0": (lambda d: _lstm()[2], lambda d, h: sc.gradcheck_lstm(_lstm()[0], _lstm()[1], h)),
    "gradcheck_lstm da": (lambda d: _lstm()[3], lambda d, h: sc.gradcheck_lstm(_lstm()[0], _lstm()[1], _lstm()[2], da=h)),
    "gradcheck_lstm Wf": (lambda d: _lstm()[0]["Wf"],
                          lambda d, h: sc.gradcheck_lstm({**_lstm()[0], "Wf": h}, _lstm()[1], _lstm()[2])),
    "conv_single_step a_slice_prev": (lambda d: np.ones((2, 2, 3)),
                                      lambda d, h: sc.conv_single_step(h, np.ones((2, 2, 3)), np.ones((1, 1, 1)))),
    "conv_single_step W": (lambda d: np.ones((2, 2, 3)),
                           lambda d, h: sc.conv_single_step(np.ones((2, 2, 3)), h, np.ones((1, 1, 1)))),
    "create_mask_from_window x": (lambda d: np.arange(4.0).reshape(2, 2), lambda d, h: sc.create_mask_from_window(h)),
}


@pytest.mark.parametrize("call", CALLS)
def test_a_masked_array_that_hides_entries_is_refused_by_every_entry(call):
    pick, run = CALLS[call]
    data = _dense()
    masked = _hiding(pick(data))
    before, mask_before = masked.data.copy(), masked.mask.copy()
    with pytest.raises(sc.ShapecheckError) as caught:
        run(data, masked)
    name = call.split()[-1]
    assert f"{name} is a masked array with 1 of its {masked.size} entries masked" in str(caught.value)
    assert f"{name}.filled(0)" in str(caught.value)
    assert np.array_equal(masked.data, before) and np.array_equal(masked.mask, mask_before)


@pytest.mark.parametrize("call", ["backward AL", "compute_cost Y", "gradcheck_network X", "gradcheck_lstm x",
                                  "create_mask_from_window x"])
def test_a_masked_array_that_hides_nothing_is_its_data(call):
    pick, run = CALLS[call]
    data = _dense()
    plain = pick(data)
    expected, got = run(data, plain), run(data, np.ma.masked_array(plain, mask=False))
    if isinstance(expected, dict):
        assert all(np.array_equal(expected[k], got[k]) for k in expected)
    elif hasattr(expected, "passed"):
        assert expected.passed and got.passed
    else:
        assert np.array_equal(expected, got)
