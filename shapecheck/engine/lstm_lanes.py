"""The course's LSTM in two lanes of examples (lanes.py): each lane's pass through time, and the weights' parts.

The lanes run the LSTM's own step (lstm_kernels._lstm_step) and its local derivatives
(lstm_kernels._LSTMGrads.local_derivatives) on the lane's rows of each step: a step's rows of
one lane are one contiguous block of the time-first tape, (T_x, m, ·)[t, lane]. The backward's
weight products then split in two parts by steps (lanes.run_parts), one per process.
"""

from __future__ import annotations

import threading

import numpy as np

from shapecheck.engine import lstm_kernels as lk
from shapecheck.engine.activations import gate_affine
from shapecheck.engine.blas_threads import one_blas_thread
from shapecheck.engine.lanes import Kept, carve, lanes, run, run_parts, shared, twin_rows, twin_share
from shapecheck.engine.twin import TWIN


def lstm_forward_lane(R, G, C, tanh_c, W, lo: int, hi: int, channel=None) -> None:
    """The examples lo:hi of every step: z⟨t⟩ = R⟨t⟩·W, then the step, a⟨t⟩ written into R⟨t+1⟩."""
    T_x, _, n_a = tanh_c.shape
    n_x = R.shape[-1] - n_a - 1
    rows = slice(lo, hi)
    scratch = np.empty((hi - lo, n_a), G.dtype)
    affine = tuple(np.broadcast_to(v, (hi - lo, 4 * n_a)).copy() for v in gate_affine(n_a, G.dtype, lk.LSTM_SIGMOID))
    with one_blas_thread(R.shape[1] * R.shape[2] * 4 * n_a * T_x):
        for t in range(T_x):
            z = G[t, rows]
            np.matmul(R[t, rows], W, out=z)                       # z⟨t⟩ = Wx·x⟨t⟩ + Wa·a⟨t-1⟩ + b
            blocks = tuple(z[:, g * n_a : (g + 1) * n_a] for g in range(4))
            lk._lstm_step(z, C[t, rows], C[t + 1, rows], tanh_c[t, rows], R[t + 1, rows, n_x:-1], scratch, blocks,
                          None, affine)


def lstm_forward(X, a0, c0, Wx, Wa, b, split: tuple[slice, slice]) -> lk.LSTMTape:
    """The course's LSTM forward in two lanes (lstm_kernels.lstm_steps_forward's arguments, activations the course's)."""
    T_x, m, n_x = X.shape
    n_a = Wa.shape[1]
    k = n_x + n_a + 1
    dtype = np.result_type(X, Wx, Wa, b, *(s for s in (a0, c0) if s is not None))
    took = TWIN.take()
    try:
        shapes = [(T_x + 1, m, k), (T_x, m, 4 * n_a), (T_x + 1, m, n_a), (T_x, m, n_a), (k, 4 * n_a)]
        (R, G, C, tanh_c, W), use = carve(shapes, dtype, took)
        R[-1, :, :n_x] = 0                                        # no x⟨T_x + 1⟩: only a⟨T_x⟩ is kept there
        R[..., -1] = 1                                            # the bias's column
        R[0, :, n_x:-1] = 0 if a0 is None else a0
        C[0] = 0 if c0 is None else c0
        lk.lstm_weights(Wx, Wa, b, out=W)
        np.multiply(W, gate_affine(n_a, dtype, lk.LSTM_SIGMOID)[0], out=W)   # σ's z/2 (gates_forward)
        run("lstm_forward_lane", lstm_forward_lane, (R, G, C, tanh_c, W), split, use, inflow=(R[:-1, :, :n_x], X))
    finally:
        if took:
            TWIN.release()
    return lk.LSTMTape(R, C, tanh_c, G, None)


class _Grads:
    """One shape's backward buffers (this thread's, per shape), in a shared block when the twin may run a lane."""

    def __init__(self, m, T_x, n_x, n_a, dtype, want_shared: bool) -> None:
        k = n_x + n_a + 1
        shapes = [(T_x, m, 4 * n_a), (T_x, m, n_a), (T_x, m, n_a), (4 * n_a, n_a), (k, 4 * n_a), (2, k, 4 * n_a),
                  (T_x * m, n_x), (m, n_a), (m, n_a), (k, 4 * n_a)]
        arrays, self.shared = carve(shapes, dtype, want_shared)
        self.dZ, self.K, self.dH, self.Wa, self.W, self.parts, self.dX2, self.da0, self.dc0, self.dWT = arrays


_kept = Kept(_Grads)


_SCRATCH = threading.local()


def _lane_scratch(rows: int, run: int, n_a: int, dtype) -> tuple:
    """A lane's own work arrays (per process and thread, per shape): S, TB (1 on c̃'s columns), mult, dc_t, da, dc."""
    kept = getattr(_SCRATCH, "by_shape", None)
    if kept is None:
        kept = _SCRATCH.by_shape = {}
    key = (rows, run, n_a, np.dtype(dtype))
    if key not in kept:
        S = np.empty((run, rows, 4 * n_a), dtype)
        TB = np.empty_like(S)
        TB[:] = np.repeat(np.array([0.0, 0.0, 1.0, 0.0], dtype), n_a)
        kept.clear() if len(kept) > 8 else None
        kept[key] = (S, TB, np.empty((rows, 4 * n_a), dtype), *(np.empty((rows, n_a), dtype) for _ in range(3)))
    return kept[key]


def lstm_backward_lane(dH, R, C_prev, tanh_c, G, dZ, K, Wa, da0, dc0, need_da0: bool, lo: int, hi: int,
                       step: int = 0, on_step=None, channel=None) -> None:
    """The examples lo:hi through time backward: dz⟨t⟩ of every step into dZ, da⟨0⟩, dc⟨0⟩ into da0, dc0;
    on_step() once the steps step..T_x are done (lanes.run_parts)."""
    T_x, _, n_a = tanh_c.shape
    rows, n = slice(lo, hi), hi - lo
    run = max(1, min(T_x, lk.IN_CACHE // max(1, n * 4 * n_a * G.itemsize)))
    S, TB, mult, dc_t, da, dc = _lane_scratch(n, run, n_a, G.dtype)
    mult_ifc, mult_o, dc_t3 = mult[:, : 3 * n_a].reshape(n, 3, n_a), mult[:, 3 * n_a :], dc_t[:, None, :]
    G4, D4 = G[:, rows].reshape(T_x, n, 4, n_a), dZ[:, rows].reshape(T_x, n, 4, n_a)
    last = T_x - 1
    with one_blas_thread(G.shape[1] * R.shape[2] * 4 * n_a * T_x):
        for t in range(last, -1, -1):
            if (last - t) % run == 0:                             # a run of steps ends here: its local derivatives
                start = max(0, t + 1 - run)
                steps, r = slice(start, t + 1), t + 1 - start
                g4, d4 = G4[steps], D4[steps]
                lk._LSTMGrads.local_derivatives(None, G[steps, rows], TB[:r], S[:r], dZ[steps, rows], d4[:, :, ::2],
                                                g4[:, :, 2::-2], d4[:, :, 1], C_prev[steps, rows], d4[:, :, 3],
                                                tanh_c[steps, rows], K[steps, rows], g4[:, :, 3])
            if t == last:                                         # everything that reaches a⟨t⟩: da⟨t⟩, in mult
                np.copyto(mult_o, dH[t, rows])
            else:
                np.add(dH[t, rows], da, out=mult_o)
            np.multiply(mult_o, K[t, rows], out=dc_t)
            if t < last:
                np.add(dc_t, dc, out=dc_t)                        # dc⟨t⟩ = dc_next + da⟨t⟩ ∗ Γo ∗ (1 - tanh²c⟨t⟩)
            np.copyto(mult_ifc, dc_t3)
            dz = dZ[t, rows]
            np.multiply(dz, mult, out=dz)                         # dz_i, dz_f, dz_c = dc⟨t⟩ ∗ their factors, dz_o
            if t or need_da0:
                np.matmul(dz, Wa, out=da)                         # to a⟨t-1⟩, through all four gates
                np.multiply(dc_t, G[t, rows, n_a : 2 * n_a], out=dc)   # to c⟨t-1⟩, through Γf
            if t == step and on_step is not None:
                on_step()
    if need_da0:
        np.copyto(da0[rows], da)
        np.copyto(dc0[rows], dc)


def lstm_weights_part(R, dZ, parts, Wx, dX2, step: int, part: int) -> None:
    """Half of the weights' products: over the rows (steps × examples, time first) of steps 0..step (part 0) or
    step..T_x (part 1), dWᵀ's share Σ R⟨t⟩ᵀ·dz⟨t⟩ into parts[part], and dx⟨t⟩ = dz⟨t⟩·Wx of those rows (dX2 None:
    no dx). Halves of the rows, not of dW's columns: each product keeps dW's full width (1.5 against 2.0 ms at the
    bar's size)."""
    T_x, m, n4 = dZ.shape
    dZ2 = dZ.reshape(T_x * m, n4)
    rows = slice(0, step * m) if part == 0 else slice(step * m, T_x * m)
    with one_blas_thread(R.shape[2] * T_x * m * n4):
        np.matmul(R[:T_x].reshape(T_x * m, -1)[rows].T, dZ2[rows], out=parts[part])
        if dX2 is not None:
            np.matmul(dZ2[rows], Wx, out=dX2[rows])


def backward_share(lane_args: tuple, part_args: tuple, lo: int, hi: int, step: int, channel) -> None:
    """The twin's share of a backward (lanes.twin_share): lane lo:hi, then part 1 of the weights."""
    twin_share(lstm_backward_lane, lstm_weights_part, lane_args, part_args, lo, hi, step, channel)


def lstm_backward(dH, R, C_prev, tanh_c, G, W, dX, need_da0: bool, split: tuple[slice, slice]):
    """The course's LSTM backward in two lanes: dH (T_x, m, n_a), the tape's R, C_prev (T_x, m, n_a), tanh_c, G;
    W = [Wxᵀ; Waᵀ; b]. Returns da0, dc0 (None unless ``need_da0``), dWᵀ (a copy), and writes dx into dX."""
    T_x, m, n_a = tanh_c.shape
    n_x = R.shape[-1] - n_a - 1
    dtype = np.result_type(G, W, dH)
    took = TWIN.take()
    try:
        w = _kept((m, T_x, n_x, n_a), dtype, took)
        np.copyto(w.Wa, W[n_x:-1].T)
        np.copyto(w.W, W)
        Wx = w.W[:n_x].T
        dX2 = None if dX is None else w.dX2
        direct = dX is not None and dX.flags.c_contiguous         # (the course's: time first) written where it lands
        use = took and w.shared and shared(R, C_prev, tanh_c, G)
        lane = (w.dH, R, C_prev, tanh_c, G, w.dZ, w.K, w.Wa, w.da0, w.dc0, need_da0)
        part = (R, w.dZ, w.parts, Wx, dX2, T_x // 2)
        here = (*part[:4], dX.reshape(T_x * m, n_x), T_x // 2) if direct else None
        twin_made = run_parts("lstm_backward", lstm_backward_lane, lstm_weights_part, lane, part, split, T_x // 2, use,
                              inflow=(w.dH, dH), parts=(w.parts, w.dWT), here=here)
    finally:
        if took:
            TWIN.release()
    if direct:
        twin_rows(here[4], w.dX2, (T_x // 2) * m, twin_made)
    elif dX is not None:
        np.copyto(dX, w.dX2.reshape(dX.shape))
    da0, dc0 = (w.da0.copy(), w.dc0.copy()) if need_da0 else (None, None)
    return da0, dc0, w.dWT.copy()


def _split(m: int, T_x: int, n_x: int, n_a: int):
    return lanes(m, T_x * m * (n_x + n_a + 1) * 4 * n_a)


def steps_forward(X, a0, c0, Wx, Wa, b) -> lk.LSTMTape:
    """lstm_kernels.lstm_steps_forward with the course's activations, in two lanes at sizes worth it."""
    T_x, m, n_x = X.shape
    split = _split(m, T_x, n_x, Wa.shape[1])
    if split is None:
        return lk.lstm_steps_forward(X, a0, c0, Wx, Wa, b)
    return lstm_forward(X, a0, c0, Wx, Wa, b, split)


def steps_backward(dH, R, C_prev, C, tanh_c, G, Wx, Wa, dX=None, need_da0: bool = True):
    """lstm_kernels.lstm_steps_backward with the course's activations and dH given (no da_last, dc_last), in two
    lanes at sizes worth it. Returns da0, dc0, dWx, dWa, db."""
    T_x, m, n_a = tanh_c.shape
    n_x = R.shape[-1] - n_a - 1
    split = _split(m, T_x, n_x, n_a)
    if split is None:
        return lk.lstm_steps_backward(dH, None, None, R, C_prev, C, tanh_c, G, None, Wx, Wa, dX=dX, need_da0=need_da0)
    W = lk.lstm_weights(Wx, Wa, np.zeros(Wa.shape[0], np.result_type(Wx, Wa)))
    da0, dc0, dWT = lstm_backward(dH, R, C_prev, tanh_c, G, W, dX, need_da0, split)
    return da0, dc0, dWT[:n_x].T, dWT[n_x:-1].T, dWT[-1]
