"""The LSTM's arithmetic: its one step, and the loops through time forward and backward.

The course's functions (rnn.py), Keras's LSTM layer (layers/lstm) and the LSTM gradient check
(fastcheck_lstm.py) all run this step; the callers check shapes, these do the math on arrays
already checked.

Layout: time first, (T_x, m, rows), so that each step is one contiguous block and a run of steps
is one contiguous range of rows. The tape keeps, for step t, R⟨t⟩ = [x⟨t⟩, a⟨t-1⟩, 1]
(m, n_x + n_a + 1), the course's stacked [a_prev; xt] (in the other order) with a column of ones, so that

- the pre-activations of a step are ONE product, z⟨t⟩ = R⟨t⟩·W with W = [Wxᵀ; Waᵀ; b], written
  straight into the gates' buffer (no sum of two products, no bias added); at sizes worth a second
  core, Wx·x⟨t⟩ of every step is made apart instead, three products over all steps off the loop (on
  the idle core), and the loop's product is [a⟨t-1⟩, 1]·[Waᵀ; b] (2/3 of the work), added to it;
- each step writes a⟨t⟩ straight into R⟨t+1⟩, where the next step's product reads it;
- the backward's weight gradients are ONE product over all steps, dWᵀ = Σ_t R⟨t⟩ᵀ·dz⟨t⟩ =
  [dWxᵀ; dWaᵀ; db].

W is Keras's [kernel; recurrent_kernel; bias] stacked as they lie in a model's flat buffer, so a
Keras layer hands its weights over as one view and gets its gradients written as one product.

The callers' arrays are read and written through views, (T_x, m, ·) of the course's (·, m, T_x)
and of Keras's (batch, T, ·): x is copied once into R, and the upstream gradient once into a
buffer when its rows are not contiguous; dx is written where it lands when the caller's layout
allows (a copy otherwise).

Gates are stacked, per gate block of n_a columns, in Keras's order i, f, c, o (LSTM_ORDER), so that
a Keras layer's kernel (n_x, 4·n_a) is the kernel's Wxᵀ as it is. The σ gates and c̃ come out of ONE
tanh per step (activations.gates_forward: σ(z) = ½·tanh(z/2) + ½, with the σ columns of W halved
once per call, which is exact).

The backward pass computes first, for a run of steps at a time (as many as fit in the cache: one
ufunc call covers them all and the arrays stay hot; longer runs on the second core, whose every call
may hold the GIL when the loop wants it back), every factor of dz⟨t⟩ that does not depend
on the gradient flowing back, so that the time loop is only what must be sequential: a few
ufuncs on one step's (m, n_a) blocks, dz⟨t⟩ = D⟨t⟩ ∗ [dc⟨t⟩, dc⟨t⟩, dc⟨t⟩, da⟨t⟩] as ONE product on
contiguous memory, and da⟨t-1⟩ = dz⟨t⟩·Wa. With a second core idle (blas_threads.BESIDE), it starts on
the local derivatives of every run but the last at once (this thread makes the last run's, then
waits for a run's only if it gets there first); once the loop has passed the later third of the
steps, then the middle third, their weight products go there too, and after the loop this thread
makes whatever product that core has not started. The numbers do not depend on which core ran them.

Buffers: each kernel is an object holding one shape's buffers, with each step's views made once.
A Keras layer keeps its kernels per input shape (rnn_kernels.LayerKernels); the functions below
(the course's, the gradient checks') make new ones at every call, so that the tapes that the
course's caches view stay their own. The time loop runs on one OpenBLAS thread (blas_threads).
"""

from __future__ import annotations

import math
import threading
from typing import NamedTuple

import numpy as np

from shapecheck.core.tensors import KERAS_LSTM_GATES
from shapecheck.engine.activations import gate_affine, gates_forward
from shapecheck.engine.blas_threads import BESIDE, BESIDE_WORTH, one_blas_thread, row_blocks
from shapecheck.engine.rnn_kernels import LayerKernels, _zeros_if_none

LSTM_ORDER = KERAS_LSTM_GATES           # the LSTM kernel's gate blocks: Keras's (the registry says which)
LSTM_SIGMOID = tuple(gate != "c" for gate in LSTM_ORDER)   # σ on i, f, o; tanh on c̃
IN_CACHE = 2**18                        # bytes of gates per run of steps whose local derivatives are computed at once
BESIDE_RUN = 2**20                      # ... when the second core computes them (see _LSTMGrads._runs)


class LSTMTape(NamedTuple):
    """What the LSTM forward pass keeps for the backward pass, time first."""

    R: np.ndarray          # (T_x + 1, m, n_x + n_a + 1): R⟨t⟩ = [x⟨t⟩, a⟨t-1⟩, 1]; R[T_x] holds a⟨T_x⟩
    C: np.ndarray          # (T_x + 1, m, n_a): c⟨0⟩ .. c⟨T_x⟩
    tanh_c: np.ndarray     # (T_x, m, n_a): tanh(c⟨t⟩)
    G: np.ndarray          # (T_x, m, 4n_a): Γi, Γf, c̃, Γo of every step
    Z: np.ndarray | None   # (T_x, m, 4n_a): pre-activations, kept only for activations other than the course's

    @property
    def H(self) -> np.ndarray:
        """a⟨1⟩ .. a⟨T_x⟩, (T_x, m, n_a): a view of R."""
        return self.R[1:, :, -1 - self.C.shape[-1] : -1]

    @property
    def X(self) -> np.ndarray:
        """x⟨1⟩ .. x⟨T_x⟩, (T_x, m, n_x): a view of R."""
        return self.R[:-1, :, : -1 - self.C.shape[-1]]


def lstm_inputs(A_prev: np.ndarray, X: np.ndarray) -> np.ndarray:
    """R = [x⟨t⟩, a⟨t-1⟩, 1] of every step, (T_x, m, n_x + n_a + 1), from A_prev (T_x, m, n_a) and X (T_x, m, n_x)."""
    T_x, m, n_x = X.shape
    R = np.empty((T_x, m, n_x + A_prev.shape[-1] + 1), np.result_type(A_prev, X))
    R[..., :n_x] = X
    R[..., n_x:-1] = A_prev
    R[..., -1] = 1
    return R


def lstm_weights(Wx: np.ndarray, Wa: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """W = [Wxᵀ; Waᵀ; b] ((n_x + n_a + 1), 4n_a): Keras's [kernel; recurrent_kernel; bias], from the course's stacked gates."""
    n_x = Wx.shape[1]
    W = np.empty((n_x + Wa.shape[1] + 1, Wa.shape[0]), np.result_type(Wx, Wa, b)) if out is None else out
    np.copyto(W[:n_x], Wx.T)
    np.copyto(W[n_x:-1], Wa.T)
    np.copyto(W[-1], b.reshape(-1))
    return W


def stacked_weights(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray) -> np.ndarray | None:
    """[kernel; recurrent_kernel; bias] as ONE view when they lie one after the other in memory (a model's flat
    buffers), else None."""
    parts = (kernel, recurrent_kernel, bias)
    if not all(p.flags.c_contiguous for p in parts) or kernel.dtype != bias.dtype:
        return None
    if (kernel.ctypes.data + kernel.nbytes != recurrent_kernel.ctypes.data
            or recurrent_kernel.ctypes.data + recurrent_kernel.nbytes != bias.ctypes.data):
        return None
    base = kernel if kernel.base is None else kernel.base
    while base.base is not None:
        base = base.base
    offset = kernel.ctypes.data - base.ctypes.data
    rows = kernel.shape[0] + recurrent_kernel.shape[0] + 1
    return np.ndarray((rows, bias.shape[0]), kernel.dtype, buffer=base, offset=offset)


def lstm_step(z: np.ndarray, c_prev: np.ndarray | None, c: np.ndarray, tanh_c: np.ndarray, a: np.ndarray,
              scratch: np.ndarray, gates: np.ndarray | None = None, activations: tuple | None = None) -> None:
    """One LSTM step from its pre-activations z (m, 4n_a) = [z_i, z_f, z_c, z_o]:

    Γi, Γf, Γo = σ(z_i, z_f, z_o), c̃ = tanh(z_c); c⟨t⟩ = Γf ∗ c⟨t-1⟩ + Γi ∗ c̃, a⟨t⟩ = Γo ∗ tanh(c⟨t⟩).

    c_prev None is c⟨t-1⟩ = 0. The course's activations run in place on z, whose σ blocks come
    halved (activations.gates_forward). With Keras's ``activations`` = (g, recurrent g), z stays as it is and
    ``gates`` receives them.
    """
    gates = z if activations is None else gates
    n_a = c.shape[-1]
    blocks = tuple(gates[:, k * n_a : (k + 1) * n_a] for k in range(4))
    _lstm_step(z, c_prev, c, tanh_c, a, scratch, blocks, activations, gate_affine(n_a, z.dtype, LSTM_SIGMOID))


def _lstm_step(z, c_prev, c, tanh_c, a, scratch, blocks, activations, affine) -> None:
    """lstm_step with the gates' blocks (i, f, c̃, o views of the gates) and gate_affine's pair given."""
    i, f, cc, o = blocks
    if activations is None:                                       # the gates are z, in place
        gates_forward(z, affine)
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


def _carve(shapes: list[tuple[int, ...]], dtype) -> list[np.ndarray]:
    """Arrays of these shapes, carved out of ONE allocation (each on a 64-byte boundary).

    A tape is tens of MB at the course's sizes and the course's functions make a new one at every
    call: as one block, the C library keeps it for the next call (its threshold for giving memory
    back to the system grows with the largest block freed), where separate arrays are given back
    and the next call pays a page fault on every 4 KiB it writes.
    """
    itemsize = np.dtype(dtype).itemsize
    sizes = [math.prod(shape) for shape in shapes]                     # (np.prod: 4 µs a shape)
    step = 64 // itemsize if 64 % itemsize == 0 else 1
    offsets, total = [], 0
    for size in sizes:
        offsets.append(total)
        total += -(-size // step) * step
    block = np.empty(total + step, dtype)
    start = (-(block.ctypes.data // itemsize)) % step if step > 1 else 0
    return [block[start + o : start + o + n].reshape(shape) for o, n, shape in zip(offsets, sizes, shapes)]


class _LSTMArrays:
    """One shape's forward: the tape's buffers, each step's views, the BLAS threading of its products."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, course: bool) -> None:
        k = n_x + n_a + 1
        self.n_x, self.course = n_x, course
        shapes = [(T_x + 1, m, k), (T_x, m, 4 * n_a), (T_x + 1, m, n_a), (T_x, m, n_a)] + [(T_x, m, 4 * n_a)] * (not course)
        self.R, self.G, self.C, self.tanh_c, *Z = _carve(shapes, dtype)
        self.R[..., -1] = 1                                       # the bias's column
        self.R[-1, :, :n_x] = 0                                   # no x⟨T_x + 1⟩: only a⟨T_x⟩ is kept there
        self.R[0, :, n_x:-1] = 0                                  # a⟨0⟩ = 0 until a call gives one
        self.a0_zero = True
        self.Z = Z[0] if Z else self.G                            # pre-activations (the course's: the gates, in place)
        self.C[0] = 0                                             # c⟨0⟩ = 0 until a call gives one
        self.C_prev, self.C_next = self.C[:-1], self.C[1:]
        self.c0_zero = True
        self.W = np.empty((k, 4 * n_a), dtype) if course else None   # the σ columns halved
        self.X, self.a0, self.H = self.R[:-1, :, :n_x], self.R[0, :, n_x:-1], self.R[1:, :, n_x:-1]
        self.tape = LSTMTape(self.R, self.C, self.tanh_c, self.G, None if course else self.Z)
        self.scratch = np.empty((m, n_a), dtype)
        self.steps = [(self.R[t], self.Z[t], self.C[t] if t else None, self.C[t + 1], self.tanh_c[t], self.R[t + 1, :, n_x:-1],
                       tuple(self.G[t, :, g * n_a : (g + 1) * n_a] for g in range(4))) for t in range(T_x)]
        self.half = np.broadcast_to(gate_affine(n_a, dtype, LSTM_SIGMOID)[0], (k, 4 * n_a)).copy() if course else None
        self.affine = tuple(np.broadcast_to(v, (m, 4 * n_a)).copy() for v in gate_affine(n_a, dtype, LSTM_SIGMOID))
        # (as a step's shape: a ufunc costs less without broadcasting a row, at every size)
        self.blas = one_blas_thread(m * k * 4 * n_a * T_x)
        # At sizes worth a second core, Wx·x⟨t⟩ of every step is made apart from the loop, in three fixed pieces
        # (the first here before the loop, the others on the second core if one is idle, else here: the same
        # calls either way, so the same numbers), and each step multiplies only [a⟨t-1⟩, 1]·[Wa; b].
        self.x_apart = T_x > 3 and T_x * m * k * 4 * n_a >= BESIDE_WORTH
        if self.x_apart:
            first = max(1, T_x // 12)
            cuts = (0, first, first + (T_x - first) // 3, T_x)
            X2, Z2 = self.R[:-1].reshape(T_x * m, k)[:, :n_x], self.Z.reshape(T_x * m, 4 * n_a)
            self.x_pieces = [(X2[a * m : b * m], Z2[a * m : b * m]) for a, b in zip(cuts, cuts[1:])]
            self.x_wait = {cuts[1]: 1, cuts[2]: 2}                # the loop's step where a piece must be ready
            self.recurrent = np.empty((m, 4 * n_a), dtype)
            self.steps = [(r[:, n_x:], *rest) for r, *rest in self.steps]   # [a⟨t-1⟩, 1]

    def _x_part(self, i: int, Wx: np.ndarray) -> None:
        """Wx·x⟨t⟩ (with the σ rows halved, as W) of the steps of piece i, into their pre-activations."""
        X, Z = self.x_pieces[i]
        np.matmul(X, Wx, out=Z)

    def forward(self, X, a0, c0, W, activations) -> LSTMTape:
        """X (T_x, m, n_x) in any layout; a0, c0 (m, n_a) or None for zeros; W = [Wxᵀ; Waᵀ; b] (lstm_weights)."""
        np.copyto(self.X, X)
        if a0 is not None:
            np.copyto(self.a0, a0)
            self.a0_zero = False
        elif not self.a0_zero:
            self.a0.fill(0)
            self.a0_zero = True
        if c0 is not None:
            np.copyto(self.C[0], c0)
            self.c0_zero = False
        elif not self.c0_zero:
            self.C[0] = 0
            self.c0_zero = True
        if self.course:                                           # σ's z/2 (gates_forward): exact, a power of two
            W = np.multiply(W, self.half, out=self.W)
        scratch, affine, first = self.scratch, self.affine, None if self.c0_zero else self.C[0]
        with self.blas:
            if not self.x_apart:
                for r, z, c_prev, c, tc, a, blocks in self.steps:
                    np.matmul(r, W, out=z)                        # z⟨t⟩ = Wx·x⟨t⟩ + Wa·a⟨t-1⟩ + b
                    _lstm_step(z, first if c_prev is None else c_prev, c, tc, a, scratch, blocks, activations, affine)
                return self.tape
            Wx, Wr, rec = W[: self.n_x], W[self.n_x :], self.recurrent
            here = not BESIDE.idle()
            jobs = [BESIDE.submit(self._x_part, i, Wx, here=here or i == 0) for i in range(3)]
            for t, (ra, z, c_prev, c, tc, a, blocks) in enumerate(self.steps):
                if t in self.x_wait:
                    jobs[self.x_wait[t]].result()                 # (raises what the second core raised)
                np.matmul(ra, Wr, out=rec)                        # Wa·a⟨t-1⟩ + b
                np.add(z, rec, out=z)                             # + Wx·x⟨t⟩, made apart
                _lstm_step(z, first if c_prev is None else c_prev, c, tc, a, scratch, blocks, activations, affine)
        return self.tape


def lstm_steps_forward(X: np.ndarray, a0: np.ndarray | None, c0: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       b: np.ndarray, activations: tuple | None = None) -> LSTMTape:
    """Every step of the LSTM; X (T_x, m, n_x), Wx (4n_a, n_x), Wa (4n_a, n_a), b (4n_a,) stacked i, f, c, o.

    a0, c0 (m, n_a), or None for zeros.
    """
    T_x, m, n_x = X.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(X, Wx, Wa, b, *(s for s in (a0, c0) if s is not None))
    w = _LSTMArrays(m, T_x, n_x, n_a, dtype, activations is None)
    return w.forward(X, a0, c0, lstm_weights(Wx, Wa, b), activations)


def _time_rows(a: np.ndarray) -> np.ndarray:
    """(T_x, m, k) -> (T_x·m, k): a view when the steps follow each other (our tapes), a copy otherwise."""
    return a.reshape(-1, a.shape[-1])


class _LSTMGrads:
    """One shape's backward: its buffers, each step's views, the BLAS threading of its products."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype) -> None:
        k = n_x + n_a + 1
        self.n_x = n_x
        step_bytes = max(1, m * 4 * n_a * np.dtype(dtype).itemsize)
        self.run = {beside: max(1, min(T_x, size // step_bytes)) for beside, size in ((False, IN_CACHE), (True, BESIDE_RUN))}
        longest = max(self.run.values())
        # The steps in three pieces for the weight products (dW, dx): the later two go to a second core as soon as
        # the loop has passed them, the first after it (module docstring).
        worth = T_x > 1 and T_x * m * k * 4 * n_a >= BESIDE_WORTH
        self.cuts = tuple(sorted({T_x * 2 // 3, T_x // 3} - {0}, reverse=True)) if worth else ()
        self.pieces = {cut: (i, cut, self.cuts[i - 1] if i else T_x) for i, cut in enumerate(self.cuts)}
        self.ready: dict = {}                                     # each run's event, made when first needed
        (self.dZ, self.K, self.dH, self.S, self.S_last, self.dWT, self.dW_pieces, self.Wa, self.da, self.da_t, self.dc,
         self.dc_t, self.scratch, self.mult) = _carve(
            [(T_x, m, 4 * n_a), (T_x, m, n_a), (T_x, m, n_a), (longest * m, 4 * n_a), (longest * m, 4 * n_a),
             (k, 4 * n_a), (len(self.cuts), k, 4 * n_a), (4 * n_a, n_a)] + [(m, n_a)] * 4 + [(m, 4 * n_a)] * 2, dtype)
        # S, S_last: local_derivatives' scratch, one for the runs the second core computes and one for the last run,
        # which this thread computes at the same time
        # mult: what each gate block of dz⟨t⟩ is multiplied by, [dc⟨t⟩, dc⟨t⟩, dc⟨t⟩, da⟨t⟩], so that dz⟨t⟩ is ONE
        # product on contiguous memory (a product broadcast over three gate blocks, and one on the fourth, paid an
        # inner loop per row: 0.6 ms more per backward at the bar's size)
        self.mult_ifc, self.mult_o = self.mult[:, : 3 * n_a].reshape(m, 3, n_a), self.mult[:, 3 * n_a :]
        # dZ: the gradients of the pre-activations; K = Γo ∗ (1 - tanh²c⟨t⟩), da⟨t⟩'s share of dc⟨t⟩;
        # dWT = [dWxᵀ; dWaᵀ; db] (as W); Wa: the recurrent weights, contiguous for the products in the loop
        self.dZ2, self.K2 = self.dZ.reshape(T_x * m, 4 * n_a), self.K.reshape(T_x * m, n_a)
        self.dX: np.ndarray | None = None                         # dx's buffer, when the caller's layout is not ours
        self.dc_t3 = self.dc_t[:, None, :]
        self._tape: tuple | None = None                           # the last tape's views (_runs)
        self.steps = [(self.dZ[t], self.K[t]) for t in range(T_x)]
        # da = dz·Wa in the row blocks OpenBLAS multiplies fastest (blas_threads.row_blocks): 6.5 -> 6.1 ms per
        # backward at the bar's size (in the forward's loop, where other arrays evict the weights from the cache
        # between two steps, halves measured slower: 5.95 -> 6.15 ms)
        blocks = row_blocks(m, n_a, 4 * n_a)
        self.products = [[(self.dZ[t, rows], self.da[rows]) for rows in blocks] for t in range(T_x)]
        self.tanh_block = np.empty((longest * m, 4 * n_a), dtype)   # 1 on c̃'s columns (a run's shape: no broadcast)
        self.tanh_block[:] = np.repeat(np.array([0.0, 0.0, 1.0, 0.0], dtype), n_a)
        self.blas = one_blas_thread(m * k * 4 * n_a * T_x)

    def _runs(self, G, C_prev, tanh_c, R, beside: bool) -> tuple:
        """The views that local_derivatives and the weight products read, per run of steps (last run first): made
        once per tape, and kept while the same tape comes back (a layer's, whose forward reuses its buffers).

        Runs are longer when the second core computes them (``beside``): each numpy call of the worker may hold
        the GIL at the moment the loop's next call wants it back, so fewer, larger calls there (8 steps at the
        bar's size instead of 2) measured 1 ms less per backward (7.4 -> 6.4 ms); on one core, runs that stay in
        the cache are faster (8.8 against 9.3 ms)."""
        seen = self._tape
        if seen is not None and seen[0] is G and seen[1] is C_prev and seen[2] is tanh_c and seen[3] is R and seen[5] == beside:
            return seen[4]
        T_x, m, n_a = tanh_c.shape
        run = self.run[beside]
        G2, C_prev2, tanh_c2 = _time_rows(G), _time_rows(C_prev), _time_rows(tanh_c)
        runs = {}
        for stop in range(T_x, 0, -run):
            start = max(0, stop - run)
            rows = slice(start * m, stop * m)
            g, d = G2[rows], self.dZ2[rows]
            g3, d3 = g.reshape(-1, 4, n_a), d.reshape(-1, 4, n_a)
            n = rows.stop - rows.start
            scratch = (self.S_last if stop == T_x else self.S)[:n]
            runs[stop - 1] = (start, (g, self.tanh_block[:n], scratch, d, d3[:, ::2], g3[:, 2::-2], d3[:, 1],
                                      C_prev2[rows], d3[:, 3], tanh_c2[rows], self.K2[rows], g3[:, 3]))
        self._tape = (G, C_prev, tanh_c, R, (runs, _time_rows(R[:T_x]).T, [G[t, :, n_a : 2 * n_a] for t in range(T_x)]),
                      beside)
        return self._tape[4]

    def local_derivatives(self, G, TB, S, D, D_ic, G_ci, D_f, C_prev, D_o, tanh_c, K, G_o) -> None:
        """Every factor of dz⟨t⟩ that the gradient flowing back does not change, for the rows (steps × examples)
        of these 2-D views (_runs):

        D = [c̃ ∗ Γi(1-Γi), c⟨t-1⟩ ∗ Γf(1-Γf), Γi ∗ (1 - c̃²), tanh(c⟨t⟩) ∗ Γo(1-Γo)], K = Γo ∗ (1 - tanh²c⟨t⟩),
        so that dz_i, dz_f, dz_c = dc⟨t⟩ ∗ D[i, f, c], dz_o = da⟨t⟩ ∗ D[o], dc⟨t⟩ = dc_next + da⟨t⟩ ∗ K.
        """
        np.add(G, TB, out=S)                                      # TB: 1 on c̃'s columns
        np.subtract(1.0, G, out=D)
        np.multiply(D, S, out=D)                                  # Γ(1 - Γ) = σ'(z) of i, f, o; (1 - c̃)(1 + c̃) = 1 - c̃²
        np.multiply(D_ic, G_ci, out=D_ic)                         # i ∗ c̃, c̃ ∗ Γi: D's blocks i, c̃ by G's c̃, i
        np.multiply(D_f, C_prev, out=D_f)                         # f ∗ c⟨t-1⟩
        np.multiply(D_o, tanh_c, out=D_o)                         # o ∗ tanh(c⟨t⟩)
        np.multiply(tanh_c, tanh_c, out=K)
        np.subtract(1.0, K, out=K)
        np.multiply(K, G_o, out=K)

    def backward(self, dH, da_last, dc_last, R, C_prev, C, tanh_c, G, Z, W, activations, dX, need_da0, out):
        """W = [Wxᵀ; Waᵀ; b] as the forward's; ``out``: where dWᵀ = [dWxᵀ; dWaᵀ; db] goes (shaped as W), or None."""
        da, da_t, dc, dc_t, dc_t3 = self.da, self.da_t, self.dc, self.dc_t, self.dc_t3
        mult, mult_ifc, mult_o = self.mult, self.mult_ifc, self.mult_o
        m, T_x = da.shape[0], len(self.steps)
        last = T_x - 1
        course = activations is None
        here = not (self.cuts and BESIDE.idle())                  # a busy machine: every piece in this thread
        runs, RT, forget = self._runs(G, C_prev, tanh_c, R, not here)
        ready = ahead = None
        if course and not here and len(runs) > 1:                 # every run but the last on the second core, from
            ready = self.ready = self.ready or {end: threading.Event() for end in runs}   # now: it has the most to do
            for event in ready.values():
                event.clear()
            ahead = BESIDE.submit(self._derivatives_ahead, runs, last, ready)
        jobs: list = []
        try:
            Wa = self.Wa
            if last or need_da0:
                np.copyto(Wa, W[self.n_x : -1].T)
            if dH is not None and dH.strides[-1] != dH.itemsize:     # the course's da: every element a cache line apart
                np.copyto(self.dH, dH)                           # one pass, instead of a scattered read at every step
                dH = self.dH
            if dc_last is not None:
                np.copyto(dc, dc_last)
            dX2 = self._dx_rows(dX)
            Wx = None if dX2 is None else W[: self.n_x].T
            with self.blas:
                for t in range(last, -1, -1):
                    dz, k = self.steps[t]
                    if course and t in runs:                          # a run of steps ends here: its local derivatives
                        if ready is None or t == last:                # here (the last run; every run on one core)
                            self.local_derivatives(*runs[t][1])
                        else:
                            ready[t].wait()
                            # it failed: stop before reading its runs
                            if ahead.done() and ahead.exception() is not None:
                                raise ahead.exception()
                    if course:                                        # everything that reaches a⟨t⟩: da⟨t⟩, in mult
                        up, mine, later = mult_o, None if dH is None else dH[t], da_last if t == last else da
                        if mine is None or later is None:
                            np.copyto(up, later if mine is None else mine)
                        else:
                            np.add(mine, later, out=up)
                        np.multiply(up, k, out=dc_t)
                        if t < last or dc_last is not None:
                            np.add(dc_t, dc, out=dc_t)                # dc⟨t⟩ = dc_next + da⟨t⟩ ∗ Γo ∗ (1 - tanh²c⟨t⟩)
                        np.copyto(mult_ifc, dc_t3)
                        np.multiply(dz, mult, out=dz)                 # dz_i, dz_f, dz_c = dc⟨t⟩ ∗ their factors,
                    else:                                             # dz_o = da⟨t⟩ ∗ tanh(c⟨t⟩) ∗ Γo(1-Γo)
                        if t == last:
                            up = dH[t] if da_last is None else da_last if dH is None else np.add(dH[t], da_last, out=da_t)
                        else:
                            up = da if dH is None else np.add(dH[t], da, out=da_t)
                        _lstm_step_back(up, dc, t < last or dc_last is not None, dc_t, dz, G[t], Z[t], C_prev[t], C[t],
                                        tanh_c[t], activations, self.scratch)
                    if t or need_da0:
                        for dz_rows, da_rows in self.products[t]:
                            np.matmul(dz_rows, Wa, out=da_rows)       # to a⟨t-1⟩, through all four gates
                        np.multiply(dc_t, forget[t], out=dc)          # to c⟨t-1⟩, through Γf
                    if t in self.pieces:                              # the loop has passed this piece's steps
                        i, start, stop = self.pieces[t]
                        job = (RT, start * m, stop * m, self.dW_pieces[i], Wx, dX2)
                        jobs.append((BESIDE.submit(self._products, *job, here=here), job))
                if ahead is not None:
                    ahead.result()                                    # (raises what the second core raised)
                dWT = self.dWT if out is None else out
                if self.cuts:                                         # the first piece too, its dW and its dx apart;
                    for job in ((RT, 0, self.cuts[-1] * m, dWT, None, None), (None, 0, self.cuts[-1] * m, None, Wx, dX2)):
                        if job[0] is not None or dX2 is not None:     # then whatever the second core has not started,
                            jobs.append((BESIDE.submit(self._products, *job, here=here), job))   # this thread makes
                    for future, job in jobs:
                        if future.cancel():
                            self._products(*job)
                    for future, _ in jobs:
                        if not future.cancelled():
                            future.result()
                    for piece in self.dW_pieces:                      # the same sum whichever thread made each piece
                        np.add(dWT, piece, out=dWT)
                else:                                                 # all steps here, in one product each
                    np.matmul(RT, self.dZ2, out=dWT)
                    if dX2 is not None:
                        np.matmul(self.dZ2, Wx, out=dX2)
        except BaseException:                                     # (an interrupt too) no job of this call may
            _settle([ahead, *(future for future, _ in jobs)])     # write the buffers once the next call runs
            raise
        if dX2 is not None and dX2 is self.dX:
            np.copyto(dX, dX2.reshape(dX.shape))
        return dWT

    def _derivatives_ahead(self, runs: dict, first: int, ready: dict) -> None:
        """On the second core: the local derivatives of every run but the ``first``, in the loop's order, each
        run's event set when it is ready (all of them in the end, whatever happens, so the loop never hangs)."""
        try:
            for t in sorted(runs, reverse=True):
                if t != first:
                    self.local_derivatives(*runs[t][1])
                    ready[t].set()
        finally:
            for event in ready.values():
                event.set()

    def _products(self, RT, start, stop, dWT, Wx, dX2) -> None:
        """The weight products of rows start:stop (steps × examples): dWᵀ = Σ_t R⟨t⟩ᵀ·dz⟨t⟩ = [dWxᵀ; dWaᵀ; db] and
        dx⟨t⟩ = dz⟨t⟩·Wx, each ONE product over those steps (RT: their R⟨t⟩ side by side, transposed; None: dx only;
        dX2 None: dW only)."""
        rows = slice(start, stop)
        if RT is not None:
            np.matmul(RT[:, rows], self.dZ2[rows], out=dWT)
        if dX2 is not None:
            np.matmul(self.dZ2[rows], Wx, out=dX2[rows])

    def _dx_rows(self, dX: np.ndarray | None) -> np.ndarray | None:
        """dx as (T_x·m, n_x) rows: the caller's array where its layout allows, else this backward's buffer."""
        if dX is None:
            return None
        try:
            return np.reshape(dX, (-1, dX.shape[-1]), copy=False)
        except ValueError:                                        # a layout other than ours: through a buffer
            if self.dX is None or self.dX.dtype != dX.dtype:
                self.dX = np.empty((self.dZ2.shape[0], dX.shape[-1]), dX.dtype)
            return self.dX


def lstm_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, dc_last: np.ndarray | None,
                        R: np.ndarray, C_prev: np.ndarray, C: np.ndarray, tanh_c: np.ndarray, G: np.ndarray,
                        Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, activations: tuple | None = None,
                        dX: np.ndarray | None = None, need_da0: bool = True):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last) + Σ c⟨T_x⟩ ∗ dc_last.

    Time first: dH (T_x, m, n_a); R (T_x, m, n_x + n_a + 1) the [x⟨t⟩, a⟨t-1⟩, 1] of every step (a tape's R, or
    lstm_inputs); C_prev, C, tanh_c (T_x, m, n_a) the c⟨t-1⟩, c⟨t⟩, tanh(c⟨t⟩); G (T_x, m, 4n_a) = Γi, Γf, c̃, Γo.
    Writes dx into ``dX`` (T_x, m, n_x; any layout).
    Returns da0, dc0 (m, n_a; None unless ``need_da0``), and dWx (4n_a, n_x), dWa (4n_a, n_a),
    db (4n_a,) stacked i, f, c, o (views of one buffer).
    """
    T_x, m, n_a = tanh_c.shape
    n_x = R.shape[-1] - n_a - 1
    dtype = np.result_type(G, Wa, *(d for d in (dH, da_last, dc_last) if d is not None))
    w = _kept_grads(m, T_x, n_x, n_a, dtype)
    da_last = _zeros_if_none(da_last, dH, (m, n_a), dtype)
    W = lstm_weights(Wx, Wa, np.zeros(Wa.shape[0], dtype))
    try:
        dWT = w.backward(dH, da_last, dc_last, R, C_prev, C, tanh_c, G, Z, W, activations, dX, need_da0, None).copy()
    finally:
        w._tape = None                                            # keeps no caller's tape alive
    da0, dc0 = (w.da.copy(), w.dc.copy()) if need_da0 else (None, None)    # copies: the buffers are kept for the next call
    return da0, dc0, dWT[:n_x].T, dWT[n_x:-1].T, dWT[-1]


_KEPT = threading.local()


def _kept_grads(m: int, T_x: int, n_x: int, n_a: int, dtype) -> _LSTMGrads:
    """A backward's buffers, kept per shape for the next call of this thread (nothing returned is a view of them).

    Made anew at every call, they and a new tape were given back to the system together after each
    course step (the C library's threshold for giving memory back is twice the largest block freed):
    about 2000 page faults, 4-6 ms of system time, per lstm_forward + lstm_backward at the bar's size.
    """
    kept = getattr(_KEPT, "by_shape", None)
    if kept is None:
        kept = _KEPT.by_shape = {}
    key = (m, T_x, n_x, n_a, np.dtype(dtype))
    w = kept.get(key)
    if w is None:
        if len(kept) >= LayerKernels.LIMIT:
            kept.clear()
        w = kept[key] = _LSTMGrads(m, T_x, n_x, n_a, dtype)
    return w


def _settle(futures: list) -> None:
    """Cancel the jobs not started; wait for the others (their own errors are not the one being raised)."""
    for future in futures:
        if future is not None and not future.cancel():
            try:
                future.result()
            except BaseException:                                 # noqa: BLE001 - the caller's error goes on
                pass


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


def layer_kernels(n_a: int, course: bool) -> LayerKernels:
    """One Keras LSTM layer's float64 kernels, per input shape (batch, T, n_x); ``course``: the course's σ and tanh
    (else Keras's activation objects are passed at each call)."""
    return LayerKernels.of(_LSTMArrays, _LSTMGrads, n_a, course)
