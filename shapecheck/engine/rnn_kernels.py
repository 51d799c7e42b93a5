"""The recurrent arithmetic: every time step of an RNN or an LSTM, in a few preallocated buffers.

The public functions (shapecheck.engine.rnn) keep the course's API and check shapes; these do
the math, on arrays already checked.

Layout: a buffer is the course's (rows, m, T_x) array with its last two axes swapped, (rows, T_x, m).
Then one time step B[:, t] is a (rows, m) matrix with contiguous rows, which BLAS reads in place,
and a whole sequence B.reshape(rows, T_x * m) is ONE matrix. So everything that does not depend
on the previous step is one matmul over all steps: W_x·x⟨t⟩ for every t before the loop, and
every dW after it. Only the recurrent matmul stays in the time loop.

The inputs of every step live in one buffer, ``concat`` (n_a + n_x + 1, T_x + 1, m): column t is
the course's concat = [a_prev; xt] of step t plus a row of ones, so that the biases ride along
as one more column of W. Then concat[:n_a, t + 1] is the a_next of step t, concat[:n_a] is every
a⟨t⟩ from a⟨0⟩ = a0 to a⟨T_x⟩, and dW, db of every step and example are ONE matmul,
dz·concatᵀ. The x rows of the last column are never read.

The four LSTM gates are stacked o, f, i, c (not the course's f, i, c, o): the three sigmoids are
one block in the forward pass, and the three gradients that flow from dc⟨t⟩ one block backward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the class axis (axis 0); shifted by the max so that exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    e /= e.sum(axis=0, keepdims=True)
    return e


def as_matrix(b: np.ndarray) -> np.ndarray:
    """(rows, T_x, m) -> (rows, T_x·m): a view for our buffers, a copy for any other layout."""
    return b.reshape(b.shape[0], -1)


def stacked_inputs(a_prev: np.ndarray, x: np.ndarray, columns: int | None = None, dtype=None) -> np.ndarray:
    """[a_prev; x; 1] (n_a + n_x + 1, columns, m) from a_prev (n_a, T_x, m) and x (n_x, T_x, m).

    With ``columns`` = T_x + 1, the forward passes' buffer: a_prev holds a0 only, then a⟨t⟩
    is written into it step by step.
    """
    n_a, (n_x, T_x, m) = a_prev.shape[0], x.shape
    concat = np.empty((n_a + n_x + 1, columns or T_x, m), dtype or np.result_type(a_prev, x))
    concat[:n_a, : a_prev.shape[1]] = a_prev
    concat[n_a:-1, :T_x] = x
    concat[n_a:-1, T_x:] = 0                                      # the unused x of column T_x
    concat[-1] = 1                                                # multiplies the bias column of W
    return concat


# --- basic RNN --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RNNTape:
    """What the RNN forward pass keeps for the backward pass."""

    concat: np.ndarray     # (n_a + n_x + 1, T_x + 1, m): [a⟨t-1⟩; x⟨t⟩; 1] of every step


def rnn_steps_forward(x: np.ndarray, a0: np.ndarray, Wax: np.ndarray, Waa: np.ndarray,
                      ba: np.ndarray) -> RNNTape:
    """a⟨t⟩ = tanh(Waa·a⟨t-1⟩ + Wax·x⟨t⟩ + ba) for t = 1..T_x; x is (n_x, T_x, m)."""
    n_a, T_x = a0.shape[0], x.shape[1]
    concat = stacked_inputs(a0[:, None], x, T_x + 1, np.result_type(x, a0, Wax, Waa, ba))
    a = concat[:n_a, 1:]                                          # (n_a, T_x, m), filled step by step
    Wx = np.concatenate([Wax, ba], axis=1)                        # [Wax | ba] acts on [x; 1]
    np.matmul(Wx, as_matrix(concat[n_a:, :T_x]), out=as_matrix(a))   # Wax·x⟨t⟩ + ba, every t at once
    recurrent = np.empty(a0.shape, a.dtype)
    for t in range(T_x):
        z_t = a[:, t]                                             # (n_a, m)
        z_t += np.matmul(Waa, concat[:n_a, t], out=recurrent)     # + Waa·a⟨t-1⟩
        np.tanh(z_t, out=z_t)                                     # a⟨t⟩
    return RNNTape(concat)


def rnn_steps_backward(da: np.ndarray, concat: np.ndarray, a: np.ndarray, Wax: np.ndarray, Waa: np.ndarray):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩; da and a are (n_a, T_x, m), concat [a_prev; x; 1].

    Returns dx (n_x, T_x, m), da0 (n_a, m), dWax, dWaa, dba.
    """
    n_a, T_x, m = a.shape
    dz = 1 - a**2                                                 # tanh'(z⟨t⟩), every step at once
    da_next = np.zeros((n_a, m), dz.dtype)                        # what reaches a⟨t⟩ from step t+1
    da_t = np.empty((n_a, m), dz.dtype)
    for t in reversed(range(T_x)):
        np.add(da[:, t], da_next, out=da_t)                       # everything that reaches a⟨t⟩
        dz[:, t] *= da_t                                          # dz⟨t⟩ = da⟨t⟩ ∗ (1 - a⟨t⟩²)
        np.matmul(Waa.T, dz[:, t], out=da_next)                   # to a⟨t-1⟩
    dz = as_matrix(dz)                                            # (n_a, T_x·m)
    dW = dz @ as_matrix(concat[:, :T_x]).T                        # [dWaa | dWax | dba], summed over t, m
    dx = Wax.T @ dz                                               # (n_x, T_x·m)
    return dx.reshape(-1, T_x, m), da_next, dW[:, n_a:-1], dW[:, :n_a], dW[:, -1:]


# --- LSTM -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LSTMTape:
    """What the LSTM forward pass keeps for the backward pass."""

    concat: np.ndarray     # (n_a + n_x + 1, T_x + 1, m): [a⟨t-1⟩; x⟨t⟩; 1] of every step
    gates: np.ndarray      # (4, n_a, T_x, m): Γo, Γf, Γi, c̃ of every step
    c_hist: np.ndarray     # (n_a, T_x + 1, m): c⟨0⟩ = c0 .. c⟨T_x⟩
    tanh_c: np.ndarray     # (n_a, T_x, m): tanh(c⟨t⟩)


def lstm_steps_forward(x: np.ndarray, a0: np.ndarray, c0: np.ndarray, W: np.ndarray,
                       b: np.ndarray) -> LSTMTape:
    """Every step of the course's LSTM cell; x is (n_x, T_x, m), W (4n_a, n_a + n_x) stacks Wo, Wf, Wi, Wc.

    Γ = σ(W·[a⟨t-1⟩; x⟨t⟩] + b), c̃⟨t⟩ = tanh(Wc·[a⟨t-1⟩; x⟨t⟩] + bc),
    c⟨t⟩ = Γf ∗ c⟨t-1⟩ + Γi ∗ c̃⟨t⟩, a⟨t⟩ = Γo ∗ tanh(c⟨t⟩).
    """
    n_a, (n_x, T_x, m) = a0.shape[0], x.shape
    dtype = np.result_type(x, a0, c0, W, b)
    concat = stacked_inputs(a0[:, None], x, T_x + 1, dtype)
    # σ(z) = (1 + tanh(z/2)) / 2 is the course's 1/(1 + e⁻ᶻ) without exp's overflow; halving the
    # sigmoid rows once (exact: a power of two) lets one tanh per step serve all four gates.
    W = np.concatenate([W, b], axis=1)                            # [Wa | Wx | b]
    W[: 3 * n_a] *= 0.5
    gates = np.empty((4, n_a, T_x, m), dtype)                     # pre-activations, then activations
    np.matmul(W[:, n_a:], as_matrix(concat[n_a:, :T_x]), out=gates.reshape(4 * n_a, T_x * m))  # Wx·x⟨t⟩ + b
    # Four (n_a, n_a) products in one batched call rather than one (4n_a, n_a) product: a little
    # slower on an idle machine, but at course sizes small enough that OpenBLAS keeps each on one
    # thread. A multithreaded matmul in every step stalls whenever another process holds a core.
    Wa = W[:, :n_a].reshape(4, n_a, n_a)
    c_hist = np.empty((n_a, T_x + 1, m), dtype)
    c_hist[:, 0] = c0
    tanh_c = np.empty((n_a, T_x, m), dtype)
    recurrent = np.empty((4, n_a, m), dtype)
    update = np.empty((n_a, m), dtype)
    for t in range(T_x):
        z = gates[:, :, t]                                        # (4, n_a, m): Wx·x⟨t⟩ + b so far
        z += np.matmul(Wa, concat[:n_a, t], out=recurrent)        # + Wa·a⟨t-1⟩
        np.tanh(z, out=z)                                         # tanh(z/2) of Γo, Γf, Γi; c̃⟨t⟩
        sigmoids = z[:3]
        sigmoids *= 0.5
        sigmoids += 0.5                                           # Γo, Γf, Γi
        o, f, i, cc = z                                           # (n_a, m) each
        c = c_hist[:, t + 1]
        np.multiply(f, c_hist[:, t], out=c)                       # c⟨t⟩ = Γf ∗ c⟨t-1⟩
        c += np.multiply(i, cc, out=update)                       #      + Γi ∗ c̃⟨t⟩
        np.tanh(c, out=tanh_c[:, t])
        np.multiply(o, tanh_c[:, t], out=concat[:n_a, t + 1])     # a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)
    return LSTMTape(concat, gates, c_hist, tanh_c)


def lstm_steps_backward(da: np.ndarray, dc_last: np.ndarray | None, concat: np.ndarray, c_prev: np.ndarray,
                        gates: np.ndarray, tanh_c: np.ndarray, W: np.ndarray):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩ + Σ c⟨T_x⟩ ∗ dc_last.

    da, c_prev and tanh_c are (n_a, T_x, m), gates (4, n_a, T_x, m) = Γo, Γf, Γi, c̃ of every step,
    concat [a_prev; x; 1] of every step. Returns dx (n_x, T_x, m), da0, dc0 (n_a, m), and
    dW (4n_a, n_a + n_x), db (4n_a, 1) stacked o, f, i, c.
    """
    _, n_a, T_x, m = gates.shape
    dtype = np.result_type(da, gates, W)
    dz = np.empty((4, n_a, T_x, m), dtype)                        # gradients of the pre-activations
    Wa_T = W[:, :n_a].reshape(4, n_a, n_a).transpose(0, 2, 1)     # per gate, as in the forward pass
    da_next = np.zeros((n_a, m), dtype)                           # what reaches a⟨t⟩ from step t+1
    dc_next = np.zeros((n_a, m), dtype) if dc_last is None else np.array(dc_last, dtype)
    da_t = np.empty((n_a, m), dtype)
    dc_t = np.empty((n_a, m), dtype)
    recurrent = np.empty((4, n_a, m), dtype)
    for t in reversed(range(T_x)):
        o, f, i, cc = gates[:, :, t]                              # (n_a, m) each
        tc = tanh_c[:, t]
        dz_o, dz_f, dz_i, dz_c = dz_t = dz[:, :, t]
        np.add(da[:, t], da_next, out=da_t)                       # everything that reaches a⟨t⟩
        np.multiply(tc, tc, out=dc_t)
        np.subtract(1, dc_t, out=dc_t)
        dc_t *= o
        dc_t *= da_t
        dc_t += dc_next                                           # dc⟨t⟩ = dc_next + da⟨t⟩ ∗ Γo ∗ (1 - tanh²c⟨t⟩)
        np.subtract(1, gates[:3, :, t], out=dz_t[:3])
        dz_t[:3] *= gates[:3, :, t]                               # Γ(1 - Γ) = σ'(z) of o, f, i
        dz_o *= tc
        dz_o *= da_t                                              # dz_o = da⟨t⟩ ∗ tanh(c⟨t⟩) ∗ Γo(1-Γo)
        dz_f *= c_prev[:, t]                                      # dz_f = dc⟨t⟩ ∗ c⟨t-1⟩ ∗ Γf(1-Γf)
        dz_i *= cc                                                # dz_i = dc⟨t⟩ ∗ c̃⟨t⟩ ∗ Γi(1-Γi)
        np.multiply(cc, cc, out=dz_c)
        np.subtract(1, dz_c, out=dz_c)
        dz_c *= i                                                 # dz_c = dc⟨t⟩ ∗ Γi ∗ (1 - c̃⟨t⟩²)
        dz_t[1:] *= dc_t
        np.matmul(Wa_T, dz_t, out=recurrent)
        np.sum(recurrent, axis=0, out=da_next)                    # to a⟨t-1⟩, through all four gates
        np.multiply(dc_t, f, out=dc_next)                         # to c⟨t-1⟩, through Γf
    dz = dz.reshape(4 * n_a, T_x * m)
    dWb = dz @ as_matrix(concat[:, :T_x]).T                       # [dW | db], summed over t and m
    dx = W[:, n_a:].T @ dz                                        # (n_x, T_x·m)
    return dx.reshape(-1, T_x, m), da_next, dc_next, dWb[:, :-1], dWb[:, -1:]
