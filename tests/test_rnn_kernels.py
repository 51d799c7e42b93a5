"""The recurrent kernels' two ways of the recurrent product (one matmul, or one per gate to stay below
OpenBLAS's threading threshold) give the same numbers; the course's arrays go in and out as views."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine import rnn_kernels as K


def run_all(rng, m, T_x, n_x, n_a):
    """Forward and backward of the three kernels on one random case: every output, flattened."""
    X, a0 = rng.standard_normal((m, T_x, n_x)), rng.standard_normal((m, n_a))
    dH = rng.standard_normal((m, T_x, n_a))
    out = []
    for gates in (1, 3, 4):
        Wx, Wa = rng.standard_normal((gates * n_a, n_x)), rng.standard_normal((gates * n_a, n_a)) * 0.5
        b = rng.standard_normal(gates * n_a)
        if gates == 1:
            tape = K.rnn_steps_forward(X, a0, Wx, Wa, b)
            A_prev = np.concatenate([a0[:, None], tape.H[:, :-1]], axis=1)
            grads = K.rnn_steps_backward(dH, None, X, A_prev, tape.H, None, Wx, Wa)
        elif gates == 3:
            tape = K.gru_steps_forward(X, a0, Wx, Wa, b, -b)
            A_prev = np.concatenate([a0[:, None], tape.H[:, :-1]], axis=1)
            grads = K.gru_steps_backward(dH, None, X, A_prev, tape.G, tape.R, None, Wx, Wa)
        else:
            tape = K.lstm_steps_forward(X, a0, a0 * 0.5, Wx, Wa, b)
            A_prev = np.concatenate([a0[:, None], tape.H[:, :-1]], axis=1)
            grads = K.lstm_steps_backward(dH, None, None, X, A_prev, tape.C[:, :-1], tape.C[:, 1:], tape.tanh_c,
                                          tape.G, None, Wx, Wa)
        out += [tape.H, *grads]
    return out


@settings(max_examples=20, deadline=None)
@given(m=st.integers(1, 5), T_x=st.integers(1, 4), n_x=st.integers(1, 4), n_a=st.integers(1, 4), seed=st.integers(0, 999))
def test_per_gate_recurrent_products_equal_one_product(m, T_x, n_x, n_a, seed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(K, "_SINGLE_THREAD_MNK", 0)                 # every product split per gate
        split = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
        patch.setattr(K, "_SINGLE_THREAD_MNK", 10**12)            # never split
        whole = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
    for a, b in zip(split, whole):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_the_split_is_taken_at_course_sizes_and_not_below():
    assert K._Recurrent(np.zeros((64, 256)), 64).split and not K._Recurrent(np.zeros((8, 32)), 1).split
    assert K._RecurrentBack(np.zeros((256, 64)), 64).split and not K._RecurrentBack(np.zeros((64, 64)), 64).split


def test_the_course_x_is_read_in_place_and_dx_written_in_place():
    """No transpose in: the kernels' X is a view of the course's x; none out: dx is written where it lands."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5))                            # (n_x, m, T_x)
    X = x.transpose(1, 2, 0)
    assert np.shares_memory(K.rows(X), x)
    dx = np.empty((3, 4, 5))
    assert np.shares_memory(np.reshape(dx.transpose(1, 2, 0), (-1, 3), copy=False), dx)
    p = {k: rng.standard_normal((2, 5)) for k in ("Wf", "Wi", "Wc", "Wo")}
    p |= {k: np.zeros((2, 1)) for k in ("bf", "bi", "bc", "bo")} | {"Wy": np.ones((1, 2)), "by": np.zeros((1, 1))}
    caches = sc.lstm_forward(x, np.zeros((2, 4)), p)[3]
    assert caches[0][0][0].base is not None and np.shares_memory(caches[0][0][8], x)   # views, not copies
