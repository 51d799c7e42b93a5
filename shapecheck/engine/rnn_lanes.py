"""The course's basic RNN in two lanes of examples (lanes.py): each lane's pass through time, and the weights' parts.

Time first, as the course's single-process path (rnn_kernels, by_time): X (T_x, m, n_x) and the
states A (T_x + 1, m, n_a), A[0] = a⟨0⟩ and A[t] = a⟨t⟩, so that a lane's rows of a step are one
contiguous block and a⟨t-1⟩ of every step is the view A[:-1]. The step is rnn_kernels.rnn_step.
"""

from __future__ import annotations


import numpy as np

from shapecheck.engine import rnn_kernels as rk
from shapecheck.engine.blas_threads import one_blas_thread
from shapecheck.engine.lanes import Kept, carve, lanes, run, run_parts, shared, twin_rows, twin_share
from shapecheck.engine.twin import TWIN


def _split(m: int, T_x: int, n_x: int, n_a: int):
    return lanes(m, T_x * m * (n_x + n_a) * n_a)


def rnn_forward_lane(X, A, WxT, WaT, b, lo: int, hi: int, step: int = 0, on_step=None, channel=None) -> None:
    """The examples lo:hi of every step: z⟨t⟩ = x⟨t⟩·Wxᵀ + b (every step at once), then a⟨t⟩ = tanh(z⟨t⟩ + a⟨t-1⟩·Waᵀ);
    on_step() once the steps 0..step are done (lanes.run_parts)."""
    T_x = X.shape[0]
    states = A[:, lo:hi]                                          # (T_x + 1, n, n_a): a⟨0⟩, then z⟨t⟩ and a⟨t⟩ in place
    inner = np.empty(states.shape[1:], A.dtype)
    with one_blas_thread(X.shape[1] * T_x * (X.shape[2] + A.shape[2]) * A.shape[2]):
        np.matmul(X[:, lo:hi], WxT, out=states[1:])               # Wx·x⟨t⟩ of every step
        np.add(states[1:], b, out=states[1:])
        for t, (a_prev, z) in enumerate(zip(states, states[1:])):   # (views made in C: 4% of a lane, indexed)
            if t == step and on_step is not None:
                on_step()
            np.matmul(a_prev, WaT, out=inner)
            np.add(z, inner, out=z)                               # + Wa·a⟨t-1⟩
            rk.rnn_step(z, z)
    if step == T_x and on_step is not None:
        on_step()


def rnn_outputs_part(A, Wy, by, Y, most, states, step: int, part: int) -> None:
    """A share of the outputs: ŷ⟨t⟩ = softmax(Wy·a⟨t⟩ + by) of steps step..T_x (part 0) or 0..step (part 1, which both
    lanes pass first) into their columns of Y (n_y, T_x·m), time first; ``most`` (T_x·m,) for the columns' maxima
    and sums. Part 0 (made here, both lanes done) then copies a⟨1⟩..a⟨T_x⟩ into ``states`` (T_x, m, n_a), the
    caller's own, when given: meanwhile the twin makes the larger part 1 (OUTPUTS_SHARE)."""
    T_x, m, n_a = A.shape[0] - 1, A.shape[1], A.shape[2]
    cols = slice(step * m, T_x * m) if part == 0 else slice(0, step * m)
    steps = slice(1 + step, T_x + 1) if part == 0 else slice(1, 1 + step)
    z, top = Y[:, cols], most[cols]
    with one_blas_thread(Wy.size * T_x * m):
        np.matmul(Wy, A[steps].reshape(-1, n_a).T, out=z)
    np.add(z, by, out=z)
    np.max(z, axis=0, out=top)                                    # shifted by the max: exp never overflows
    np.subtract(z, top, out=z)
    np.exp(z, out=z)
    np.sum(z, axis=0, out=top)
    np.divide(z, top, out=z)
    if part == 0 and states is not None:
        np.copyto(states, A[1:])


def forward_share(lane_args: tuple, part_args: tuple, lo: int, hi: int, step: int, channel) -> None:
    """The twin's share of a forward with its outputs (lanes.twin_share): lane lo:hi, then ŷ of the steps 0..step."""
    twin_share(rnn_forward_lane, rnn_outputs_part, lane_args, part_args, lo, hi, step, channel)


OUTPUTS_SHARE = 0.7     # of the forward's outputs ŷ, the twin's share: this process also copies the states out
                        # meanwhile (0.12 ms at the bar's size: the time of 0.2 of ŷ there)


def steps_forward(X, a0, Wx, Wa, b, by_time: bool, Wy=None, by=None):
    """rnn_kernels.rnn_steps_forward with tanh, for the course: X (m, T_x, n_x) as the caller's (a view); time first
    when ``by_time`` (a copy of X); in two lanes at sizes worth it. Returns the tape, then, in two lanes when Wy and
    by are given and of the tape's dtype, else None: the outputs ŷ (n_y, T_x·m, time first; memory of its own, not
    the tape's), and a copy of the states a⟨1⟩..a⟨T_x⟩ (T_x, m, n_a), the caller's own memory."""
    m, T_x, n_x = X.shape
    n_a = Wa.shape[0]
    split = _split(m, T_x, n_x, n_a)
    if split is None:
        if by_time:                                               # one cheap copy of x, time first, so that
            X, caller = rk.time_first(X.shape, X.dtype), X        # every step's block is contiguous
            np.copyto(X, caller)
        tape = rk.rnn_steps_forward(X, a0, Wx, Wa, b, by_time=by_time)
        return tape._replace(a0=None if a0 is None else a0.copy()), None, None   # the a⟨0⟩ it ran from, not the caller's
    dtype = np.result_type(X, a0, Wx, Wa, b)
    outputs = Wy is not None and np.result_type(dtype, Wy, by) == dtype
    took = TWIN.take()
    try:
        shapes = [(T_x, m, n_x), (T_x + 1, m, n_a), (n_x, n_a), (n_a, n_a), (n_a,)]
        (Xt, A, WxT, WaT, bb), use = carve(shapes, dtype, took)
        if outputs:                                               # ŷ apart from the tape, which the caches keep:
            n_y = Wy.shape[0]                                     # it is handed over as a copy, its memory then free
            (Wyy, byy, Y, most), apart = carve([(n_y, n_a), (n_y, 1), (n_y, T_x * m), (T_x * m,)], dtype, use)
            use = use and apart
            np.copyto(Wyy, Wy)
            np.copyto(byy, by)
        np.copyto(A[0], a0)
        np.copyto(WxT, Wx.T)
        np.copyto(WaT, Wa.T)
        np.copyto(bb, b)
        inflow = (Xt, X.transpose(1, 0, 2))
        lane = (Xt, A, WxT, WaT, bb)
        if outputs:
            step = min(T_x - 1, round(OUTPUTS_SHARE * T_x))
            states = np.empty((T_x, m, n_a), dtype)
            there = (A, Wyy, byy, Y, most, None, step)
            run_parts("rnn_forward", rnn_forward_lane, rnn_outputs_part, lane, there, split, step, use, inflow,
                      here=(*there[:5], states, step))
        else:
            run("rnn_forward_lane", rnn_forward_lane, lane, split, use, inflow)
    finally:
        if took:
            TWIN.release()
    tape = rk.RNNTape(Xt.transpose(1, 0, 2), A[0], A[1:].transpose(1, 0, 2), None)   # a⟨0⟩ right before a⟨1⟩..
    return tape, (Y if outputs else None), (states if outputs else None)


def _states_before(a0, H):
    """a⟨0⟩ .. a⟨T_x - 1⟩ as ONE time-first view (T_x, m, n_a), when a0 and H are a lanes tape's (A[0] and A[1:],
    one after the other in a shared block), else None."""
    Ht = H.transpose(1, 0, 2)
    if a0 is None or a0.base is None or a0.base is not Ht.base or not (a0.flags.c_contiguous and Ht.flags.c_contiguous):
        return None
    start = a0.__array_interface__["data"][0]
    if Ht.__array_interface__["data"][0] != start + a0.nbytes:
        return None
    return np.ndarray(Ht.shape, Ht.dtype, buffer=a0.base, offset=start - a0.base.__array_interface__["data"][0])


class _Grads:
    """One shape's backward buffers (this thread's, per shape), in a shared block when the twin may run a lane:
    time first, dH, a⟨t-1⟩ of every step, X when the tape's is not shared, dZ, and the outputs."""

    def __init__(self, m, T_x, n_x, n_a, dtype, want_shared: bool) -> None:
        shapes = [(T_x, m, n_a), (T_x, m, n_a), (T_x, m, n_x), (T_x, m, n_a), (n_a, n_a), (n_a, n_x),
                  (2, n_a, n_x + n_a + 1), (n_a, n_x + n_a + 1), (T_x * m, n_x), (m, n_a)]
        arrays, self.shared = carve(shapes, dtype, want_shared)
        self.dH, self.A_prev, self.X, self.dZ, self.Wa, self.Wx, self.parts, self.dW, self.dX2, self.da0 = arrays


_kept = Kept(_Grads)


def rnn_backward_lane(dH, H, dZ, Wa, da0, lo: int, hi: int, step: int = 0, on_step=None, channel=None) -> None:
    """The examples lo:hi through time backward: dz⟨t⟩ = da⟨t⟩ ∗ (1 - a⟨t⟩²) of every step into dZ, da⟨0⟩ into da0;
    on_step() once the steps step..T_x are done (lanes.run_parts)."""
    T_x = H.shape[0]
    da, slope = np.empty((2, hi - lo, H.shape[2]), dZ.dtype)
    backward = zip(range(T_x - 1, -1, -1), dZ[::-1, lo:hi], H[::-1, lo:hi], dH[::-1, lo:hi])   # (views made in C)
    with one_blas_thread(H.shape[1] * T_x * 2 * H.shape[2] ** 2):
        for t, dz, h, dh in backward:
            np.multiply(h, h, out=slope)                          # tanh'(z⟨t⟩) = 1 - a⟨t⟩², a step at a time, in
            np.subtract(1.0, slope, out=slope)                    # cache (every step at once: 9% slower a lane)
            if t == T_x - 1:
                np.multiply(slope, dh, out=dz)
            else:
                np.add(dh, da, out=da)                            # everything that reaches a⟨t⟩
                np.multiply(slope, da, out=dz)                    # dz⟨t⟩ = da⟨t⟩ ∗ (1 - a⟨t⟩²)
            np.matmul(dz, Wa, out=da)                             # to a⟨t-1⟩
            if t == step and on_step is not None:
                on_step()
    np.copyto(da0[lo:hi], da)


def rnn_weights_part(X, A_prev, dZ, Wx, parts, dX2, step: int, part: int) -> None:
    """Half of the weights' products: over the rows (steps × examples, time first) of steps 0..step (part 0) or
    step..T_x (part 1), the shares of dWx = Σ dz⟨t⟩ᵀ·x⟨t⟩, dWa = Σ dz⟨t⟩ᵀ·a⟨t-1⟩ and db = Σ dz⟨t⟩ into
    parts[part] = [dWx | dWa | db], and dx⟨t⟩ = dz⟨t⟩·Wx of those rows (dX2 None: no dx)."""
    T_x, m, n_a = dZ.shape
    n_x = X.shape[2]
    rows = slice(0, step * m) if part == 0 else slice(step * m, T_x * m)
    dZ2 = dZ.reshape(T_x * m, n_a)[rows]
    out = parts[part]
    with one_blas_thread(T_x * m * (n_x + n_a) * n_a):
        np.matmul(dZ2.T, X.reshape(T_x * m, n_x)[rows], out=out[:, :n_x])
        np.matmul(dZ2.T, A_prev.reshape(T_x * m, n_a)[rows], out=out[:, n_x:-1])
        np.matmul(np.ones(dZ2.shape[0], dZ2.dtype), dZ2, out=out[:, -1])   # (one product: 12 µs against 71 for the sum)
        if dX2 is not None:
            np.matmul(dZ2, Wx, out=dX2[rows])


def backward_share(lane_args: tuple, part_args: tuple, lo: int, hi: int, step: int, channel) -> None:
    """The twin's share of a backward (lanes.twin_share): lane lo:hi, then part 1 of the weights."""
    twin_share(rnn_backward_lane, rnn_weights_part, lane_args, part_args, lo, hi, step, channel)


def steps_backward(dH, X, a0, A_prev, H, Wx, Wa, dX=None, by_time: bool = False):
    """rnn_kernels.rnn_steps_backward with tanh and dH given (no da_last), for the course: dH, X, H (m, T_x, ·) as
    the callers'; a⟨t-1⟩ of every step is A_prev, or made from a0 and H when A_prev is None. In two lanes at sizes
    worth it. Returns da0 (m, n_a), dWx, dWa, db; writes dx into dX (m, T_x, n_x)."""
    m, T_x, n_a = H.shape
    n_x = X.shape[2]
    split = _split(m, T_x, n_x, n_a)
    if split is None:
        if A_prev is None:
            A_prev = rk.states_before(a0, H)
        return rk.rnn_steps_backward(dH, None, X, A_prev, H, None, Wx, Wa, dX=dX, by_time=by_time)
    dtype = np.result_type(H, Wa, dH)
    took = TWIN.take()
    try:
        w = _kept((m, T_x, n_x, n_a), dtype, took)

        states = _states_before(a0, H) if A_prev is None else None
        if states is None:                                        # (not a lanes tape: a copy)
            states = w.A_prev
            if A_prev is None:
                rk.states_before(a0, H, out=states.transpose(1, 0, 2))
            else:
                np.copyto(states, A_prev.transpose(1, 0, 2))
        Ht = H.transpose(1, 0, 2)
        Xt = X.transpose(1, 0, 2)
        if not (Xt.flags.c_contiguous and shared(Xt)):
            np.copyto(w.X, Xt)
            Xt = w.X
        if not (Ht.flags.c_contiguous and shared(Ht)):
            Ht = np.ascontiguousarray(Ht)                         # (a student's caches: both lanes here)
        np.copyto(w.Wa, Wa)
        np.copyto(w.Wx, Wx)
        dX2 = None if dX is None else w.dX2
        direct = dX is not None and dX.transpose(1, 0, 2).flags.c_contiguous   # dx time first: written where it lands
        use = took and w.shared and shared(Ht, Xt, states)
        lane = (w.dH, Ht, w.dZ, w.Wa, w.da0)
        part = (Xt, states, w.dZ, w.Wx, w.parts, dX2, T_x // 2)
        here = (*part[:5], dX.transpose(1, 0, 2).reshape(T_x * m, n_x), T_x // 2) if direct else None
        twin_made = run_parts("rnn_backward", rnn_backward_lane, rnn_weights_part, lane, part, split, T_x // 2, use,
                              inflow=(w.dH, dH.transpose(1, 0, 2)), parts=(w.parts, w.dW), here=here)
    finally:
        if took:
            TWIN.release()
    if direct:
        twin_rows(here[5], w.dX2, (T_x // 2) * m, twin_made)
    elif dX is not None:
        np.copyto(dX, w.dX2.reshape(T_x, m, n_x).transpose(1, 0, 2))
    return w.da0.copy(), w.dW[:, :n_x].copy(), w.dW[:, n_x:-1].copy(), w.dW[:, -1].copy()
