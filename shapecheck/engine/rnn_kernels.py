"""The recurrent arithmetic: the one step of each cell (RNN, LSTM, GRU) and the loops through time.

The course's functions (rnn.py), the Keras layers (keras_layers.py) and the LSTM gradient check
(fastcheck_lstm.py) all run these steps; the callers check shapes, these do the math on arrays
already checked.

Layout: examples first, (m, T_x, rows), as Keras's (batch, T, features). It needs no transpose of
the course's (rows, m, T_x) arrays: both flatten (m, T_x) in the same order, so the course's x
(n_x, m, T_x) is, without a copy, the matrix X (m·T_x, n_x) read in Fortran order, and every
product over all steps (W_x·x⟨t⟩ for every t, dW, dx) is ONE BLAS call on such views. One step is
then a (m, rows) matrix whose rows are contiguous: the state a⟨t-1⟩ that the recurrent matmul
reads, and the gates that the elementwise ufuncs write in place (``out=``). Only the recurrent
matmul and the gates stay in the time loop, in buffers allocated once per call.

Gates are stacked, per gate block of n_a columns, in the kernels' own order: o, f, i, c for the
LSTM (the three sigmoids side by side, and the three gradients that flow from dc⟨t⟩ side by side),
z, r, h for the GRU (Keras's). σ(z) = (1 + tanh(z/2)) / 2 is the course's 1/(1 + e⁻ᶻ) without exp's
overflow; the sigmoid gates' weights are halved once (exact: a power of two), so that one tanh
serves every gate of a step.

A recurrent matmul bigger than 64³ multiply-adds is split per gate: OpenBLAS runs such a product on
all cores, and a multithreaded matmul in every step stalls whenever another process holds a core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

LSTM_ORDER = ("o", "f", "i", "c")       # the LSTM kernel's gate blocks
GRU_ORDER = ("z", "r", "h")             # the GRU kernel's gate blocks (Keras's)
_SINGLE_THREAD_MNK = 64**3              # OpenBLAS multithreads a matmul above m·n·k = 4·65536


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the class axis (axis 0); shifted by the max so that exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    e /= e.sum(axis=0, keepdims=True)
    return e


def rows(a: np.ndarray) -> np.ndarray:
    """(m, T_x, k) -> (m·T_x, k): a view for every layout the callers pass (a copy only otherwise)."""
    return a.reshape(-1, a.shape[-1])


def _halved(W: np.ndarray, sigmoid_rows: int) -> np.ndarray:
    """Wᵀ with its first ``sigmoid_rows`` rows of W halved: σ(z) = (1 + tanh(z/2)) / 2."""
    WT = np.array(W.T, order="C")
    WT[:, :sigmoid_rows] *= 0.5
    return WT


class _Recurrent:
    """a⟨t-1⟩·Waᵀ into ``out`` (m, G·n_a), per gate when one product would be multithreaded."""

    def __init__(self, WaT: np.ndarray, m: int) -> None:
        n_a, k = WaT.shape
        self.split = m * k * n_a > _SINGLE_THREAD_MNK and k > n_a
        gates = k // n_a
        self.WaT = WaT.reshape(n_a, gates, n_a).transpose(1, 0, 2) if self.split else WaT   # (G, n_a, n_a)
        self.gates, self.n_a = gates, n_a

    def forward(self, a_prev: np.ndarray, out: np.ndarray) -> None:
        if self.split:                                            # out (m, G·n_a) seen as (G, m, n_a)
            np.matmul(a_prev, self.WaT, out=out.reshape(-1, self.gates, self.n_a).transpose(1, 0, 2))
        else:
            np.matmul(a_prev, self.WaT, out=out)


class _RecurrentBack:
    """dz⟨t⟩·Wa (m, n_a): what reaches a⟨t-1⟩ through every gate, per gate when one product would be multithreaded."""

    def __init__(self, Wa: np.ndarray, m: int) -> None:
        k, n_a = Wa.shape
        self.gates, self.n_a = k // n_a, n_a
        self.split = m * k * n_a > _SINGLE_THREAD_MNK and k > n_a
        self.Wa = Wa.reshape(self.gates, n_a, n_a) if self.split else Wa
        self.parts = np.empty((self.gates, m, n_a), Wa.dtype) if self.split else None

    def backward(self, dz: np.ndarray, out: np.ndarray) -> None:
        if self.split:
            np.matmul(dz.reshape(-1, self.gates, self.n_a).transpose(1, 0, 2), self.Wa, out=self.parts)
            np.add.reduce(self.parts, axis=0, out=out)
        else:
            np.matmul(dz, self.Wa, out=out)


def _upstream(dH: np.ndarray | None, da_last: np.ndarray | None, T_x: int, t: int, running: np.ndarray,
              out: np.ndarray) -> np.ndarray:
    """Everything that reaches a⟨t⟩: the upstream gradient of step t plus what came back from step t+1."""
    if dH is not None:
        np.add(dH[:, t], running, out=out)
    else:
        np.copyto(out, running)
    if t == T_x - 1 and da_last is not None:
        out += da_last
    return out


def _input_products(dZ: np.ndarray, X: np.ndarray, W: np.ndarray, dX: np.ndarray | None):
    """dW = Σ_t dz⟨t⟩ᵀ·x⟨t⟩, db = Σ_t dz⟨t⟩, dx⟨t⟩ = dz⟨t⟩·W, each ONE product over all steps and examples."""
    dZ2 = rows(dZ)                                                # (m·T_x, k)
    dW = dZ2.T @ rows(X)                                          # (k, n_x)
    db = np.add.reduce(dZ2, axis=0)                               # (k,)
    if dX is not None:
        np.matmul(dZ2, W, out=np.reshape(dX, (-1, W.shape[1]), copy=False))   # (m·T_x, n_x), into the caller's layout
    return dW, db


# --- the basic RNN ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RNNTape:
    """What the RNN forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray         # (m, n_a)
    H: np.ndarray          # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩
    Z: np.ndarray | None   # (m, T_x, n_a): pre-activations, kept only for an activation other than tanh


def rnn_step(z: np.ndarray, a: np.ndarray, activation: Any = None) -> None:
    """a⟨t⟩ = g(z⟨t⟩) into ``a``; g = tanh (in place when z is a) unless a Keras activation is given."""
    if activation is None:
        np.tanh(z, out=a)
    else:
        activation.forward(z, a)


def rnn_steps_forward(X: np.ndarray, a0: np.ndarray, Wx: np.ndarray, Wa: np.ndarray, b: np.ndarray,
                      activation: Any = None) -> RNNTape:
    """a⟨t⟩ = g(Wa·a⟨t-1⟩ + Wx·x⟨t⟩ + b) for t = 1..T_x; X (m, T_x, n_x), Wx (n_a, n_x), Wa (n_a, n_a), b (n_a,)."""
    m, T_x, _ = X.shape
    n_a = Wa.shape[0]
    dtype = np.result_type(X, a0, Wx, Wa, b)
    H = np.empty((m, T_x, n_a), dtype)
    Z = H if activation is None else np.empty_like(H)             # tanh runs in place
    np.matmul(rows(X), Wx.T, out=rows(Z))                         # Wx·x⟨t⟩, every step at once
    Z += b
    recurrent = _Recurrent(np.array(Wa.T, dtype, order="C"), m)
    scratch = np.empty((m, n_a), dtype)
    a_prev = a0
    for t in range(T_x):
        z = Z[:, t]                                               # (m, n_a)
        recurrent.forward(a_prev, scratch)
        z += scratch                                              # + Wa·a⟨t-1⟩
        a_prev = H[:, t]
        rnn_step(z, a_prev, activation)
    return RNNTape(X, a0, H, None if activation is None else Z)


def rnn_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, X: np.ndarray, A_prev: np.ndarray,
                       H: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       activation: Any = None, dX: np.ndarray | None = None):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last).

    X (m, T_x, n_x), A_prev (m, T_x, n_a) the a⟨t-1⟩ of every step, H (m, T_x, n_a) the a⟨t⟩.
    Writes dx into ``dX`` (m, T_x, n_x; any layout) if given. Returns da0 (m, n_a), dWx, dWa, db.
    """
    m, T_x, n_a = H.shape
    dtype = np.result_type(H, Wa, *(d for d in (dH, da_last) if d is not None))
    dZ = np.empty((m, T_x, n_a), dtype)
    da_next = np.zeros((m, n_a), dtype)                           # what reaches a⟨t⟩ from step t+1
    da_t = np.empty((m, n_a), dtype)
    scratch = np.empty((m, n_a), dtype)
    back = _RecurrentBack(np.asarray(Wa, dtype), m)
    if activation is None:                                        # tanh'(z⟨t⟩) = 1 - a⟨t⟩², every step at once
        np.multiply(H, H, out=dZ)
        np.subtract(1, dZ, out=dZ)
    for t in reversed(range(T_x)):
        _upstream(dH, da_last, T_x, t, da_next, da_t)
        dz = dZ[:, t]
        if activation is None:
            dz *= da_t                                            # dz⟨t⟩ = da⟨t⟩ ∗ (1 - a⟨t⟩²)
        else:
            activation.backward(H[:, t], Z[:, t], da_t, dz, scratch)
        back.backward(dz, da_next)                                # to a⟨t-1⟩
    dWx, db = _input_products(dZ, X, Wx, dX)
    dWa = rows(dZ).T @ rows(A_prev)                               # Σ_t dz⟨t⟩ᵀ·a⟨t-1⟩
    return da_next, dWx, dWa, db


# --- LSTM -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LSTMTape:
    """What the LSTM forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray         # (m, n_a)
    H: np.ndarray          # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩
    C: np.ndarray          # (m, T_x + 1, n_a): c⟨0⟩ .. c⟨T_x⟩
    tanh_c: np.ndarray     # (m, T_x, n_a): tanh(c⟨t⟩)
    G: np.ndarray          # (m, T_x, 4n_a): Γo, Γf, Γi, c̃ of every step
    Z: np.ndarray | None   # (m, T_x, 4n_a): pre-activations, kept only for activations other than the course's


def lstm_step(z: np.ndarray, c_prev: np.ndarray, c: np.ndarray, tanh_c: np.ndarray, a: np.ndarray,
              scratch: np.ndarray, gates: np.ndarray | None = None, activations: tuple | None = None) -> None:
    """One LSTM step from its pre-activations z (m, 4n_a) = [z_o, z_f, z_i, z_c]:

    Γo, Γf, Γi = σ(z_o, z_f, z_i), c̃ = tanh(z_c); c⟨t⟩ = Γf ∗ c⟨t-1⟩ + Γi ∗ c̃, a⟨t⟩ = Γo ∗ tanh(c⟨t⟩).

    The course's activations run in place on z, whose sigmoid blocks come halved (see the module).
    With Keras's ``activations`` = (g, recurrent g), z stays as it is and ``gates`` receives them.
    """
    n_a = c.shape[-1]
    if activations is None:
        gates = z
        np.tanh(z, out=z)                                         # tanh(z/2) of o, f, i; c̃
        sigmoids = z[:, : 3 * n_a]
        sigmoids *= 0.5
        sigmoids += 0.5                                           # Γo, Γf, Γi
        np.multiply(gates[:, n_a : 2 * n_a], c_prev, out=c)       # c⟨t⟩ = Γf ∗ c⟨t-1⟩
        c += np.multiply(gates[:, 2 * n_a : 3 * n_a], gates[:, 3 * n_a :], out=scratch)   # + Γi ∗ c̃⟨t⟩
        np.tanh(c, out=tanh_c)
    else:
        g, gate_g = activations
        for k in range(3):
            gate_g.forward(z[:, k * n_a : (k + 1) * n_a], gates[:, k * n_a : (k + 1) * n_a])
        g.forward(z[:, 3 * n_a :], gates[:, 3 * n_a :])
        np.multiply(gates[:, n_a : 2 * n_a], c_prev, out=c)
        c += np.multiply(gates[:, 2 * n_a : 3 * n_a], gates[:, 3 * n_a :], out=scratch)
        g.forward(c, tanh_c)
    np.multiply(gates[:, :n_a], tanh_c, out=a)                    # a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)


def lstm_weights(Wx: np.ndarray, Wa: np.ndarray, b: np.ndarray, dtype, halve: bool):
    """(WxT, WaT, b) in the kernel's form: transposed, contiguous, the sigmoid gates halved for the course's σ."""
    rows_ = 3 * Wa.shape[1] if halve else 0
    WxT, WaT = _halved(Wx.astype(dtype, copy=False), rows_), _halved(Wa.astype(dtype, copy=False), rows_)
    b = np.array(b, dtype).reshape(-1)
    b[:rows_] *= 0.5
    return WxT, WaT, b


def lstm_steps_forward(X: np.ndarray, a0: np.ndarray, c0: np.ndarray, Wx: np.ndarray, Wa: np.ndarray,
                       b: np.ndarray, activations: tuple | None = None) -> LSTMTape:
    """Every step of the LSTM; X (m, T_x, n_x), Wx (4n_a, n_x), Wa (4n_a, n_a), b (4n_a,) stacked o, f, i, c."""
    m, T_x, _ = X.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(X, a0, c0, Wx, Wa, b)
    WxT, WaT, b = lstm_weights(Wx, Wa, b, dtype, halve=activations is None)
    G = np.empty((m, T_x, 4 * n_a), dtype)                        # pre-activations, then the gates
    Z = G if activations is None else np.empty_like(G)
    np.matmul(rows(X), WxT, out=rows(Z))                          # Wx·x⟨t⟩, every step at once
    Z += b
    H = np.empty((m, T_x, n_a), dtype)
    C = np.empty((m, T_x + 1, n_a), dtype)
    C[:, 0] = c0
    tanh_c = np.empty((m, T_x, n_a), dtype)
    recurrent = _Recurrent(WaT, m)
    inner = np.empty((m, 4 * n_a), dtype)
    scratch = np.empty((m, n_a), dtype)
    a_prev = a0
    for t in range(T_x):
        z = Z[:, t]                                               # (m, 4n_a): Wx·x⟨t⟩ + b so far
        recurrent.forward(a_prev, inner)
        z += inner                                                # + Wa·a⟨t-1⟩
        a_prev = H[:, t]
        lstm_step(z, C[:, t], C[:, t + 1], tanh_c[:, t], a_prev, scratch, G[:, t], activations)
    return LSTMTape(X, a0, H, C, tanh_c, G, None if activations is None else Z)


def lstm_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, dc_last: np.ndarray | None,
                        X: np.ndarray, A_prev: np.ndarray, C_prev: np.ndarray, C: np.ndarray, tanh_c: np.ndarray,
                        G: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, activations: tuple | None = None,
                        dX: np.ndarray | None = None):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last) + Σ c⟨T_x⟩ ∗ dc_last.

    X (m, T_x, n_x); A_prev, C_prev, C (m, T_x, n_a) the a⟨t-1⟩, c⟨t-1⟩, c⟨t⟩ of every step; tanh_c (m, T_x, n_a);
    G (m, T_x, 4n_a) = Γo, Γf, Γi, c̃. Writes dx into ``dX`` if given. Returns da0, dc0 (m, n_a), and
    dWx (4n_a, n_x), dWa (4n_a, n_a), db (4n_a,) stacked o, f, i, c.
    """
    m, T_x, n_a = tanh_c.shape
    dtype = np.result_type(G, Wa, *(d for d in (dH, da_last, dc_last) if d is not None))
    dZ = np.empty((m, T_x, 4 * n_a), dtype)                       # gradients of the pre-activations
    da_next = np.zeros((m, n_a), dtype)                           # what reaches a⟨t⟩ from step t+1
    dc_next = np.zeros((m, n_a), dtype) if dc_last is None else np.array(dc_last, dtype)
    da_t = np.empty((m, n_a), dtype)
    dc_t = np.empty((m, n_a), dtype)
    scratch = np.empty((m, 4 * n_a), dtype)
    back = _RecurrentBack(np.asarray(Wa, dtype), m)
    for t in reversed(range(T_x)):
        g, tc, dz = G[:, t], tanh_c[:, t], dZ[:, t]
        o, f, i, cc = (g[:, k * n_a : (k + 1) * n_a] for k in range(4))
        dz_o, dz_f, dz_i, dz_c = (dz[:, k * n_a : (k + 1) * n_a] for k in range(4))
        _upstream(dH, da_last, T_x, t, da_next, da_t)             # everything that reaches a⟨t⟩
        if activations is None:
            np.multiply(tc, tc, out=dc_t)
            np.subtract(1, dc_t, out=dc_t)                        # tanh'(c⟨t⟩)
            dc_t *= o
            dc_t *= da_t
            dc_t += dc_next                                       # dc⟨t⟩ = dc_next + da⟨t⟩ ∗ Γo ∗ (1 - tanh²c⟨t⟩)
            sig, dsig = g[:, : 3 * n_a], dz[:, : 3 * n_a]
            np.subtract(1, sig, out=dsig)
            dsig *= sig                                           # Γ(1 - Γ) = σ'(z) of o, f, i
            dz_o *= tc
            dz_o *= da_t                                          # dz_o = da⟨t⟩ ∗ tanh(c⟨t⟩) ∗ Γo(1-Γo)
            dz_f *= C_prev[:, t]                                  # dz_f = dc⟨t⟩ ∗ c⟨t-1⟩ ∗ Γf(1-Γf)
            dz_i *= cc                                            # dz_i = dc⟨t⟩ ∗ c̃⟨t⟩ ∗ Γi(1-Γi)
            np.multiply(cc, cc, out=dz_c)
            np.subtract(1, dz_c, out=dz_c)
            dz_c *= i                                             # dz_c = dc⟨t⟩ ∗ Γi ∗ (1 - c̃⟨t⟩²)
            dfic = dz[:, n_a:].reshape(m, 3, n_a)
            dfic *= dc_t[:, None, :]
        else:                                                     # Keras's other activations, block by block
            act, gate_act = activations
            z = Z[:, t]
            np.multiply(da_t, o, out=dc_t)
            act.backward(tc, C[:, t], dc_t, dc_t, scratch[:, :n_a])      # through tanh(c⟨t⟩), or g(c⟨t⟩)
            dc_t += dc_next
            np.multiply(da_t, tc, out=dz_o)
            np.multiply(dc_t, C_prev[:, t], out=dz_f)
            np.multiply(dc_t, cc, out=dz_i)
            np.multiply(dc_t, i, out=dz_c)
            for k in range(3):
                block = slice(k * n_a, (k + 1) * n_a)
                gate_act.backward(g[:, block], z[:, block], dz[:, block], dz[:, block], scratch[:, block])
            act.backward(cc, z[:, 3 * n_a :], dz_c, dz_c, scratch[:, 3 * n_a :])
        back.backward(dz, da_next)                                # to a⟨t-1⟩, through all four gates
        np.multiply(dc_t, f, out=dc_next)                         # to c⟨t-1⟩, through Γf
    dWx, db = _input_products(dZ, X, Wx, dX)
    dWa = rows(dZ).T @ rows(A_prev)                               # Σ_t dz⟨t⟩ᵀ·a⟨t-1⟩
    return da_next, dc_next, dWx, dWa, db



# --- GRU (Keras's, reset_after=True) ----------------------------------------------------------------
#
# z = σ(x·Wzᵀ + bxz + a⟨t-1⟩·Uzᵀ + baz),  r = σ(x·Wrᵀ + bxr + a⟨t-1⟩·Urᵀ + bar),
# h̃ = tanh(x·Whᵀ + bxh + r ∗ (a⟨t-1⟩·Uhᵀ + bah)),  a⟨t⟩ = z ∗ a⟨t-1⟩ + (1 - z) ∗ h̃.
# The recurrent side is kept rotated, h, z, r: then one buffer of every step's gradients
# [dRh, dz_z, dz_r, dz_h] holds the recurrent side's (h, z, r) and the input side's (z, r, h) as two
# overlapping column ranges, each ONE matrix for the products over all steps.


@dataclass(frozen=True)
class GRUTape:
    """What the GRU forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray         # (m, n_a)
    H: np.ndarray          # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩
    G: np.ndarray          # (m, T_x, 3n_a): z, r, h̃ of every step
    R: np.ndarray          # (m, T_x, 3n_a): a⟨t-1⟩·Uᵀ + ba of every step, rotated h, z, r (only h is read back)
    Z: np.ndarray | None   # (m, T_x, 3n_a): pre-activations, kept only for activations other than σ and tanh


def _roll(U: np.ndarray, k: int) -> np.ndarray:
    """U's rows (or entries) from k on, then the first k: z, r, h -> h, z, r with k = 2n_a, back with k = n_a."""
    return np.concatenate([U[k:], U[:k]])


def gru_step(g: np.ndarray, rh: np.ndarray, a_prev: np.ndarray, a: np.ndarray, scratch: np.ndarray,
             gates: np.ndarray | None = None, activations: tuple | None = None) -> None:
    """One GRU step from g (m, 3n_a) = [z_z, z_r, x_h] (the z and r pre-activations, halved for the
    course's σ; the candidate's input part) and rh = a⟨t-1⟩·Uhᵀ + bah (m, n_a):

    z, r = σ(z_z, z_r), h̃ = tanh(x_h + r ∗ rh), a⟨t⟩ = h̃ + z ∗ (a⟨t-1⟩ - h̃).
    With Keras's ``activations`` = (g, recurrent g), ``g`` keeps the pre-activations and ``gates`` receives them.
    """
    n_a = rh.shape[-1]
    if activations is None:
        gates = g
        zr = g[:, : 2 * n_a]
        np.tanh(zr, out=zr)
        zr *= 0.5
        zr += 0.5                                                 # z, r
        h = g[:, 2 * n_a :]
        h += np.multiply(gates[:, n_a : 2 * n_a], rh, out=scratch)   # x_h + r ∗ rh
        np.tanh(h, out=h)                                         # h̃
    else:
        act, gate_act = activations
        gate_act.forward(g[:, :n_a], gates[:, :n_a])
        gate_act.forward(g[:, n_a : 2 * n_a], gates[:, n_a : 2 * n_a])
        g[:, 2 * n_a :] += np.multiply(gates[:, n_a : 2 * n_a], rh, out=scratch)
        act.forward(g[:, 2 * n_a :], gates[:, 2 * n_a :])
    hh = gates[:, 2 * n_a :]
    np.subtract(a_prev, hh, out=scratch)
    scratch *= gates[:, :n_a]
    np.add(hh, scratch, out=a)                                    # a⟨t⟩ = h̃ + z ∗ (a⟨t-1⟩ - h̃)


def gru_steps_forward(X: np.ndarray, a0: np.ndarray, Wx: np.ndarray, Wa: np.ndarray, bx: np.ndarray,
                      ba: np.ndarray, activations: tuple | None = None) -> GRUTape:
    """Every step of Keras's GRU; X (m, T_x, n_x), Wx (3n_a, n_x), Wa (3n_a, n_a), bx, ba (3n_a,) stacked z, r, h."""
    m, T_x, _ = X.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(X, a0, Wx, Wa, bx, ba)
    course = activations is None
    WxT = _halved(Wx.astype(dtype, copy=False), 2 * n_a if course else 0)
    bx = np.array(bx, dtype).reshape(-1)
    ba = _roll(np.array(ba, dtype).reshape(-1), 2 * n_a)
    WaT = _halved(_roll(Wa.astype(dtype, copy=False), 2 * n_a), 0)
    if course:
        bx[: 2 * n_a] *= 0.5
        WaT[:, n_a:] *= 0.5                                       # z and r of the rotated h, z, r
        ba[n_a:] *= 0.5
    G = np.empty((m, T_x, 3 * n_a), dtype)
    Z = G if course else np.empty_like(G)
    np.matmul(rows(X), WxT, out=rows(Z))                          # Wx·x⟨t⟩, every step at once
    Z += bx
    R = np.empty((m, T_x, 3 * n_a), dtype)
    H = np.empty((m, T_x, n_a), dtype)
    recurrent = _Recurrent(WaT, m)
    scratch = np.empty((m, n_a), dtype)
    a_prev = a0
    for t in range(T_x):
        r = R[:, t]
        recurrent.forward(a_prev, r)
        r += ba                                                   # [rh, r_z, r_r]
        z = Z[:, t]
        z[:, : 2 * n_a] += r[:, n_a:]
        gru_step(z, r[:, :n_a], a_prev, H[:, t], scratch, G[:, t], activations)
        a_prev = H[:, t]
    return GRUTape(X, a0, H, G, R, None if course else Z)


def gru_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, X: np.ndarray, A_prev: np.ndarray,
                       G: np.ndarray, R: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       activations: tuple | None = None, dX: np.ndarray | None = None):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last).

    X (m, T_x, n_x), A_prev (m, T_x, n_a) the a⟨t-1⟩ of every step, G and R from the forward pass.
    Writes dx into ``dX`` if given. Returns da0, dWx (3n_a, n_x), dWa (3n_a, n_a), dbx, dba (3n_a,), z, r, h.
    """
    m, T_x, _ = G.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(G, Wa, *(d for d in (dH, da_last) if d is not None))
    D = np.empty((m, T_x, 4 * n_a), dtype)                        # [dRh, dz_z, dz_r, dz_h] of every step
    da_next = np.zeros((m, n_a), dtype)
    da_t = np.empty((m, n_a), dtype)
    s1 = np.empty((m, n_a), dtype)
    s2 = np.empty((m, n_a), dtype)
    back = _RecurrentBack(_roll(np.asarray(Wa, dtype), 2 * n_a), m)
    for t in reversed(range(T_x)):
        g, d = G[:, t], D[:, t]
        z, r, hh = g[:, :n_a], g[:, n_a : 2 * n_a], g[:, 2 * n_a :]
        dRh, dz_z, dz_r, dz_h = (d[:, k * n_a : (k + 1) * n_a] for k in range(4))
        rh, a_prev = R[:, t, :n_a], A_prev[:, t]
        _upstream(dH, da_last, T_x, t, da_next, da_t)             # everything that reaches a⟨t⟩
        np.subtract(1, z, out=s1)
        np.multiply(da_t, s1, out=dz_h)                           # ∂J/∂h̃ = da ∗ (1 - z)
        np.subtract(a_prev, hh, out=dz_z)
        dz_z *= da_t                                              # ∂J/∂z = da ∗ (a⟨t-1⟩ - h̃)
        if activations is None:
            np.multiply(hh, hh, out=s2)
            np.subtract(1, s2, out=s2)
            dz_h *= s2                                            # dz_h = da ∗ (1 - z) ∗ (1 - h̃²)
            s1 *= z
            dz_z *= s1                                            # dz_z = da ∗ (a⟨t-1⟩ - h̃) ∗ z(1 - z)
            np.multiply(dz_h, rh, out=dz_r)
            np.subtract(1, r, out=s1)
            s1 *= r
            dz_r *= s1                                            # dz_r = dz_h ∗ rh ∗ r(1 - r)
        else:
            act, gate_act = activations
            pre = Z[:, t]
            act.backward(hh, pre[:, 2 * n_a :], dz_h, dz_h, s2)
            gate_act.backward(z, pre[:, :n_a], dz_z, dz_z, s2)
            np.multiply(dz_h, rh, out=dz_r)
            gate_act.backward(r, pre[:, n_a : 2 * n_a], dz_r, dz_r, s2)
        np.multiply(dz_h, r, out=dRh)                             # ∂J/∂rh = dz_h ∗ r
        back.backward(d[:, : 3 * n_a], da_next)                   # to a⟨t-1⟩ through the recurrent products
        da_t *= z
        da_next += da_t                                           # ... and through z ∗ a⟨t-1⟩
    dWx, dbx = _input_products(D[:, :, n_a:], X, Wx, dX)          # input side: z, r, h
    DR = rows(D[:, :, : 3 * n_a])                                 # recurrent side: h, z, r
    dWa = DR.T @ rows(A_prev)
    dba = np.add.reduce(DR, axis=0)
    return da_next, dWx, _roll(dWa, n_a), dbx, _roll(dba, n_a)
