"""The recurrent arithmetic: every time step of an RNN or an LSTM, in a few preallocated buffers.

The public functions (shapecheck.engine.rnn) keep the course's API and check shapes; these do
the math, on arrays already checked.

Layout: a buffer is the course's (rows, m, T_x) array with its last two axes swapped, (rows, T_x, m).
Then one time step B[:, t] is a (rows, m) matrix with contiguous rows, which BLAS reads in place,
and a whole sequence B.reshape(rows, T_x * m) is ONE matrix. So everything that does not depend
on the previous step is one matmul over all steps: W_x·x⟨t⟩ for every t before the loop, and
every dW after it. Only the recurrent matmul stays in the time loop.

History buffers hold T_x + 1 steps in the course's notation, a_hist[:, t] = a⟨t⟩ with a⟨0⟩ = a0,
so a_prev of every step is a_hist[:, :-1] and a of every step is a_hist[:, 1:], both views.

The four LSTM gates are stacked o, f, i, c (not the course's f, i, c, o): the three sigmoids are
then one block in the forward pass, and the three gradients that flow from dc⟨t⟩ one block in
the backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """σ(z) = (1 + tanh(z/2)) / 2: the course's 1/(1 + e⁻ᶻ), without exp's overflow at z ≪ 0."""
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the class axis (axis 0); shifted by the max so that exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    e /= e.sum(axis=0, keepdims=True)
    return e


def as_matrix(b: np.ndarray) -> np.ndarray:
    """(rows, T_x, m) -> (rows, T_x·m): a view for our buffers, a copy for any other layout."""
    return b.reshape(b.shape[0], -1)


# --- basic RNN --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RNNTape:
    """What the RNN forward pass keeps for the backward pass."""

    x: np.ndarray          # (n_x, T_x, m)
    a_hist: np.ndarray     # (n_a, T_x + 1, m): a⟨0⟩ = a0 .. a⟨T_x⟩


def rnn_steps_forward(x: np.ndarray, a0: np.ndarray, Wax: np.ndarray, Waa: np.ndarray,
                      ba: np.ndarray) -> RNNTape:
    """a⟨t⟩ = tanh(Waa·a⟨t-1⟩ + Wax·x⟨t⟩ + ba) for t = 1..T_x; x is (n_x, T_x, m)."""
    n_a, (n_x, T_x, m) = a0.shape[0], x.shape
    dtype = np.result_type(x, a0, Wax, Waa, ba)
    x = as_matrix(x)                                              # (n_x, T_x·m), one copy at most
    a_hist = np.empty((n_a, T_x + 1, m), dtype)                   # a⟨0⟩ .. a⟨T_x⟩
    a_hist[:, 0] = a0
    z = a_hist[:, 1:]                                             # (n_a, T_x, m), becomes a in place
    np.matmul(Wax, x, out=as_matrix(z))                           # Wax·x⟨t⟩ for every t at once
    z += ba[:, :, None]
    recurrent = np.empty((n_a, m), dtype)
    for t in range(T_x):
        z_t = z[:, t]                                             # (n_a, m)
        z_t += np.matmul(Waa, a_hist[:, t], out=recurrent)        # + Waa·a⟨t-1⟩
        np.tanh(z_t, out=z_t)                                     # a⟨t⟩
    return RNNTape(x.reshape(n_x, T_x, m), a_hist)


def rnn_steps_backward(da: np.ndarray, x: np.ndarray, a_prev: np.ndarray, a: np.ndarray,
                       Wax: np.ndarray, Waa: np.ndarray):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩ (all arrays (rows, T_x, m)).

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
    dWax = dz @ as_matrix(x).T                                    # (n_a, n_x), summed over t and m
    dWaa = dz @ as_matrix(a_prev).T                               # (n_a, n_a)
    dba = dz.sum(axis=1, keepdims=True)                           # (n_a, 1)
    dx = (Wax.T @ dz).reshape(x.shape)                            # (n_x, T_x, m)
    return dx, da_next, dWax, dWaa, dba


# --- LSTM -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LSTMTape:
    """What the LSTM forward pass keeps for the backward pass (all (rows, T_x, m) but the hists)."""

    x: np.ndarray          # (n_x, T_x, m)
    gates: np.ndarray      # (4, n_a, T_x, m): Γo, Γf, Γi, c̃ of every step
    a_hist: np.ndarray     # (n_a, T_x + 1, m): a⟨0⟩ = a0 .. a⟨T_x⟩
    c_hist: np.ndarray     # (n_a, T_x + 1, m): c⟨0⟩ = c0 .. c⟨T_x⟩
    tanh_c: np.ndarray     # (n_a, T_x, m): tanh(c⟨t⟩), kept for the backward pass


def lstm_steps_forward(x: np.ndarray, a0: np.ndarray, c0: np.ndarray, W: np.ndarray,
                       b: np.ndarray) -> LSTMTape:
    """Every step of the course's LSTM cell; x is (n_x, T_x, m), W (4n_a, n_a + n_x) stacks Wo, Wf, Wi, Wc.

    Γ = σ(W·[a⟨t-1⟩; x⟨t⟩] + b), c̃⟨t⟩ = tanh(Wc·[a⟨t-1⟩; x⟨t⟩] + bc),
    c⟨t⟩ = Γf ∗ c⟨t-1⟩ + Γi ∗ c̃⟨t⟩, a⟨t⟩ = Γo ∗ tanh(c⟨t⟩).
    """
    n_a, (n_x, T_x, m) = a0.shape[0], x.shape
    dtype = np.result_type(x, a0, c0, W, b)
    Wa, Wx = W[:, :n_a], W[:, n_a:]                               # [a_prev; x_t]: a_prev first
    x = as_matrix(x)                                              # (n_x, T_x·m), one copy at most
    gates = np.empty((4, n_a, T_x, m), dtype)
    z = gates.reshape(4 * n_a, T_x, m)                            # pre-activations, then activations
    np.matmul(Wx, x, out=as_matrix(z))                            # Wx·x⟨t⟩ for every t at once
    z += b[:, :, None]
    a_hist = np.empty((n_a, T_x + 1, m), dtype)
    c_hist = np.empty((n_a, T_x + 1, m), dtype)
    a_hist[:, 0], c_hist[:, 0] = a0, c0
    tanh_c = np.empty((n_a, T_x, m), dtype)
    recurrent = np.empty((4 * n_a, m), dtype)
    update = np.empty((n_a, m), dtype)
    for t in range(T_x):
        z_t = z[:, t]                                             # (4n_a, m)
        z_t += np.matmul(Wa, a_hist[:, t], out=recurrent)         # + Wa·a⟨t-1⟩
        sigmoid(z_t[: 3 * n_a], out=z_t[: 3 * n_a])               # Γo, Γf, Γi
        np.tanh(z_t[3 * n_a :], out=z_t[3 * n_a :])               # c̃⟨t⟩
        o, f, i, cc = gates[:, :, t]                              # (n_a, m) each
        c = c_hist[:, t + 1]
        np.multiply(f, c_hist[:, t], out=c)                       # c⟨t⟩ = Γf ∗ c⟨t-1⟩
        c += np.multiply(i, cc, out=update)                       #      + Γi ∗ c̃⟨t⟩
        np.tanh(c, out=tanh_c[:, t])
        np.multiply(o, tanh_c[:, t], out=a_hist[:, t + 1])        # a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)
    return LSTMTape(x.reshape(n_x, T_x, m), gates, a_hist, c_hist, tanh_c)


def lstm_steps_backward(da: np.ndarray, dc_last: np.ndarray | None, x: np.ndarray, a_prev: np.ndarray,
                        c_prev: np.ndarray, gates, tanh_c: np.ndarray, W: np.ndarray):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩ + Σ c⟨T_x⟩ ∗ dc_last.

    da, x, a_prev, c_prev, tanh_c and each of gates = (Γo, Γf, Γi, c̃) are (rows, T_x, m).
    Returns dx (n_x, T_x, m), da0, dc0 (n_a, m), dW (4n_a, n_a + n_x) and db (4n_a, 1), stacked o, f, i, c.
    """
    o, f, i, cc = gates
    n_a, T_x, m = o.shape
    dtype = np.result_type(da, o, W)
    Wa_T, Wx_T = W[:, :n_a].T, W[:, n_a:].T
    # Everything that does not depend on the recurrence, for every step at once:
    dc_from_da = o * (1 - tanh_c**2)                              # ∂a⟨t⟩/∂c⟨t⟩
    dzo_from_da = tanh_c * o * (1 - o)                            # dz_o = da⟨t⟩ ∗ tanh(c⟨t⟩) ∗ Γo(1-Γo)
    dz_from_dc = np.empty((3, n_a, T_x, m), dtype)
    np.multiply(c_prev, f * (1 - f), out=dz_from_dc[0])           # dz_f = dc⟨t⟩ ∗ c⟨t-1⟩ ∗ Γf(1-Γf)
    np.multiply(cc, i * (1 - i), out=dz_from_dc[1])               # dz_i = dc⟨t⟩ ∗ c̃⟨t⟩ ∗ Γi(1-Γi)
    np.multiply(i, 1 - cc**2, out=dz_from_dc[2])                  # dz_c = dc⟨t⟩ ∗ Γi ∗ (1 - c̃⟨t⟩²)

    dz = np.empty((4, n_a, T_x, m), dtype)                        # pre-activation gradients, o, f, i, c
    dz_rows = dz.reshape(4 * n_a, T_x, m)
    da_next = np.zeros((n_a, m), dtype)                           # what reaches a⟨t⟩ from step t+1
    dc_next = np.zeros((n_a, m), dtype) if dc_last is None else np.array(dc_last, dtype)
    da_t = np.empty((n_a, m), dtype)
    dc_t = np.empty((n_a, m), dtype)
    for t in reversed(range(T_x)):
        np.add(da[:, t], da_next, out=da_t)                       # everything that reaches a⟨t⟩
        np.multiply(da_t, dc_from_da[:, t], out=dc_t)
        dc_t += dc_next                                           # everything that reaches c⟨t⟩
        np.multiply(da_t, dzo_from_da[:, t], out=dz[0, :, t])
        np.multiply(dc_t, dz_from_dc[:, :, t], out=dz[1:, :, t])
        np.matmul(Wa_T, dz_rows[:, t], out=da_next)               # to a⟨t-1⟩, through all four gates
        np.multiply(dc_t, f[:, t], out=dc_next)                   # to c⟨t-1⟩, through Γf
    dz = as_matrix(dz_rows)                                       # (4n_a, T_x·m)
    dW = np.empty(W.shape, dtype)
    np.matmul(dz, as_matrix(a_prev).T, out=dW[:, :n_a])           # gradients add up over t and m
    np.matmul(dz, as_matrix(x).T, out=dW[:, n_a:])
    db = dz.sum(axis=1, keepdims=True)                            # (4n_a, 1)
    dx = (Wx_T @ dz).reshape(x.shape)                             # (n_x, T_x, m)
    return dx, da_next, dc_next, dW, db
