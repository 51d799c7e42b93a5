"""The recurrent arithmetic: the one step of each cell (RNN, LSTM; the GRU's in gru_kernels) and the loops
through time, and the helpers the three share.

The course's functions (rnn.py), the Keras layers (layers/simple_rnn, lstm) and the LSTM gradient check
(fastcheck_lstm.py) all run these steps; the callers check shapes, these do the math on arrays
already checked.

Layout: examples first, (m, T_x, rows), as Keras's (batch, T, features). It needs no transpose of
the course's (rows, m, T_x) arrays: both flatten (m, T_x) in the same order, so the course's x
(n_x, m, T_x) is, without a copy, the matrix X (m·T_x, n_x) read in Fortran order, and every
product over all steps (W_x·x⟨t⟩ for every t, dW, dx) is ONE BLAS call on such views. One step is
then a (m, rows) matrix whose rows are contiguous: the state a⟨t-1⟩ that the recurrent matmul
reads, and the gates that the elementwise ufuncs write in place (``out=``). Only the recurrent
matmul and the gates stay in the time loop.

Gates are stacked, per gate block of n_a columns, in Keras's order: i, f, c, o for the LSTM, z, r,
h for the GRU, so that a Keras layer's kernel (n_x, G·n_a) is the kernels' Wxᵀ as it is and its
gradients are written where they land. σ(z) = (1 + tanh(z/2)) / 2 is the course's 1/(1 + e⁻ᶻ)
without exp's overflow; the σ gates' weights are halved once per call (exact: a power of two), so
that one tanh serves every gate of a step, and the halves are undone by one affine ufunc pair.

The backward pass computes first, for all steps at once, every factor of dz⟨t⟩ that does not
depend on the gradient flowing back (the gates' derivatives times what they multiply), so that
the time loop is only what must be sequential: a handful of in-place products and one matmul.

Buffers: each kernel is an object holding one shape's buffers, with each step's views made once.
A Keras layer keeps its kernels per input shape (LayerKernels) and calls them with no set-up; the
functions below (the course's, the gradient checks') make new ones at every call, so that the
tapes that the course's caches view stay their own. Every BLAS call runs on one
OpenBLAS thread (blas_threads) when a product would otherwise be multithreaded.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from shapecheck.core.tensors import KERAS_LSTM_GATES
from shapecheck.engine.blas_threads import one_blas_thread

LSTM_ORDER = KERAS_LSTM_GATES           # the LSTM kernel's gate blocks: Keras's (the registry says which)
LSTM_SIGMOID = (True, True, False, True)
IN_CACHE = 2**18                        # bytes: a tape this small is worked on all steps at once, a bigger one step by step


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the class axis (axis 0); shifted by the max so that exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    e /= e.sum(axis=0, keepdims=True)
    return e


def rows(a: np.ndarray) -> np.ndarray:
    """(m, T_x, k) -> (m·T_x, k): a view for every layout the callers pass (a copy only otherwise)."""
    return a.reshape(-1, a.shape[-1])


class LayerKernels:
    """A Keras layer's kernels, per input shape: the forward's and the backward's buffers (each step's
    views made once), called with no per-call set-up. ``kernels(shape)`` -> (forward, backward).

    Owned by one layer, never shared: what its calls return stays valid until the layer's next call.
    """

    __slots__ = ("_make", "_by_shape")
    LIMIT = 8                                                      # many batch sizes must not grow memory forever

    def __init__(self, make: Callable[[int, int, int], tuple]) -> None:
        self._make = make
        self._by_shape: dict = {}

    @classmethod
    def of(cls, forward: type, backward: type, n_a: int, course: bool) -> LayerKernels:
        """The float64 kernels of a forward and a backward class (``course``: the course's σ and tanh)."""
        return cls(lambda m, T_x, n_x: (forward(m, T_x, n_x, n_a, np.float64, course),
                                        backward(m, T_x, n_x, n_a, np.float64)))

    def __call__(self, shape: tuple[int, int, int]) -> tuple:
        found = self._by_shape.get(shape)
        if found is None:
            if len(self._by_shape) >= self.LIMIT:
                self._by_shape.clear()
            found = self._by_shape[shape] = self._make(*shape)
        return found


_AFFINE: dict = {}


def gate_affine(n_a: int, dtype, sigmoid: tuple[bool, ...] = LSTM_SIGMOID) -> tuple[np.ndarray, np.ndarray]:
    """(half, shift) per column, read-only: ½ and ½ on the σ gates' columns (σ(z) = tanh(z/2)·½ + ½), 1 and 0 elsewhere."""
    key = (n_a, np.dtype(dtype), sigmoid)
    found = _AFFINE.get(key)
    if found is None:
        half = np.repeat(np.where(sigmoid, 0.5, 1.0), n_a).astype(dtype)
        shift = (1 - half).astype(dtype)
        half.flags.writeable = shift.flags.writeable = False
        found = _AFFINE[key] = (half, shift)
    return found


def states_before(a0: np.ndarray | None, H: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """a⟨t-1⟩ of every step, (m, T_x, n_a): a⟨0⟩ (zeros for None), then a⟨1⟩ .. a⟨T_x - 1⟩."""
    if out is None:
        out = np.empty(H.shape, H.dtype)
    out[:, 0] = 0 if a0 is None else a0
    if H.shape[1] > 1:
        out[:, 1:] = H[:, :-1]
    return out


def _rows_contiguous(dH: np.ndarray | None, buffer: list) -> np.ndarray | None:
    """dH (m, T_x, n_a) with each step's rows contiguous: as it is, or copied once into a kept buffer.

    The course's da (n_a, m, T_x) arrives transposed, its every element a cache line apart from the
    next: one copy in a single pass costs less than reading it so at every step.
    """
    if dH is None or dH.strides[2] == dH.itemsize:
        return dH
    if not buffer or buffer[0].shape != dH.shape or buffer[0].dtype != dH.dtype:
        buffer[:] = [np.empty(dH.shape, dH.dtype)]
    np.copyto(buffer[0], dH)
    return buffer[0]


def _product(A: np.ndarray, B: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """A·B, into ``out`` if given (C-contiguous, or the transposed view of a C-contiguous array)."""
    if out is None:
        return A @ B
    if out.flags.c_contiguous:
        np.matmul(A, B, out=out)
    else:
        np.matmul(B.T, A.T, out=out.T)
    return out


def _weight_products(dZ: np.ndarray, X: np.ndarray, A_prev: np.ndarray, Wx: np.ndarray, dX: np.ndarray | None,
                     out: tuple | None):
    """dWx = Σ_t dz⟨t⟩ᵀ·x⟨t⟩, dWa = Σ_t dz⟨t⟩ᵀ·a⟨t-1⟩, db = Σ_t dz⟨t⟩, dx⟨t⟩ = dz⟨t⟩·Wx: each ONE product over all steps.

    A_prev None: a single step from a⟨0⟩ = 0 (a Keras layer's T = 1), so dWa = 0.
    """
    dWx, dWa, db = out if out is not None else (None, None, None)
    dZ2 = rows(dZ)                                                # (m·T_x, k)
    dWx = _product(dZ2.T, rows(X), dWx)                           # (k, n_x)
    if A_prev is None:                                            # one step from a⟨0⟩ = 0 (given with ``out`` only)
        dWa.fill(0)
    else:
        dWa = _product(dZ2.T, rows(A_prev), dWa)                  # (k, n_a)
    db = np.add.reduce(dZ2, axis=0, out=db)                       # (k,)
    if dX is not None:
        np.matmul(dZ2, Wx, out=np.reshape(dX, (-1, Wx.shape[1]), copy=False))   # (m·T_x, n_x), into the caller's layout
    return dWx, dWa, db


# --- the basic RNN ----------------------------------------------------------------------------------


class RNNTape(NamedTuple):
    """What the RNN forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray | None  # (m, n_a), None for zeros
    H: np.ndarray          # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩
    Z: np.ndarray | None   # (m, T_x, n_a): pre-activations, kept only for an activation other than tanh


def rnn_step(z: np.ndarray, a: np.ndarray, activation: Any = None) -> None:
    """a⟨t⟩ = g(z⟨t⟩) into ``a``; g = tanh (in place when z is a) unless a Keras activation is given."""
    if activation is None:
        np.tanh(z, out=a)
    else:
        activation.forward(z, a)


class _RNNArrays:
    """One shape's forward: the tape's buffers, each step's views, the BLAS threading of its products."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, course: bool) -> None:
        self.H = np.empty((m, T_x, n_a), dtype)
        self.Z = self.H if course else np.empty_like(self.H)      # tanh runs in place
        self.Z2 = rows(self.Z)
        self.inner = np.empty((m, n_a), dtype)
        self.steps = [(self.Z[:, t], self.H[:, t]) for t in range(T_x)]
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * n_a)

    def forward(self, X, a0, Wx, Wa, b, activation) -> RNNTape:
        with self.blas:
            np.matmul(rows(X), Wx.T, out=self.Z2)                 # Wx·x⟨t⟩, every step at once
            np.add(self.Z2, b, out=self.Z2)
            WaT, inner, a_prev = Wa.T, self.inner, a0
            for z, a in self.steps:
                if a_prev is not None:
                    np.matmul(a_prev, WaT, out=inner)
                    np.add(z, inner, out=z)  # + Wa·a⟨t-1⟩
                rnn_step(z, a, activation)
                a_prev = a
        return RNNTape(X, a0, self.H, None if activation is None else self.Z)


def rnn_steps_forward(X: np.ndarray, a0: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, b: np.ndarray,
                      activation: Any = None) -> RNNTape:
    """a⟨t⟩ = g(Wa·a⟨t-1⟩ + Wx·x⟨t⟩ + b) for t = 1..T_x; X (m, T_x, n_x), Wx (n_a, n_x), Wa (n_a, n_a), b (n_a,).

    a0 (m, n_a), or None for zeros (then the first step has no recurrent product).
    """
    m, T_x, n_x = X.shape
    n_a = Wa.shape[0]
    dtype = np.result_type(X, Wx, Wa, b) if a0 is None else np.result_type(X, a0, Wx, Wa, b)
    course = activation is None
    w = _RNNArrays(m, T_x, n_x, n_a, dtype, course)
    return w.forward(X, a0, Wx, Wa, b, activation)


def _upstream(t: int, last: int, dH: np.ndarray | None, da_last: np.ndarray | None, da: np.ndarray,
              da_t: np.ndarray) -> np.ndarray:
    """Everything that reaches a⟨t⟩: dH⟨t⟩ plus what came back from step t+1 (``da``; da_last at the last step).

    Read, never written: it may be the caller's array.
    """
    back = da_last if t == last else da
    if dH is None:
        return back
    if back is None:
        return dH[:, t]
    return np.add(dH[:, t], back, out=da_t)


class _RNNGrads:
    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype) -> None:
        self.dZ = np.empty((m, T_x, n_a), dtype)
        self.dZ2 = rows(self.dZ)
        self.da, self.da_t, self.scratch = (np.empty((m, n_a), dtype) for _ in range(3))
        self.dH: list = []                                        # dH's contiguous copy, made when needed
        self.steps = [self.dZ[:, t] for t in range(T_x)]
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * n_a)

    def backward(self, dH, da_last, X, A_prev, H, Z, Wx, Wa, activation, dX, need_da0, out):
        dZ, da, da_t, last = self.dZ, self.da, self.da_t, len(self.steps) - 1
        dH = _rows_contiguous(dH, self.dH)
        with self.blas:
            if activation is None:                                # tanh'(z⟨t⟩) = 1 - a⟨t⟩², every step at once
                dZ2 = self.dZ2
                np.multiply(rows(H), rows(H), out=dZ2)
                np.subtract(1.0, dZ2, out=dZ2)
            for t in range(last, -1, -1):
                dz = self.steps[t]
                up = _upstream(t, last, dH, da_last, da, da_t)
                if activation is None:
                    np.multiply(dz, up, out=dz)  # dz⟨t⟩ = da⟨t⟩ ∗ (1 - a⟨t⟩²)
                else:
                    activation.backward(H[:, t], Z[:, t], up, dz, self.scratch)
                if t or need_da0:
                    np.matmul(dz, Wa, out=da)                     # to a⟨t-1⟩
            return _weight_products(dZ, X, A_prev, Wx, dX, out)


def _zeros_if_none(da_last: np.ndarray | None, dH: np.ndarray | None, shape: tuple, dtype) -> np.ndarray | None:
    """With no upstream gradient at all, the last step's is zeros."""
    return np.zeros(shape, dtype) if da_last is None and dH is None else da_last


def rnn_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, X: np.ndarray, A_prev: np.ndarray,
                       H: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       activation: Any = None, dX: np.ndarray | None = None,
                       need_da0: bool = True, out: tuple | None = None):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last).

    X (m, T_x, n_x), A_prev (m, T_x, n_a) the a⟨t-1⟩ of every step, H (m, T_x, n_a) the a⟨t⟩.
    Writes dx into ``dX`` (m, T_x, n_x; any layout) and dWx, dWa, db into ``out`` if given.
    Returns da0 (m, n_a; None unless ``need_da0``), dWx, dWa, db.
    """
    m, T_x, n_a = H.shape
    dtype = np.result_type(H, Wa, *(d for d in (dH, da_last) if d is not None))
    w = _RNNGrads(m, T_x, X.shape[2], n_a, dtype)
    da_last = _zeros_if_none(da_last, dH, (m, n_a), dtype)
    grads = w.backward(dH, da_last, X, A_prev, H, Z, Wx, Wa.astype(dtype, copy=False), activation, dX, need_da0, out)
    return (w.da if need_da0 else None, *grads)


# --- LSTM -------------------------------------------------------------------------------------------


class LSTMTape(NamedTuple):
    """What the LSTM forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray | None  # (m, n_a), None for zeros
    H: np.ndarray          # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩
    C: np.ndarray          # (m, T_x + 1, n_a): c⟨0⟩ .. c⟨T_x⟩
    tanh_c: np.ndarray     # (m, T_x, n_a): tanh(c⟨t⟩)
    G: np.ndarray          # (m, T_x, 4n_a): Γi, Γf, c̃, Γo of every step
    Z: np.ndarray | None   # (m, T_x, 4n_a): pre-activations, kept only for activations other than the course's


def lstm_step(z: np.ndarray, c_prev: np.ndarray | None, c: np.ndarray, tanh_c: np.ndarray, a: np.ndarray,
              scratch: np.ndarray, gates: np.ndarray | None = None, activations: tuple | None = None) -> None:
    """One LSTM step from its pre-activations z (m, 4n_a) = [z_i, z_f, z_c, z_o]:

    Γi, Γf, Γo = σ(z_i, z_f, z_o), c̃ = tanh(z_c); c⟨t⟩ = Γf ∗ c⟨t-1⟩ + Γi ∗ c̃, a⟨t⟩ = Γo ∗ tanh(c⟨t⟩).

    c_prev None is c⟨t-1⟩ = 0. The course's activations run in place on z, whose σ blocks come
    halved (see the module). With Keras's ``activations`` = (g, recurrent g), z stays as it is and
    ``gates`` receives them.
    """
    gates = z if activations is None else gates
    n_a = c.shape[-1]
    blocks = tuple(gates[:, k * n_a : (k + 1) * n_a] for k in range(4))
    _lstm_step(z, c_prev, c, tanh_c, a, scratch, gates, blocks, activations, gate_affine(n_a, z.dtype))


def _lstm_step(z, c_prev, c, tanh_c, a, scratch, gates, blocks, activations, affine) -> None:
    """lstm_step with the gates' blocks (i, f, c̃, o views of ``gates``) and gate_affine's pair given."""
    i, f, cc, o = blocks
    if activations is None:                                       # gates is z
        np.tanh(z, out=z)                                         # tanh(z/2) of i, f, o; c̃
        np.multiply(z, affine[0], out=z)
        np.add(z, affine[1], out=z)                               # Γi, Γf, Γo; c̃ as it is
    else:
        g, gate_g = activations
        n_a = c.shape[-1]
        for k, sigmoid in enumerate(LSTM_SIGMOID):
            (gate_g if sigmoid else g).forward(z[:, k * n_a : (k + 1) * n_a], blocks[k])
    if c_prev is None:
        np.multiply(i, cc, out=c)                                 # c⟨t⟩ = Γi ∗ c̃⟨t⟩
    else:
        np.multiply(f, c_prev, out=c)                             # c⟨t⟩ = Γf ∗ c⟨t-1⟩
        np.add(c, np.multiply(i, cc, out=scratch), out=c)         # + Γi ∗ c̃⟨t⟩
    if activations is None:
        np.tanh(c, out=tanh_c)
    else:
        activations[0].forward(c, tanh_c)
    np.multiply(o, tanh_c, out=a)                                 # a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)


def lstm_weights(Wx: np.ndarray, Wa: np.ndarray, b: np.ndarray, dtype, halve: bool):
    """(WxT, WaT, b) in the kernel's form: transposed, contiguous, the σ gates' columns halved for the course's σ."""
    half = gate_affine(Wa.shape[1], dtype)[0] if halve else 1
    return (np.multiply(Wx.T, half, dtype=dtype, order="C"), np.multiply(Wa.T, half, dtype=dtype, order="C"),
            np.multiply(b.reshape(-1), half, dtype=dtype))


class _LSTMArrays:
    """One shape's forward: the tape's buffers, each step's views, the BLAS threading of its products."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, course: bool) -> None:
        self.G = np.empty((m, T_x, 4 * n_a), dtype)               # pre-activations, then the gates
        self.Z = self.G if course else np.empty_like(self.G)
        self.Z2 = rows(self.Z)
        self.H = np.empty((m, T_x, n_a), dtype)
        self.C = np.zeros((m, T_x + 1, n_a), dtype)               # c⟨0⟩ = 0 until a call gives one
        self.C_prev, self.C_next = self.C[:, :-1], self.C[:, 1:]
        self.c0_zero = True
        self.tanh_c = np.empty((m, T_x, n_a), dtype)
        self.WxT, self.WaT, self.b = np.empty((n_x, 4 * n_a), dtype), np.empty((n_a, 4 * n_a), dtype), np.empty(4 * n_a, dtype)
        self.inner = np.empty((m, 4 * n_a), dtype)
        self.scratch = np.empty((m, n_a), dtype)
        self.steps = [(self.Z[:, t], self.G[:, t], self.C[:, t], self.C[:, t + 1], self.tanh_c[:, t], self.H[:, t],
                       tuple(self.G[:, t, k * n_a : (k + 1) * n_a] for k in range(4))) for t in range(T_x)]
        self.affine = gate_affine(n_a, dtype)
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * 4 * n_a)

    def forward(self, X, a0, c0, Wx, Wa, b, activations) -> LSTMTape:
        Z, C, course = self.Z, self.C, activations is None
        if c0 is not None:
            C[:, 0] = c0
            self.c0_zero = False
        elif not self.c0_zero:
            C[:, 0] = 0
            self.c0_zero = True
        with self.blas:
            Z2, half = self.Z2, self.affine[0]                    # (m·T_x, 4n_a): 2-D ufuncs cost less per call
            if course and Z2.shape[0] > 2 * (Wx.shape[1] + 1):    # the σ gates' z/2 (exact): halve the smaller side
                np.matmul(rows(X), np.multiply(Wx.T, half, out=self.WxT), out=Z2)
                np.add(Z2, np.multiply(b, half, out=self.b), out=Z2)
            else:
                np.matmul(rows(X), Wx.T, out=Z2)                  # Wx·x⟨t⟩, every step at once
                np.add(Z2, b, out=Z2)
                if course:
                    np.multiply(Z2, half, out=Z2)
            WaT = None
            if a0 is not None or len(self.steps) > 1:
                WaT = np.multiply(Wa.T, self.affine[0], out=self.WaT) if course else Wa.T
            inner, scratch, a_prev = self.inner, self.scratch, a0
            for t, (z, g, c_prev, c, tc, a, blocks) in enumerate(self.steps):
                if a_prev is not None:
                    np.matmul(a_prev, WaT, out=inner)
                    np.add(z, inner, out=z)                       # + Wa·a⟨t-1⟩
                _lstm_step(z, c_prev if t or c0 is not None else None, c, tc, a, scratch, g, blocks, activations,
                           self.affine)
                a_prev = a
        return LSTMTape(X, a0, self.H, C, self.tanh_c, self.G, None if course else Z)


def lstm_steps_forward(X: np.ndarray, a0: np.ndarray | None, c0: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       b: np.ndarray, activations: tuple | None = None) -> LSTMTape:
    """Every step of the LSTM; X (m, T_x, n_x), Wx (4n_a, n_x), Wa (4n_a, n_a), b (4n_a,) stacked i, f, c, o.

    a0, c0 (m, n_a), or None for zeros (then the first step has no recurrent product).
    """
    m, T_x, n_x = X.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(X, Wx, Wa, b, *(s for s in (a0, c0) if s is not None))
    course = activations is None
    w = _LSTMArrays(m, T_x, n_x, n_a, dtype, course)
    return w.forward(X, a0, c0, Wx, Wa, b, activations)


class _LSTMGrads:
    """One shape's backward: its buffers, each step's views, the BLAS threading of its products."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype) -> None:
        self.dZ = np.empty((m, T_x, 4 * n_a), dtype)              # gradients of the pre-activations
        self.K = np.empty((m, T_x, n_a), dtype)                   # Γo ∗ (1 - tanh²c⟨t⟩): da⟨t⟩'s share of dc⟨t⟩
        self.at_once = self.dZ.nbytes <= IN_CACHE                 # local derivatives of all steps at once
        self.S = np.empty((m * T_x, 4 * n_a), dtype) if self.at_once else None
        self.S_step = np.empty((m, 4 * n_a), dtype)
        self.dZ2, self.K2 = rows(self.dZ), rows(self.K)           # 2-D views: 2-D ufuncs cost less per call
        self.dz_f3 = self.dZ[:, :, n_a : 2 * n_a]
        self.dZ_ic = self.dZ2.reshape(-1, 4, n_a)[:, ::2]         # the i and c̃ blocks
        self._tape = None                                         # the last tape's views (_tape_views)
        self.da, self.da_t, self.dc, self.dc_t = (np.empty((m, n_a), dtype) for _ in range(4))
        self.dc_t3 = self.dc_t[:, None, :]
        self.scratch = np.empty((m, 4 * n_a), dtype)
        self.dH: list = []                                        # dH's contiguous copy, made when needed
        self.steps = [(self.dZ[:, t], self.dZ[:, t, : 3 * n_a].reshape(m, 3, n_a), self.dZ[:, t, 3 * n_a :], self.K[:, t])
                      for t in range(T_x)]
        self.tanh_block = np.repeat(np.array([0.0, 0.0, 1.0, 0.0], dtype), n_a)   # 1 on c̃'s columns
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * 4 * n_a)

    def _tape_views(self, G, C_prev, tanh_c) -> tuple:
        """The 2-D views of a tape that local_derivatives reads; kept while the same tape comes back (a layer's)."""
        if self._tape is None or self._tape[0] is not G or self._tape[1] is not C_prev or self._tape[2] is not tanh_c:
            G2 = rows(G)
            self._tape = (G, C_prev, tanh_c, (G2, C_prev, rows(tanh_c), G2.reshape(-1, 4, G2.shape[1] // 4)[:, 2::-2]))
        return self._tape[3]

    def local_derivatives(self, G, C_prev, tanh_c, G_ci, dZ, dz_f, S, K, dZ_ic) -> None:
        """Every factor of dz⟨t⟩ that the gradient flowing back does not change, for the steps these views hold:

        dZ = [c̃ ∗ Γi(1-Γi), c⟨t-1⟩ ∗ Γf(1-Γf), Γi ∗ (1 - c̃²), tanh(c⟨t⟩) ∗ Γo(1-Γo)], K = Γo ∗ (1 - tanh²c⟨t⟩),
        so that dz_i, dz_f, dz_c = dc⟨t⟩ ∗ dZ[i, f, c], dz_o = da⟨t⟩ ∗ dZ[o], dc⟨t⟩ = dc_next + da⟨t⟩ ∗ K.
        ``dz_f`` is dZ's f block shaped as C_prev. All steps at once while the tape fits in the cache
        (one call per ufunc); a step at a time otherwise (each pass over memory would cost more).
        """
        n_a = K.shape[-1]
        np.add(G, self.tanh_block, out=S)
        np.subtract(1.0, G, out=dZ)
        np.multiply(dZ, S, out=dZ)                                # Γ(1 - Γ) = σ'(z) of i, f, o; (1 + c̃)(1 - c̃) = 1 - c̃²
        np.multiply(dZ_ic, G_ci, out=dZ_ic)                       # i ∗ c̃, c̃ ∗ Γi: dZ's blocks i, c̃ by G's c̃, i
        np.multiply(dz_f, C_prev, out=dz_f)                       # f ∗ c⟨t-1⟩
        dz_o = dZ[..., 3 * n_a :]
        np.multiply(dz_o, tanh_c, out=dz_o)                       # o ∗ tanh(c⟨t⟩)
        np.multiply(tanh_c, tanh_c, out=K)
        np.subtract(1.0, K, out=K)
        np.multiply(K, G[..., 3 * n_a :], out=K)

    def backward(self, dH, da_last, dc_last, X, A_prev, C_prev, C, tanh_c, G, Z, Wx, Wa, activations, dX,
                 need_da0, out):
        da, da_t, dc, dc_t, dc_t3 = self.da, self.da_t, self.dc, self.dc_t, self.dc_t3
        (m, n_a), last = da.shape, len(self.steps) - 1
        dH = _rows_contiguous(dH, self.dH)
        if dc_last is not None:
            np.copyto(dc, dc_last)
        with self.blas:
            course = activations is None
            if course and self.at_once:
                self.local_derivatives(*self._tape_views(G, C_prev, tanh_c), self.dZ2, self.dz_f3, self.S, self.K2,
                                       self.dZ_ic)
            for t in range(last, -1, -1):
                dz, dz_ifc, dz_o, k = self.steps[t]
                up = _upstream(t, last, dH, da_last, da, da_t)    # everything that reaches a⟨t⟩
                if course and not self.at_once:
                    g = G[:, t]
                    self.local_derivatives(g, C_prev[:, t], tanh_c[:, t], g.reshape(m, 4, n_a)[:, 2::-2], dz,
                                           dz[:, n_a : 2 * n_a], self.S_step, k, dz.reshape(m, 4, n_a)[:, ::2])
                if course:
                    np.multiply(dz_o, up, out=dz_o)  # dz_o = da⟨t⟩ ∗ tanh(c⟨t⟩) ∗ Γo(1-Γo)
                    np.multiply(up, k, out=dc_t)
                    if t < last or dc_last is not None:
                        np.add(dc_t, dc, out=dc_t)  # dc⟨t⟩ = dc_next + da⟨t⟩ ∗ Γo ∗ (1 - tanh²c⟨t⟩)
                    np.multiply(dz_ifc, dc_t3, out=dz_ifc)  # dz_i, dz_f, dz_c: dc⟨t⟩ times their factors
                else:
                    _lstm_step_back(up, dc, t < last or dc_last is not None, dc_t, dz, G[:, t], Z[:, t], C_prev[:, t],
                                    C[:, t], tanh_c[:, t], activations, self.scratch)
                if t or need_da0:
                    np.matmul(dz, Wa, out=da)                     # to a⟨t-1⟩, through all four gates
                    np.multiply(dc_t, G[:, t, n_a : 2 * n_a], out=dc)   # to c⟨t-1⟩, through Γf
            return _weight_products(self.dZ, X, A_prev, Wx, dX, out)


def lstm_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, dc_last: np.ndarray | None,
                        X: np.ndarray, A_prev: np.ndarray, C_prev: np.ndarray, C: np.ndarray, tanh_c: np.ndarray,
                        G: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, activations: tuple | None = None,
                        dX: np.ndarray | None = None, need_da0: bool = True,
                        out: tuple | None = None):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last) + Σ c⟨T_x⟩ ∗ dc_last.

    X (m, T_x, n_x); A_prev, C_prev, C (m, T_x, n_a) the a⟨t-1⟩, c⟨t-1⟩, c⟨t⟩ of every step; tanh_c (m, T_x, n_a);
    G (m, T_x, 4n_a) = Γi, Γf, c̃, Γo. Writes dx into ``dX`` and dWx, dWa, db into ``out`` if given.
    Returns da0, dc0 (m, n_a; None unless ``need_da0``), and dWx (4n_a, n_x), dWa (4n_a, n_a),
    db (4n_a,) stacked i, f, c, o.
    """
    m, T_x, n_a = tanh_c.shape
    n_x = X.shape[2]
    dtype = np.result_type(G, Wa, *(d for d in (dH, da_last, dc_last) if d is not None))
    w = _LSTMGrads(m, T_x, n_x, n_a, dtype)
    da_last = _zeros_if_none(da_last, dH, (m, n_a), dtype)
    grads = w.backward(dH, da_last, dc_last, X, A_prev, C_prev, C, tanh_c, G, Z, Wx, Wa.astype(dtype, copy=False),
                       activations, dX, need_da0, out)
    return (w.da if need_da0 else None, w.dc if need_da0 else None, *grads)


def _lstm_step_back(up, dc, add_dc, dc_t, dz, g, z, c_prev, c, tc, activations, scratch) -> None:
    """dz⟨t⟩ and dc⟨t⟩ of one step, through Keras's other activations, gate block by gate block."""
    act, gate_act = activations
    n_a = dc.shape[-1]
    i, cc = g[:, :n_a], g[:, 2 * n_a : 3 * n_a]
    dz_i, dz_f, dz_c, dz_o = (dz[:, k * n_a : (k + 1) * n_a] for k in range(4))
    np.multiply(up, g[:, 3 * n_a :], out=dc_t)
    act.backward(tc, c, dc_t, dc_t, scratch[:, :n_a])             # through tanh(c⟨t⟩), or g(c⟨t⟩)
    if add_dc:
        np.add(dc_t, dc, out=dc_t)
    np.multiply(up, tc, out=dz_o)
    np.multiply(dc_t, c_prev, out=dz_f)
    np.multiply(dc_t, cc, out=dz_i)
    np.multiply(dc_t, i, out=dz_c)
    for k, sigmoid in enumerate(LSTM_SIGMOID):
        block = slice(k * n_a, (k + 1) * n_a)
        (gate_act if sigmoid else act).backward(g[:, block], z[:, block], dz[:, block], dz[:, block], scratch[:, block])


_KINDS = {"rnn": (_RNNArrays, _RNNGrads), "lstm": (_LSTMArrays, _LSTMGrads)}


def layer_kernels(kind: str, n_a: int, course: bool) -> LayerKernels:
    """One Keras layer's float64 kernels, per input shape (m, T_x, n_x): kind "rnn" or "lstm" (the GRU's are
    gru_kernels.layer_kernels); ``course``: the course's σ and tanh (else Keras's activation objects are passed at
    each call)."""
    return LayerKernels.of(*_KINDS[kind], n_a, course)
