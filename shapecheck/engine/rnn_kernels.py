"""The basic RNN's arithmetic (its one step and the loops through time), and the helpers the recurrent
kernels share; the LSTM's are in lstm_kernels, the GRU's in gru_kernels.

The course's functions (rnn.py) and the Keras layer (layers/simple_rnn) run these steps; the callers
check shapes, these do the math on arrays already checked.

Layout: examples first, (m, T_x, rows), as Keras's (batch, T, features). It needs no transpose of
the course's (rows, m, T_x) arrays: both flatten (m, T_x) in the same order, so the course's x
(n_x, m, T_x) is, without a copy, the matrix X (m·T_x, n_x) read in Fortran order, and every
product over all steps (W_x·x⟨t⟩ for every t, dW, dx) is ONE BLAS call on such views. One step is
then a (m, rows) matrix whose rows are contiguous: the state a⟨t-1⟩ that the recurrent matmul
reads, and the activation that the ufuncs write in place (``out=``). Only the recurrent matmul and
the activation stay in the time loop.

Gates (the GRU's) are stacked, per gate block of n_a columns, in Keras's order, so that a Keras
layer's kernel (n_x, G·n_a) is the kernels' Wxᵀ as it is; σ comes from activations (gate_affine,
gates_forward), the one home of its formulas.

Buffers: each kernel is an object holding one shape's buffers, with each step's views made once.
A Keras layer keeps its kernels per input shape (LayerKernels) and calls them with no set-up; the
functions below (the course's) make new ones at every call, so that the tapes that the course's
caches view stay their own. Every BLAS call runs on one OpenBLAS thread (blas_threads) when a
product would otherwise be multithreaded.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from shapecheck.engine.activations import gate_affine  # noqa: F401 - the GRU's kernels read it here
from shapecheck.engine.blas_threads import one_blas_thread

IN_CACHE = 2**18                        # bytes: a tape this small is worked on all steps at once, a bigger one step by step


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the class axis (axis 0); shifted by the max so that exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    e /= e.sum(axis=0, keepdims=True)
    return e


def rows(a: np.ndarray) -> np.ndarray:
    """(m, T_x, k) -> (m·T_x, k): a view for every layout the callers pass (a copy only otherwise)."""
    return a.reshape(-1, a.shape[-1])


def time_rows(a: np.ndarray) -> np.ndarray:
    """(m, T_x, k) -> (T_x·m, k), time first: a view of a time-first buffer's (m, T_x, k) view, a copy otherwise."""
    return a.transpose(1, 0, 2).reshape(-1, a.shape[-1])


def time_first(shape: tuple, dtype) -> np.ndarray:
    """An (m, T_x, k) array whose memory is time first, (T_x, m, k): each step's (m, k) block is contiguous."""
    m, T_x, k = shape
    return np.empty((T_x, m, k), dtype).transpose(1, 0, 2)


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


def states_before(a0: np.ndarray | None, H: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """a⟨t-1⟩ of every step, (m, T_x, n_a): a⟨0⟩ (zeros for None), then a⟨1⟩ .. a⟨T_x - 1⟩."""
    if out is None:
        out = np.empty_like(H)                                    # H's memory order (time first or not)
    out[:, 0] = 0 if a0 is None else a0
    if H.shape[1] > 1:
        out[:, 1:] = H[:, :-1]
    return out


def _rows_contiguous(dH: np.ndarray | None, buffer: list, by_time: bool = False) -> np.ndarray | None:
    """dH (m, T_x, n_a) with each step's rows contiguous: as it is, or copied once into a kept buffer.

    The course's da (n_a, m, T_x) arrives transposed, its every element a cache line apart from the
    next: one copy in a single pass costs less than reading it so at every step. ``by_time``: the copy is
    time first, each step's block contiguous.
    """
    if dH is None or (dH.strides[2] == dH.itemsize and not by_time):
        return dH
    if not buffer or buffer[0].shape != dH.shape or buffer[0].dtype != dH.dtype:
        buffer[:] = [time_first(dH.shape, dH.dtype) if by_time else np.empty(dH.shape, dH.dtype)]
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
                     out: tuple | None, by_time: bool = False):
    """dWx = Σ_t dz⟨t⟩ᵀ·x⟨t⟩, dWa = Σ_t dz⟨t⟩ᵀ·a⟨t-1⟩, db = Σ_t dz⟨t⟩, dx⟨t⟩ = dz⟨t⟩·Wx: each ONE product over all steps.

    A_prev None: a single step from a⟨0⟩ = 0 (a Keras layer's T = 1), so dWa = 0.
    ``by_time``: the (m, T_x) pairs are flattened time first (dZ's memory order), the same order for every operand.
    """
    dWx, dWa, db = out if out is not None else (None, None, None)
    flat = time_rows if by_time else rows
    dZ2 = flat(dZ)                                                # (m·T_x, k)
    dWx = _product(dZ2.T, flat(X), dWx)                           # (k, n_x)
    if A_prev is None:                                            # one step from a⟨0⟩ = 0 (given with ``out`` only)
        dWa.fill(0)
    else:
        dWa = _product(dZ2.T, flat(A_prev), dWa)                  # (k, n_a)
    db = np.matmul(np.ones(dZ2.shape[0], dZ2.dtype), dZ2, out=db)  # (k,): Σ over rows as one product (a sum over
                                                                  # axis 0: 6 times slower at the bar's size)
    if dX is not None:
        if by_time and dX.transpose(1, 0, 2).flags.c_contiguous:  # dx⟨t⟩ of all steps where they land (time first)
            np.matmul(dZ2, Wx, out=np.reshape(dX.transpose(1, 0, 2), (-1, Wx.shape[1]), copy=False))
        elif by_time:                                             # dx⟨t⟩ of all steps, then into the caller's layout
            m, T_x, n_x = dX.shape
            np.copyto(dX, (dZ2 @ Wx).reshape(T_x, m, n_x).transpose(1, 0, 2))
        else:
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

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, course: bool, by_time: bool = False) -> None:
        self.H = time_first((m, T_x, n_a), dtype) if by_time else np.empty((m, T_x, n_a), dtype)
        self.Z = self.H if course else np.empty_like(self.H)      # tanh runs in place
        self.by_time, self.flat = by_time, (time_rows if by_time else rows)
        self.Z2 = self.flat(self.Z)
        self.inner = np.empty((m, n_a), dtype)
        self.steps = [(self.Z[:, t], self.H[:, t]) for t in range(T_x)]
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * n_a)

    def forward(self, X, a0, Wx, Wa, b, activation) -> RNNTape:
        with self.blas:
            np.matmul(self.flat(X), Wx.T, out=self.Z2)            # Wx·x⟨t⟩, every step at once
            np.add(self.Z2, b, out=self.Z2)
            WaT, inner, a_prev = Wa.T, self.inner, a0
            if self.by_time:                                      # a C-ordered Waᵀ: a faster product on big steps
                WaT = np.ascontiguousarray(WaT)
            for z, a in self.steps:
                if a_prev is not None:
                    np.matmul(a_prev, WaT, out=inner)
                    np.add(z, inner, out=z)  # + Wa·a⟨t-1⟩
                rnn_step(z, a, activation)
                a_prev = a
        return RNNTape(X, a0, self.H, None if activation is None else self.Z)


def rnn_steps_forward(X: np.ndarray, a0: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, b: np.ndarray,
                      activation: Any = None, by_time: bool = False) -> RNNTape:
    """a⟨t⟩ = g(Wa·a⟨t-1⟩ + Wx·x⟨t⟩ + b) for t = 1..T_x; X (m, T_x, n_x), Wx (n_a, n_x), Wa (n_a, n_a), b (n_a,).

    a0 (m, n_a), or None for zeros (then the first step has no recurrent product). ``by_time``: the
    tape's memory is time first, (T_x, m, n_a), behind the same (m, T_x, n_a) views: each step's block
    is contiguous (the course's path, with X a time-first copy, see time_first).
    """
    m, T_x, n_x = X.shape
    n_a = Wa.shape[0]
    dtype = np.result_type(X, Wx, Wa, b) if a0 is None else np.result_type(X, a0, Wx, Wa, b)
    course = activation is None
    w = _RNNArrays(m, T_x, n_x, n_a, dtype, course, by_time)
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
    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, by_time: bool = False) -> None:
        self.by_time = by_time
        self.dZ = time_first((m, T_x, n_a), dtype) if by_time else np.empty((m, T_x, n_a), dtype)
        self.dZ2 = time_rows(self.dZ) if by_time else rows(self.dZ)
        self.da, self.da_t, self.scratch = (np.empty((m, n_a), dtype) for _ in range(3))
        self.dH: list = []                                        # dH's contiguous copy, made when needed
        self.steps = [self.dZ[:, t] for t in range(T_x)]
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * n_a)

    def backward(self, dH, da_last, X, A_prev, H, Z, Wx, Wa, activation, dX, need_da0, out):
        dZ, da, da_t, last = self.dZ, self.da, self.da_t, len(self.steps) - 1
        dH = _rows_contiguous(dH, self.dH)
        with self.blas:
            if activation is None:                                # tanh'(z⟨t⟩) = 1 - a⟨t⟩², every step at once
                dZ2, H2 = self.dZ2, (time_rows if self.by_time else rows)(H)
                np.multiply(H2, H2, out=dZ2)
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
            return _weight_products(dZ, X, A_prev, Wx, dX, out, self.by_time)


def _zeros_if_none(da_last: np.ndarray | None, dH: np.ndarray | None, shape: tuple, dtype) -> np.ndarray | None:
    """With no upstream gradient at all, the last step's is zeros."""
    return np.zeros(shape, dtype) if da_last is None and dH is None else da_last


def rnn_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, X: np.ndarray, A_prev: np.ndarray,
                       H: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       activation: Any = None, dX: np.ndarray | None = None,
                       need_da0: bool = True, out: tuple | None = None, by_time: bool = False):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last).

    X (m, T_x, n_x), A_prev (m, T_x, n_a) the a⟨t-1⟩ of every step, H (m, T_x, n_a) the a⟨t⟩.
    Writes dx into ``dX`` (m, T_x, n_x; any layout) and dWx, dWa, db into ``out`` if given.
    Returns da0 (m, n_a; None unless ``need_da0``), dWx, dWa, db. ``by_time``: work time first (the
    course's path, whose tape is time first; any operand's layout gives the same values).
    """
    m, T_x, n_a = H.shape
    dtype = np.result_type(H, Wa, *(d for d in (dH, da_last) if d is not None))
    w = _RNNGrads(m, T_x, X.shape[2], n_a, dtype, by_time)
    da_last = _zeros_if_none(da_last, dH, (m, n_a), dtype)
    grads = w.backward(dH, da_last, X, A_prev, H, Z, Wx, Wa.astype(dtype, copy=False), activation, dX, need_da0, out)
    return (w.da if need_da0 else None, *grads)


_KINDS = {"rnn": (_RNNArrays, _RNNGrads)}


def layer_kernels(kind: str, n_a: int, course: bool) -> LayerKernels:
    """One Keras layer's float64 kernels, per input shape (m, T_x, n_x): kind "rnn" (the LSTM's and the GRU's are
    lstm_kernels.layer_kernels and gru_kernels.layer_kernels); ``course``: the course's tanh (else Keras's
    activation object is passed at each call)."""
    return LayerKernels.of(*_KINDS[kind], n_a, course)
