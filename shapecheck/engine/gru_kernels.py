"""Keras's GRU (reset_after=True): the one step, the loops through time; the layer (layers/gru) runs them.

    z = σ(Wz·x + bxz + Uz·a⟨t-1⟩ + baz),   r = σ(Wr·x + bxr + Ur·a⟨t-1⟩ + bar),
    h̃ = tanh(Wh·x + bxh + r ∗ (Uh·a⟨t-1⟩ + bah)),   a⟨t⟩ = z ∗ a⟨t-1⟩ + (1 - z) ∗ h̃.

Layout: time first, then the course's columns, (T_x, rows, m). A step's state a⟨t⟩ (n_a, m) and
each of its gates is then one contiguous block, so that every ufunc of the time loop runs on
contiguous memory (on a gate block of a (m, T_x, 3n_a) array, numpy pays one inner loop per row:
about 5 µs instead of 0.6 µs for a (64, 64) block), and the step's recurrent product is ONE matmul
whose output holds the three gates as row blocks. Keras's (m, T_x, ·) arrays are read in place
(x, by one batched matmul over all steps; dx written so) or copied: the outputs h⟨t⟩ a step at a
time while in the cache, the gradients dh⟨t⟩ once per call.

The biases ride in the recurrent matmul: the states keep a row of ones under a⟨t⟩, and the
recurrent weights a column [bxz + baz, bxr + bar, bah], so that no step adds a bias and the
backward's product with the states gives dba with dWa. σ is the gates' form (activations.sigmoid_of_half,
½·tanh(z/2) + ½), the z and r rows of the weights halved once per call (exact: a power of two).

The backward pass writes each step's [dRh, dz_z, dz_r, dz_h] (4n_a, m), dRh = ∂J/∂(Uh·a⟨t-1⟩ + bah):
rows 0..3n_a are the recurrent side's gradients in the order h, z, r and rows n_a..4n_a the input
side's in the order z, r, h, each ONE matrix for its step's products. The factors that the gradient
flowing back does not change are computed first; the time loop is then four in-place products and
one matmul. A tape that fits in the cache is worked on all steps at once (one call per ufunc and
per product); a bigger one a step at a time, every product included, so that the step's block
stays in the cache (measured: all at once, these passes over memory cost more than they save).

Buffers: each kernel is an object holding one shape's buffers, with each step's views made once
(rnn_kernels.LayerKernels keeps a layer's per input shape); every BLAS call runs on one OpenBLAS
thread (blas_threads) when a product would otherwise be multithreaded.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from shapecheck.engine import rnn_kernels
from shapecheck.engine.activations import sigmoid_of_half
from shapecheck.engine.blas_threads import one_blas_thread


class GRUTape(NamedTuple):
    """What the GRU forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray | None  # (m, n_a), None for zeros
    H: np.ndarray | None   # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩ in Keras's layout (None when not asked for)
    A: np.ndarray          # (T_x + 1, n_a + 1, m): a⟨0⟩ .. a⟨T_x⟩ as columns, each over a row of ones
    AR: np.ndarray         # (T_x + 1, m, n_a + 1): the same as rows, each beside a column of ones (for dWa's products)
    G: np.ndarray          # (T_x, 3n_a, m): z, r, h̃ of every step
    Rh: np.ndarray         # (T_x, n_a, m): Uh·a⟨t-1⟩ + bah of every step
    Z: np.ndarray | None   # (T_x, 3n_a, m): pre-activations, kept only for activations other than σ and tanh

    @property
    def last(self) -> np.ndarray:
        """a⟨T_x⟩ (m, n_a), Keras's layout (a view)."""
        return self.AR[-1, :, :-1]


def gru_step(zr: np.ndarray, x_h: np.ndarray, z: np.ndarray, r: np.ndarray, hh: np.ndarray, rh: np.ndarray,
             a_prev: np.ndarray, a: np.ndarray, scratch: np.ndarray, activations: tuple | None = None) -> None:
    """One GRU step, columns (rows, m), from zr (2n_a, m) the z and r pre-activations (halved for the course's σ),
    x_h (n_a, m) the candidate's input part and rh = Uh·a⟨t-1⟩ + bah (n_a, m); z, r, hh receive the gates:

    z, r = σ(zr), h̃ = tanh(x_h + r ∗ rh), a⟨t⟩ = h̃ + z ∗ (a⟨t-1⟩ - h̃).
    The course's σ and tanh run in place (z, r are zr's halves, hh is x_h); Keras's ``activations`` =
    (g, recurrent g) leave the pre-activations in zr and x_h.
    """
    if activations is None:
        sigmoid_of_half(zr, out=zr)                               # z, r
    else:                                                         # Keras's act on (m, ·): a gate's .T (softmax's axis)
        n_a = rh.shape[0]
        activations[1].forward(zr[:n_a].T, z.T)
        activations[1].forward(zr[n_a:].T, r.T)
    np.multiply(r, rh, out=scratch)
    np.add(x_h, scratch, out=x_h)                                 # x_h + r ∗ rh
    if activations is None:
        np.tanh(x_h, out=x_h)                                     # h̃
    else:
        activations[0].forward(x_h.T, hh.T)
    np.subtract(a_prev, hh, out=scratch)
    np.multiply(scratch, z, out=scratch)
    np.add(hh, scratch, out=a)                                    # a⟨t⟩ = h̃ + z ∗ (a⟨t-1⟩ - h̃)


class _GRUArrays:
    """One shape's forward: the kernel's weights, the tape's buffers, each step's views."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, course: bool) -> None:
        self.n_a, self.course = n_a, course
        self.A = np.empty((T_x + 1, n_a + 1, m), dtype)
        self.A[:, n_a] = 1                                        # the biases' input
        self.G = np.empty((T_x, 3 * n_a, m), dtype)
        self.Z = self.G if course else np.empty_like(self.G)
        self.Rh = np.empty((T_x, n_a, m), dtype)
        self.AR = np.empty((T_x + 1, m, n_a + 1), dtype)
        self.AR[:, :, n_a] = 1
        self.H = np.empty((m, T_x, n_a), dtype)
        self.R = np.empty((3 * n_a, m), dtype)                    # one step's recurrent product
        self.scratch = np.empty((n_a, m), dtype)
        self.Wa = np.empty((3 * n_a, n_a + 1), dtype)             # [Ua | b]
        self.Wx = np.empty((3 * n_a, n_x), dtype, order="F")       # as Keras's kernel.T: the batched product reads it faster
        self.bxh = np.empty((n_a, m), dtype)
        A, Z, G, R = self.A, self.Z, self.G, self.R
        self.steps = [(A[t], A[t, :n_a], Z[t, : 2 * n_a], R[: 2 * n_a], self.Rh[t], R[2 * n_a :], Z[t, 2 * n_a :],
                       G[t, :n_a], G[t, n_a : 2 * n_a], G[t, 2 * n_a :], A[t + 1, :n_a], self.AR[t + 1, :, :n_a],
                       A[t + 1, :n_a].T)
                      for t in range(T_x)]
        self.blas = one_blas_thread(m * (n_x + n_a) * 3 * n_a)

    def weights(self, Wx, Wa, bx, ba):
        """[Ua | b] and Wx, the z and r rows halved for the course's σ; Wx as it is otherwise."""
        n_a = self.n_a
        Wa_b, bx, ba = self.Wa, bx.reshape(-1), ba.reshape(-1)
        np.copyto(Wa_b[:, :n_a], Wa)
        np.add(bx[: 2 * n_a], ba[: 2 * n_a], out=Wa_b[: 2 * n_a, n_a])
        np.copyto(Wa_b[2 * n_a :, n_a], ba[2 * n_a :])
        np.copyto(self.bxh, bx[2 * n_a :, None])
        if not self.course:
            return Wx
        np.multiply(Wa_b[: 2 * n_a], 0.5, out=Wa_b[: 2 * n_a])
        np.copyto(self.Wx, Wx)
        np.multiply(self.Wx[: 2 * n_a], 0.5, out=self.Wx[: 2 * n_a])
        return self.Wx

    def forward(self, X, a0, Wx, Wa, bx, ba, activations, sequences: bool = True) -> GRUTape:
        n_a, A, Z = self.n_a, self.A, self.Z
        Wx = self.weights(Wx, Wa, bx, ba)
        A[0, :n_a] = 0 if a0 is None else a0.T
        self.AR[0, :, :n_a] = 0 if a0 is None else a0
        with self.blas:
            np.matmul(Wx, X.transpose(1, 2, 0), out=Z)            # Wx·x⟨t⟩, every step: one batched call
            np.add(Z[:, 2 * n_a :], self.bxh, out=Z[:, 2 * n_a :])
            Wa_b, R, scratch = self.Wa, self.R, self.scratch
            for a_in, a_prev, zr, r_zr, rh, r_h, x_h, z, r, hh, a, a_row, a_T in self.steps:
                np.matmul(Wa_b, a_in, out=R)                      # [Uz, Ur, Uh]·a⟨t-1⟩ + biases
                np.add(zr, r_zr, out=zr)
                np.copyto(rh, r_h)
                gru_step(zr, x_h, z, r, hh, rh, a_prev, a, scratch, activations)
                np.copyto(a_row, a_T)                             # a⟨t⟩ as rows, while in the cache
        if sequences:
            np.copyto(self.H, self.AR[1:, :, :n_a].transpose(1, 0, 2))   # Keras's layout: whole rows moved
        return GRUTape(X, a0, self.H if sequences else None, A, self.AR, self.G, self.Rh, None if self.course else Z)


def gru_steps_forward(X: np.ndarray, a0: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, bx: np.ndarray,
                      ba: np.ndarray, activations: tuple | None = None) -> GRUTape:
    """Every step of Keras's GRU; X (m, T_x, n_x), Wx (3n_a, n_x), Wa (3n_a, n_a), bx, ba (3n_a,) stacked z, r, h.

    a0 (m, n_a), or None for zeros.
    """
    m, T_x, n_x = X.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(X, Wx, Wa, bx, ba) if a0 is None else np.result_type(X, a0, Wx, Wa, bx, ba)
    w = _GRUArrays(m, T_x, n_x, n_a, dtype, activations is None)
    return w.forward(X, a0, Wx, Wa, bx, ba, activations)


class _GRUGrads:
    """One shape's backward: its buffers, each step's views."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype) -> None:
        self.n_a = n_a
        # A tape bigger than the cache goes step by step, every product included, with one step's D in the cache;
        # a smaller one keeps every step's D, for its local factors and the weights' products all at once.
        self.per_step = T_x * 4 * n_a * m * np.dtype(dtype).itemsize > rnn_kernels.IN_CACHE
        kept = 1 if self.per_step else T_x
        self.D = np.empty((kept, 4 * n_a, m), dtype)              # [dRh, dz_z, dz_r, dz_h] of a step (every step's)
        self.one_minus_z = np.empty((kept, n_a, m), dtype)
        self.dH = np.empty((T_x, n_a, m), dtype)                  # the caller's dh⟨t⟩, as columns
        self._tape = None                                         # the last tape's views (_tape_views)
        self.da, self.s1 = np.empty((n_a, m), dtype), np.empty((n_a, m), dtype)
        self.back = np.empty((3 * n_a, n_a), dtype)               # U, rows h, z, r
        self.dWa = np.empty((3 * n_a, n_a + 1), dtype)            # [dU | dba], rows h, z, r
        self.dWx = np.empty((3 * n_a, n_x), dtype)
        if self.per_step:
            self.dWa_t, self.dWx_t = np.empty_like(self.dWa), np.empty_like(self.dWx)
            self.dbh = np.empty((n_a, m), dtype)                  # Σ_t dz_h
        else:
            self.dWa_all = np.empty((T_x, *self.dWa.shape), dtype)
            self.dWx_all = np.empty((T_x, *self.dWx.shape), dtype)
        D = self.D
        self.steps = [(D[k], D[k, : 3 * n_a], D[k, n_a:], *(D[k, j * n_a : (j + 1) * n_a] for j in range(4)), self.dH[t])
                      for t, k in ((t, 0 if self.per_step else t) for t in range(T_x))]
        self.blas = one_blas_thread(m * (n_x + n_a) * 3 * n_a)

    @staticmethod
    def local_derivatives(a, z, r, hh, rh, d_z, d_r, d_h, one_minus_z) -> None:
        """Every factor of the steps' gradients that the gradient flowing back does not change, for the steps
        these views hold (all at once while the tape fits in the cache, else one at a time, while in it):

        D = [·, (a⟨t⟩ - h̃)(1 - z), rh ∗ r(1 - r), (1 - z)(1 - h̃²)]: then dz_h = da ∗ D_h, dz_z = da ∗ D_z
        (z ∗ (a⟨t-1⟩ - h̃) = a⟨t⟩ - h̃), dz_r = dz_h ∗ D_r and ∂J/∂rh = dz_h ∗ r.
        """
        np.subtract(1.0, z, out=one_minus_z)
        np.multiply(hh, hh, out=d_h)
        np.subtract(1.0, d_h, out=d_h)
        np.multiply(d_h, one_minus_z, out=d_h)                    # (1 - z)(1 - h̃²)
        np.subtract(a, hh, out=d_z)
        np.multiply(d_z, one_minus_z, out=d_z)                    # (a⟨t⟩ - h̃)(1 - z)
        np.subtract(1.0, r, out=d_r)
        np.multiply(d_r, r, out=d_r)
        np.multiply(d_r, rh, out=d_r)                             # rh ∗ r(1 - r)

    def _tape_views(self, A, AR, G, Rh) -> tuple[list, list]:
        """The views of a tape that the backward reads, made once while the same tape comes back (a layer's):
        per step (z, r, [a⟨t-1⟩, 1] as rows), and local_derivatives' arguments (per step, or one entry: all at once)."""
        if self._tape is None or any(kept is not new for kept, new in zip(self._tape[:4], (A, AR, G, Rh))):
            n_a, D, one_minus_z, T_x = self.n_a, self.D, self.one_minus_z, len(self.steps)

            def local(t, k, a):                                   # tape's step(s) t, D's step(s) k
                return (a, G[t, :n_a], G[t, n_a : 2 * n_a], G[t, 2 * n_a :], Rh[t], D[k, n_a : 2 * n_a],
                        D[k, 2 * n_a : 3 * n_a], D[k, 3 * n_a :], one_minus_z[k])

            steps = [(G[t, :n_a], G[t, n_a : 2 * n_a], AR[t]) for t in range(T_x)]
            every = slice(None)
            at = [local(t, 0, A[t + 1, :n_a]) for t in range(T_x)] if self.per_step else [local(every, every, A[1:, :n_a])]
            self._tape = (A, AR, G, Rh, steps, at)
        return self._tape[4], self._tape[5]

    def _upstream(self, t, last, dH, da_last):
        """Everything that reaches a⟨t⟩ (n_a, m): dh⟨t⟩ plus what came back from step t+1 (da_last at the last step)."""
        if dH is None:
            if t == last:
                np.copyto(self.da, da_last.T)
            return self.da
        up = self.steps[t][-1]
        if t < last:
            np.add(up, self.da, out=up)
        elif da_last is not None:
            np.add(up, da_last.T, out=up)
        return up

    def backward(self, dH, da_last, tape: GRUTape, Wx, Wa, activations, dX, need_da0):
        """dWx (3n_a, n_x), dWa (3n_a, n_a), dbx, dba (3n_a,), z, r, h; da0 (n_a, m) stays in ``da``."""
        n_a, last, da, s1, D = self.n_a, len(self.steps) - 1, self.da, self.s1, self.D
        X, A, G, Rh, Z = tape.X, tape.A, tape.G, tape.Rh, tape.Z
        back, dWa, dWx, per_step = self.back.T, self.dWa, self.dWx, self.per_step
        np.copyto(self.back[:n_a], Wa[2 * n_a :])
        np.copyto(self.back[n_a:], Wa[: 2 * n_a])
        if dH is not None:
            np.copyto(self.dH, dH.transpose(1, 2, 0))
        with self.blas:
            course = activations is None
            views, local = self._tape_views(A, tape.AR, G, Rh)
            if course and not per_step:
                self.local_derivatives(*local[0])
            for t in range(last, -1, -1):
                d, d_rec, d_in, dRh, dz_z, dz_r, dz_h, _ = self.steps[t]
                z, r, a_in_row = views[t]
                up = self._upstream(t, last, dH, da_last)
                if course:
                    if per_step:
                        self.local_derivatives(*local[t])
                    np.multiply(dz_h, up, out=dz_h)  # dz_h = da ∗ (1 - z)(1 - h̃²)
                    np.multiply(dz_z, up, out=dz_z)  # dz_z = da ∗ (a⟨t-1⟩ - h̃) ∗ z(1 - z)
                    np.multiply(dz_r, dz_h, out=dz_r)  # dz_r = dz_h ∗ rh ∗ r(1 - r)
                    np.multiply(dz_h, r, out=dRh)                 # ∂J/∂rh = dz_h ∗ r
                else:
                    _gru_step_back(up, d, G[t], Rh[t], A[t, :n_a], Z[t], activations, s1, self.one_minus_z[-1])
                if t or need_da0:
                    np.multiply(up, z, out=s1)                    # through z ∗ a⟨t-1⟩ (read before da is overwritten)
                    np.matmul(back, d_rec, out=da)                # to a⟨t-1⟩ through the recurrent products
                    np.add(da, s1, out=da)
                if not per_step:
                    continue
                if dX is not None:
                    np.matmul(d_in.T, Wx, out=dX[:, t])           # dx⟨t⟩ = dz⟨t⟩·Wx
                if t == last:                                     # the weights' gradients, summed over the steps
                    np.matmul(d_rec, a_in_row, out=dWa)
                    np.matmul(d_in, X[:, t], out=dWx)
                    np.copyto(self.dbh, dz_h)
                else:
                    np.add(dWa, np.matmul(d_rec, a_in_row, out=self.dWa_t), out=dWa)
                    np.add(dWx, np.matmul(d_in, X[:, t], out=self.dWx_t), out=dWx)
                    np.add(self.dbh, dz_h, out=self.dbh)
            if not per_step:                                      # every step at once: batched calls
                np.add.reduce(np.matmul(D[:, : 3 * n_a], tape.AR[:-1], out=self.dWa_all), axis=0, out=dWa)
                np.add.reduce(np.matmul(D[:, n_a:], X.transpose(1, 0, 2), out=self.dWx_all), axis=0, out=dWx)
                if dX is not None:
                    np.matmul(D[:, n_a:].transpose(0, 2, 1), Wx, out=dX.transpose(1, 0, 2))
        dba = np.concatenate([dWa[n_a:, n_a], dWa[:n_a, n_a]])    # z, r, h
        dbh = np.add.reduce(self.dbh, axis=1) if per_step else np.add.reduce(D[:, 3 * n_a :], axis=(0, 2))
        dbx = np.concatenate([dba[: 2 * n_a], dbh])
        return dWx, np.concatenate([dWa[n_a:, :n_a], dWa[:n_a, :n_a]]), dbx, dba


def gru_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, tape: GRUTape, Wx: np.ndarray,
                       Wa: np.ndarray, activations: tuple | None = None, dX: np.ndarray | None = None,
                       need_da0: bool = True):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last), from the forward pass's tape.

    dH (m, T_x, n_a) and da_last (m, n_a), Keras's layout; at least one given. Writes dx into ``dX``
    (m, T_x, n_x) if given. Returns da0 (m, n_a; None unless ``need_da0``), dWx (3n_a, n_x),
    dWa (3n_a, n_a), dbx, dba (3n_a,), z, r, h.
    """
    T_x, _, m = tape.G.shape
    n_x, n_a = tape.X.shape[2], Wa.shape[1]
    dtype = np.result_type(tape.G, Wa, *(d for d in (dH, da_last) if d is not None))
    w = _GRUGrads(m, T_x, n_x, n_a, dtype)
    if dH is None and da_last is None:
        da_last = np.zeros((m, n_a), dtype)
    grads = w.backward(dH, da_last, tape, Wx, Wa.astype(dtype, copy=False), activations, dX, need_da0)
    return (w.da.T.copy() if need_da0 else None, *grads)


def _gru_step_back(up, d, g, rh, a_prev, pre, activations, s1, s2) -> None:
    """One step's [dRh, dz_z, dz_r, dz_h] (columns) through Keras's other activations, on (m, ·) views as Keras's."""
    act, gate_act = activations
    n_a = rh.shape[0]
    z, r, hh = g[:n_a], g[n_a : 2 * n_a], g[2 * n_a :]
    dRh, dz_z, dz_r, dz_h = (d[k * n_a : (k + 1) * n_a] for k in range(4))
    np.subtract(1.0, z, out=s1)
    np.multiply(up, s1, out=dz_h)                                 # ∂J/∂h̃ = da ∗ (1 - z)
    np.subtract(a_prev, hh, out=dz_z)
    np.multiply(dz_z, up, out=dz_z)                               # ∂J/∂z = da ∗ (a⟨t-1⟩ - h̃)
    act.backward(hh.T, pre[2 * n_a :].T, dz_h.T, dz_h.T, s2.T)
    gate_act.backward(z.T, pre[:n_a].T, dz_z.T, dz_z.T, s2.T)
    np.multiply(dz_h, rh, out=dz_r)
    gate_act.backward(r.T, pre[n_a : 2 * n_a].T, dz_r.T, dz_r.T, s2.T)
    np.multiply(dz_h, r, out=dRh)                                 # ∂J/∂rh = dz_h ∗ r


def layer_kernels(n_a: int, course: bool) -> rnn_kernels.LayerKernels:
    """One Keras GRU layer's float64 kernels, per input shape (m, T_x, n_x); ``course``: σ and tanh (else Keras's
    activation objects are passed at each call)."""
    return rnn_kernels.LayerKernels.of(_GRUArrays, _GRUGrads, n_a, course)
