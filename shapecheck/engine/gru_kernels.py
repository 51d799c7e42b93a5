"""Keras's GRU (reset_after=True), the one step and the loops through time; the layer (layers/gru) runs it.

The layout, the buffers kept per shape and the one-BLAS-thread rule are rnn_kernels's (see its
docstring), whose shared helpers this module uses: gates stacked z, r, h as in Keras's kernel, so
that its (n_x, 3n_a) is the kernels' Wxᵀ as it is; σ(z) = (1 + tanh(z/2)) / 2, the z and r
weights halved once per call.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from shapecheck.engine.blas_threads import one_blas_thread
from shapecheck.engine.rnn_kernels import (IN_CACHE, LayerKernels, _rows_contiguous, _upstream, _zeros_if_none,
                                           gate_affine, rows)

GRU_SIGMOID = (True, True, False)      # z, r, h: Keras's GRU gate blocks

# The equations, Keras's names:
#
# z = σ(x·Wzᵀ + bxz + a⟨t-1⟩·Uzᵀ + baz),  r = σ(x·Wrᵀ + bxr + a⟨t-1⟩·Urᵀ + bar),
# h̃ = tanh(x·Whᵀ + bxh + r ∗ (a⟨t-1⟩·Uhᵀ + bah)),  a⟨t⟩ = z ∗ a⟨t-1⟩ + (1 - z) ∗ h̃.
# The recurrent side is kept rotated, h, z, r: then one buffer of every step's gradients
# [dRh, dz_z, dz_r, dz_h] holds the recurrent side's (h, z, r) and the input side's (z, r, h) as two
# overlapping column ranges, each ONE matrix for the products over all steps.


class GRUTape(NamedTuple):
    """What the GRU forward pass keeps for the backward pass."""

    X: np.ndarray          # (m, T_x, n_x) the inputs (a view of the caller's)
    a0: np.ndarray | None  # (m, n_a), None for zeros
    H: np.ndarray          # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩
    G: np.ndarray          # (m, T_x, 3n_a): z, r, h̃ of every step
    R: np.ndarray          # (m, T_x, 3n_a): a⟨t-1⟩·Uᵀ + ba of every step, rotated h, z, r (only h is read back)
    Z: np.ndarray | None   # (m, T_x, 3n_a): pre-activations, kept only for activations other than σ and tanh


def _roll(U: np.ndarray, k: int) -> np.ndarray:
    """U's rows (or entries) from k on, then the first k: z, r, h -> h, z, r with k = 2n_a, back with k = n_a."""
    return np.concatenate([U[k:], U[:k]])


def gru_step(g: np.ndarray, rh: np.ndarray, a_prev: np.ndarray | None, a: np.ndarray, scratch: np.ndarray,
             gates: np.ndarray | None = None, activations: tuple | None = None) -> None:
    """One GRU step from g (m, 3n_a) = [z_z, z_r, x_h] (the z and r pre-activations, halved for the
    course's σ; the candidate's input part) and rh = a⟨t-1⟩·Uhᵀ + bah (m, n_a):

    z, r = σ(z_z, z_r), h̃ = tanh(x_h + r ∗ rh), a⟨t⟩ = h̃ + z ∗ (a⟨t-1⟩ - h̃) (a_prev None: zeros).
    With Keras's ``activations`` = (g, recurrent g), ``g`` keeps the pre-activations and ``gates`` receives them.
    """
    n_a = rh.shape[-1]
    if activations is None:
        gates = g
        zr = g[:, : 2 * n_a]
        np.tanh(zr, out=zr)
        np.multiply(zr, 0.5, out=zr)
        np.add(zr, 0.5, out=zr)  # z, r
        h = g[:, 2 * n_a :]
        np.add(h, np.multiply(gates[:, n_a : 2 * n_a], rh, out=scratch), out=h)  # x_h + r ∗ rh
        np.tanh(h, out=h)                                         # h̃
    else:
        act, gate_act = activations
        gate_act.forward(g[:, :n_a], gates[:, :n_a])
        gate_act.forward(g[:, n_a : 2 * n_a], gates[:, n_a : 2 * n_a])
        g[:, 2 * n_a :] += np.multiply(gates[:, n_a : 2 * n_a], rh, out=scratch)
        act.forward(g[:, 2 * n_a :], gates[:, 2 * n_a :])
    hh = gates[:, 2 * n_a :]
    if a_prev is None:
        np.multiply(gates[:, :n_a], hh, out=scratch)
        np.subtract(hh, scratch, out=a)                           # a⟨t⟩ = h̃ - z ∗ h̃
    else:
        np.subtract(a_prev, hh, out=scratch)
        np.multiply(scratch, gates[:, :n_a], out=scratch)
        np.add(hh, scratch, out=a)                                # a⟨t⟩ = h̃ + z ∗ (a⟨t-1⟩ - h̃)


class _GRUArrays:
    """One shape's forward: the kernel's weights, the tape's buffers, each step's views."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype, course: bool) -> None:
        self.WaT = np.empty((n_a, 3 * n_a), dtype)                # rotated h, z, r
        self.ba = np.empty(3 * n_a, dtype)
        self.G = np.empty((m, T_x, 3 * n_a), dtype)
        self.Z = self.G if course else np.empty_like(self.G)
        self.Z2 = rows(self.Z)
        self.R = np.empty((m, T_x, 3 * n_a), dtype)
        self.H = np.empty((m, T_x, n_a), dtype)
        self.scratch = np.empty((m, n_a), dtype)
        self.steps = [(self.Z[:, t], self.Z[:, t, : 2 * n_a], self.G[:, t], self.R[:, t], self.R[:, t, :n_a],
                       self.R[:, t, n_a:], self.H[:, t]) for t in range(T_x)]
        self.half = gate_affine(n_a, dtype, GRU_SIGMOID)[0] if course else None
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * 3 * n_a)

    def recurrent_weights(self, Wa, ba) -> None:
        """Waᵀ and ba rotated h, z, r; z and r halved for the course's σ."""
        n_a = Wa.shape[1]
        WaT, ba, scale = Wa.T, ba.reshape(-1), 1.0 if self.half is None else 0.5
        np.copyto(self.WaT[:, :n_a], WaT[:, 2 * n_a :])
        np.multiply(WaT[:, : 2 * n_a], scale, out=self.WaT[:, n_a:])
        np.copyto(self.ba[:n_a], ba[2 * n_a :])
        np.multiply(ba[: 2 * n_a], scale, out=self.ba[n_a:])

    def forward(self, X, a0, Wx, Wa, bx, ba, activations) -> GRUTape:
        self.recurrent_weights(Wa, ba)
        with self.blas:
            np.matmul(rows(X), Wx.T, out=self.Z2)                 # Wx·x⟨t⟩, every step at once
            np.add(self.Z2, bx.reshape(-1), out=self.Z2)
            if self.half is not None:
                np.multiply(self.Z2, self.half, out=self.Z2)  # z and r halved for the course's σ (exact)
            WaT, ba, scratch, a_prev = self.WaT, self.ba, self.scratch, a0
            for z, z_zr, g, r, rh, r_zr, a in self.steps:
                if a_prev is None:
                    np.copyto(r, ba)                              # [rh, r_z, r_r] with a⟨t-1⟩ = 0
                else:
                    np.matmul(a_prev, WaT, out=r)
                    np.add(r, ba, out=r)  # [rh, r_z, r_r]
                np.add(z_zr, r_zr, out=z_zr)
                gru_step(z, rh, a_prev, a, scratch, g, activations)
                a_prev = a
        return GRUTape(X, a0, self.H, self.G, self.R, None if self.half is not None else self.Z)


def gru_steps_forward(X: np.ndarray, a0: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray, bx: np.ndarray,
                      ba: np.ndarray, activations: tuple | None = None) -> GRUTape:
    """Every step of Keras's GRU; X (m, T_x, n_x), Wx (3n_a, n_x), Wa (3n_a, n_a), bx, ba (3n_a,) stacked z, r, h.

    a0 (m, n_a), or None for zeros (then the first step's recurrent part is ba alone).
    """
    m, T_x, n_x = X.shape
    n_a = Wa.shape[1]
    dtype = np.result_type(X, Wx, Wa, bx, ba) if a0 is None else np.result_type(X, a0, Wx, Wa, bx, ba)
    course = activations is None
    w = _GRUArrays(m, T_x, n_x, n_a, dtype, course)
    return w.forward(X, a0, Wx, Wa, bx, ba, activations)


class _GRUGrads:
    """One shape's backward: its buffers, each step's views."""

    def __init__(self, m: int, T_x: int, n_x: int, n_a: int, dtype) -> None:
        self.D = np.empty((m, T_x, 4 * n_a), dtype)               # [dRh, dz_z, dz_r, dz_h] of every step
        self.at_once = self.D.nbytes <= IN_CACHE                  # local derivatives of all steps at once
        self.da, self.da_t, self.s1, self.s2 = (np.empty((m, n_a), dtype) for _ in range(4))
        self.dH: list = []                                        # dH's contiguous copy, made when needed
        self.steps = [(self.D[:, t], self.D[:, t, : 3 * n_a], *(self.D[:, t, k * n_a : (k + 1) * n_a] for k in range(4)))
                      for t in range(T_x)]
        self.blas = one_blas_thread(m * T_x * (n_x + n_a) * 3 * n_a)

    def local_derivatives(self, G, R, A_prev, D) -> None:
        """Every factor of the step's gradients that the gradient flowing back does not change, for the steps these
        2-D views hold (all at once while the tape fits in the cache, else one at a time):

        D = [r, (a⟨t-1⟩ - h̃) ∗ z(1-z), rh ∗ r(1-r), (1-z)(1-h̃²)]: then dz_h = da ∗ D_h, dz_z = da ∗ D_z,
        dz_r = dz_h ∗ D_r and ∂J/∂rh = dz_h ∗ r.
        """
        n_a = A_prev.shape[-1]
        z, r, hh, rh = G[:, :n_a], G[:, n_a : 2 * n_a], G[:, 2 * n_a :], R[:, :n_a]
        d_r, d_z, d_rr, d_h = (D[:, k * n_a : (k + 1) * n_a] for k in range(4))
        np.multiply(hh, hh, out=d_r)
        np.subtract(1.0, d_r, out=d_r)                              # 1 - h̃² (d_r as scratch until the end)
        np.subtract(1.0, z, out=d_h)
        np.subtract(A_prev, hh, out=d_z)
        np.multiply(d_z, z, out=d_z)
        np.multiply(d_z, d_h, out=d_z)  # (a⟨t-1⟩ - h̃) ∗ z(1 - z)
        np.multiply(d_h, d_r, out=d_h)  # (1 - z)(1 - h̃²)
        np.subtract(1.0, r, out=d_rr)
        np.multiply(d_rr, r, out=d_rr)
        np.multiply(d_rr, rh, out=d_rr)  # rh ∗ r(1 - r)
        np.copyto(d_r, r)

    def backward(self, dH, da_last, X, A_prev, G, R, Z, Wx, Wa, activations, dX, need_da0):
        """dWx (3n_a, n_x), dWa (3n_a, n_a), dbx, dba (3n_a,), z, r, h; da0 stays in ``da``."""
        da, da_t, s1, last = self.da, self.da_t, self.s1, len(self.steps) - 1
        n_a = da.shape[-1]
        back = _roll(Wa, 2 * n_a)                                 # rows h, z, r
        dH = _rows_contiguous(dH, self.dH)
        with self.blas:
            course = activations is None
            if course and self.at_once:
                self.local_derivatives(rows(G), rows(R), A_prev.reshape(-1, n_a), rows(self.D))
            for t in range(last, -1, -1):
                d, d_rec, dRh, dz_z, dz_r, dz_h = self.steps[t]
                up = _upstream(t, last, dH, da_last, da, da_t)    # everything that reaches a⟨t⟩
                if course and not self.at_once:
                    self.local_derivatives(G[:, t], R[:, t], A_prev[:, t], d)
                if course:
                    np.multiply(dz_h, up, out=dz_h)  # dz_h = da ∗ (1 - z) ∗ (1 - h̃²)
                    np.multiply(dz_z, up, out=dz_z)  # dz_z = da ∗ (a⟨t-1⟩ - h̃) ∗ z(1 - z)
                    np.multiply(dz_r, dz_h, out=dz_r)  # dz_r = dz_h ∗ rh ∗ r(1 - r)
                    np.multiply(dRh, dz_h, out=dRh)  # ∂J/∂rh = dz_h ∗ r
                else:
                    _gru_step_back(up, d, G[:, t], R[:, t, :n_a], A_prev[:, t], Z[:, t], activations, s1, self.s2)
                if t or need_da0:
                    np.multiply(up, G[:, t, :n_a], out=s1)        # through z ∗ a⟨t-1⟩ (read before da is overwritten)
                    np.matmul(d_rec, back, out=da)                # to a⟨t-1⟩ through the recurrent products
                    np.add(da, s1, out=da)
            DI = rows(self.D[:, :, n_a:])                         # input side: z, r, h (a copy: not contiguous)
            dWx, dbx = DI.T @ rows(X), np.add.reduce(DI, axis=0)
            if dX is not None:
                np.matmul(DI, Wx, out=np.reshape(dX, (-1, Wx.shape[1]), copy=False))
            DR = rows(self.D[:, :, : 3 * n_a])                    # recurrent side: h, z, r
            return dWx, _roll(DR.T @ rows(A_prev), n_a), dbx, _roll(np.add.reduce(DR, axis=0), n_a)


def gru_steps_backward(dH: np.ndarray | None, da_last: np.ndarray | None, X: np.ndarray, A_prev: np.ndarray,
                       G: np.ndarray, R: np.ndarray, Z: np.ndarray | None, Wx: np.ndarray, Wa: np.ndarray,
                       activations: tuple | None = None, dX: np.ndarray | None = None,
                       need_da0: bool = True):
    """The exact gradient of J = Σ_t Σ a⟨t⟩ ∗ dH⟨t⟩ (+ Σ a⟨T_x⟩ ∗ da_last).

    X (m, T_x, n_x), A_prev (m, T_x, n_a) the a⟨t-1⟩ of every step, G and R from the forward pass.
    Writes dx into ``dX`` if given. Returns da0 (None unless ``need_da0``), dWx (3n_a, n_x),
    dWa (3n_a, n_a), dbx, dba (3n_a,), z, r, h.
    """
    m, T_x, _ = G.shape
    n_x, n_a = X.shape[2], Wa.shape[1]
    dtype = np.result_type(G, Wa, *(d for d in (dH, da_last) if d is not None))
    w = _GRUGrads(m, T_x, n_x, n_a, dtype)
    da_last = _zeros_if_none(da_last, dH, (m, n_a), dtype)
    grads = w.backward(dH, da_last, X, A_prev, G, R, Z, Wx, Wa.astype(dtype, copy=False), activations, dX, need_da0)
    return (w.da if need_da0 else None, *grads)


def _gru_step_back(up, d, g, rh, a_prev, pre, activations, s1, s2) -> None:
    """One step's [dRh, dz_z, dz_r, dz_h] through Keras's other activations."""
    act, gate_act = activations
    n_a = rh.shape[-1]
    z, r, hh = g[:, :n_a], g[:, n_a : 2 * n_a], g[:, 2 * n_a :]
    dRh, dz_z, dz_r, dz_h = (d[:, k * n_a : (k + 1) * n_a] for k in range(4))
    np.subtract(1.0, z, out=s1)
    np.multiply(up, s1, out=dz_h)                                 # ∂J/∂h̃ = da ∗ (1 - z)
    np.subtract(a_prev, hh, out=dz_z)
    np.multiply(dz_z, up, out=dz_z)  # ∂J/∂z = da ∗ (a⟨t-1⟩ - h̃)
    act.backward(hh, pre[:, 2 * n_a :], dz_h, dz_h, s2)
    gate_act.backward(z, pre[:, :n_a], dz_z, dz_z, s2)
    np.multiply(dz_h, rh, out=dz_r)
    gate_act.backward(r, pre[:, n_a : 2 * n_a], dz_r, dz_r, s2)
    np.multiply(dz_h, r, out=dRh)                                 # ∂J/∂rh = dz_h ∗ r


def layer_kernels(n_a: int, course: bool) -> LayerKernels:
    """One Keras GRU layer's float64 kernels, per input shape (m, T_x, n_x); ``course``: σ and tanh (else Keras's
    activation objects are passed at each call)."""
    return LayerKernels.of(_GRUArrays, _GRUGrads, n_a, course)
