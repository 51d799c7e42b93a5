"""The course's recurrent networks, Ng convention: x is (n_x, m, T_x), a and c are (n_a, m, T_x).

Same names, signatures, return tuples, caches and gradient keys as the course's "Building a
Recurrent Neural Network: Step by Step", so a student can mix these functions with their own.
Each checks its inputs' shapes against the tracer's rules before any math runs (rnn_shapes),
then hands the arithmetic to the kernels, which run all T_x steps in a few buffers: rnn_kernels laid
out examples first, (m, T_x, rows), lstm_kernels time first, (T_x, m, rows); the course's arrays are
passed as transposed views (see each module). The caches are the course's tuples, made of views of
those buffers (rnn_caches).

The arrays in the caches are read-only views of those buffers, so that the caches keep what the
forward pass computed; the arrays returned beside them (a, y, c, a_next, c_next) are the caller's
own writable copies, with the course's shapes (a and c keep the buffers' memory order: a copy,
not a transpose).
"""

from __future__ import annotations

from itertools import chain, repeat

import numpy as np

from shapecheck.engine import lstm_lanes, rnn_lanes
from shapecheck.engine.blas_threads import BESIDE, one_blas_thread
from shapecheck.engine.rnn_caches import (
    LSTM_CACHE, LSTM_USED, RNN_CACHE, RNN_USED, StepCaches, check_cache, read_only, stack_caches, tape_of,
)
from shapecheck.engine.lstm_kernels import LSTM_ORDER, LSTMTape, lstm_inputs, lstm_steps_backward, lstm_steps_forward
from shapecheck.engine.rnn_kernels import (
    RNNTape, rnn_steps_backward, rnn_steps_forward, softmax, time_rows,
)
from shapecheck.validate.rnn_shapes import LSTM_STEP, RNN_STEP, Shapes

__all__ = [
    "rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward",
    "lstm_cell_forward", "lstm_forward", "lstm_cell_backward", "lstm_backward",
]


def _outputs(Wy: np.ndarray, by: np.ndarray, H: np.ndarray) -> np.ndarray:
    """ŷ⟨t⟩ = softmax(Wy·a⟨t⟩ + by) for every step at once; H is (m, T_x, n_a) over a time-first buffer, ŷ the
    course's (n_y, m, T_x)."""
    m, T_x = H.shape[:2]
    with one_blas_thread(Wy.size * m * T_x):                      # as the kernels' products (blas_threads)
        y = softmax(Wy @ time_rows(H).T + by)                     # (n_y, T_x·m)
    return y.reshape(Wy.shape[0], T_x, m).transpose(0, 2, 1)


def _course_outputs(Y: np.ndarray, T_x: int) -> np.ndarray:
    """The caller's own ŷ (n_y, m, T_x) from the lanes' time-first (n_y, T_x·m), its memory order kept (a copy in one
    pass: in the course's order, a transposing copy took twice as long)."""
    return Y.reshape(Y.shape[0], T_x, -1).transpose(0, 2, 1).copy(order="K")


def _by_time(X: np.ndarray) -> bool:
    """Whether the course's RNN works time first on (m, T_x, ·) X: with one example or one step both orders are one."""
    return X.shape[0] > 1 and X.shape[1] > 1


def _course(H: np.ndarray) -> np.ndarray:
    """The caller's own copy of a (m, T_x, rows) buffer, in the course's shape (rows, m, T_x)."""
    return H.transpose(2, 0, 1).copy(order="K")


def _outputs_by_time(Wy: np.ndarray, by: np.ndarray, tape: LSTMTape) -> np.ndarray:
    """ŷ⟨t⟩ = softmax(Wy·a⟨t⟩ + by) for every step at once, from a time-first tape; ŷ the course's (n_y, m, T_x)."""
    T_x, m, n_a = tape.H.shape
    H2 = tape.R[1:].reshape(T_x * m, -1)[:, -1 - n_a : -1]       # a view: the steps follow each other in R
    with one_blas_thread(Wy.size * T_x * m):
        y = softmax(Wy @ H2.T + by)                               # (n_y, T_x·m)
    return y.reshape(Wy.shape[0], T_x, m).transpose(0, 2, 1)


def _course_by_time(H: np.ndarray) -> np.ndarray:
    """The caller's own copy of a time-first (T_x, m, rows) buffer, in the course's shape (rows, m, T_x), memory order kept."""
    return H.transpose(2, 1, 0).copy(order="K")


OUTPUTS_APART = 2**17   # elements of a: from this size, lstm_forward copies a and c out on an idle core (0.3 ms at the
                        # bar's size) while it computes ŷ and the caches


def _course_copies(H: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _course_by_time(H), _course_by_time(C)


def _step(x: np.ndarray) -> np.ndarray:
    """One step's (rows, m) as a time-first sequence of one step, (1, m, rows): a view."""
    return x.T[None]


def _stack(x: np.ndarray) -> np.ndarray:
    """One step's (rows, m) as a sequence of one step, (m, 1, rows): a view."""
    return x.T[:, None, :]


def _n_x_hint(parameters: object, key: str, minus_rows: bool) -> int | None:
    """n_x as the parameters see it, to suggest how to reshape a 2-D x; None if they cannot say."""
    W = parameters.get(key) if isinstance(parameters, dict) else None
    if getattr(W, "ndim", 0) != 2:
        return None
    return W.shape[1] - (W.shape[0] if minus_rows else 0)


def _stack_gates(Wf, bf, Wi, bi, Wc, bc, Wo, bo) -> tuple[np.ndarray, np.ndarray]:
    """The four gates as one (4n_a, n_a + n_x) matrix and one (4n_a,) bias, in the kernel's order (LSTM_ORDER: Keras's i, f, c, o)."""
    gates = {"f": (Wf, bf), "i": (Wi, bi), "c": (Wc, bc), "o": (Wo, bo)}
    return (np.concatenate([gates[g][0] for g in LSTM_ORDER]),
            np.concatenate([gates[g][1] for g in LSTM_ORDER]).reshape(-1))


def _unstack_gates(dW: np.ndarray, db: np.ndarray) -> dict[str, np.ndarray]:
    """dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo: the course's keys and order."""
    n_a = dW.shape[0] // 4
    block = {g: slice(k * n_a, (k + 1) * n_a) for k, g in enumerate(LSTM_ORDER)}
    grads = {}
    for g in ("f", "i", "c", "o"):
        grads[f"dW{g}"] = dW[block[g]]                            # (n_a, n_a + n_x)
        grads[f"db{g}"] = db[block[g], None]                      # (n_a, 1)
    return grads


def _gate_blocks(G: np.ndarray) -> dict[str, np.ndarray]:
    """{"o": Γo, "f": Γf, "i": Γi, "c": c̃}: views of the kernel's stacked gates G (..., 4n_a)."""
    n_a = G.shape[-1] // 4
    return {g: G[..., k * n_a : (k + 1) * n_a] for k, g in enumerate(LSTM_ORDER)}


def _lstm_gates(s: dict[str, np.ndarray]) -> np.ndarray:
    """(m, T_x, 4n_a) in the kernel's order, from a cache's ft, it, cct, ot (each (m, T_x, n_a))."""
    names = {"o": "ot", "f": "ft", "i": "it", "c": "cct"}
    return np.concatenate([s[names[g]] for g in LSTM_ORDER], axis=2)


def _lstm_grads(da0, dWx, dWa, db, dx_key: str, dx) -> dict:
    return {dx_key: dx, "da0": da0.T, **_unstack_gates(np.concatenate([dWa, dWx], axis=1), db)}


# --- basic RNN --------------------------------------------------------------------------------


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the basic RNN cell.

    a⟨t⟩ = tanh(Waa·a⟨t-1⟩ + Wax·x⟨t⟩ + ba),  ŷ⟨t⟩ = softmax(Wya·a⟨t⟩ + by)
    Returns (a_next, yt_pred, cache) with cache = (a_next, a_prev, xt, parameters).

    >>> rng = np.random.default_rng(1)
    >>> p = {"Wax": rng.standard_normal((5, 3)), "Waa": rng.standard_normal((5, 5)),
    ...      "Wya": rng.standard_normal((2, 5)), "ba": np.zeros((5, 1)), "by": np.zeros((2, 1))}
    >>> a_next, yt_pred, cache = rnn_cell_forward(rng.standard_normal((3, 10)), np.zeros((5, 10)), p)
    >>> a_next.shape, yt_pred.shape, bool(np.allclose(yt_pred.sum(axis=0), 1))
    ((5, 10), (2, 10), True)
    """
    shapes = Shapes("rnn_cell_forward")
    xt = shapes.step_input("xt", xt, "rnn_forward")
    a_prev = shapes.state("a_prev", a_prev, "rnn.rule_a_prev")
    Wax, Waa, ba, Wya, by = shapes.parameters(parameters, RNN_STEP + ("Wya", "by"))
    tape = rnn_steps_forward(_stack(xt), a_prev.T, Wax, Waa, ba.reshape(-1))
    read_only(tape.H)
    a_next = tape.H[:, 0].T                                       # (n_a, m)
    yt_pred = softmax(Wya @ a_next + by)                          # (n_y, m)
    return a_next.copy(), yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    """The basic RNN over all T_x steps: rnn_cell_forward for t = 1..T_x, a⟨0⟩ = a0.

    Returns (a, y_pred, caches): a (n_a, m, T_x), y_pred (n_y, m, T_x), caches = (list of the
    T_x step caches, x).

    >>> rng = np.random.default_rng(1)
    >>> p = {"Wax": rng.standard_normal((5, 3)), "Waa": rng.standard_normal((5, 5)),
    ...      "Wya": rng.standard_normal((2, 5)), "ba": np.zeros((5, 1)), "by": np.zeros((2, 1))}
    >>> a, y_pred, caches = rnn_forward(rng.standard_normal((3, 10, 4)), np.zeros((5, 10)), p)
    >>> a.shape, y_pred.shape, len(caches[0])
    ((5, 10, 4), (2, 10, 4), 4)
    """
    shapes = Shapes("rnn_forward")
    x = shapes.sequence(x, _n_x_hint(parameters, "Wax", minus_rows=False), "rnn_cell_forward")
    a0 = shapes.state("a0", a0, "rules.rnn_a0")
    Wax, Waa, ba, Wya, by = shapes.parameters(parameters, RNN_STEP + ("Wya", "by"), x)
    X = x.transpose(1, 2, 0)                                      # (m, T_x, n_x), a view
    tape, Y, states = rnn_lanes.steps_forward(X, a0.T, Wax, Waa, ba.reshape(-1), by_time=_by_time(X), Wy=Wya, by=by)
    read_only(tape.H)                                             # before any view of it is made
    H = tape.H                                                    # (m, T_x, n_a): a⟨1⟩ .. a⟨T_x⟩, time first in memory
    y = _outputs(Wya, by, H).copy() if Y is None else _course_outputs(Y, H.shape[1])
    a_next = H.transpose(1, 2, 0)                                 # (T_x, n_a, m): a_next of step t is a_next[t]
    steps = list(zip(a_next, chain((a0,), a_next[:-1]), x.transpose(2, 0, 1), repeat(parameters)))   # (made in C)
    a = _course(H) if states is None else states.transpose(2, 1, 0)   # (the lanes copied it out: the same memory order)
    return a, y, (StepCaches(steps, tape), x)


def rnn_cell_backward(da_next, cache):
    """The gradients of one RNN step, of J = Σ a_next ∗ da_next.

    dz = da_next ∗ (1 - a_next²);  dxt = Waxᵀ·dz,  da_prev = Waaᵀ·dz,  dWax = dz·xtᵀ,
    dWaa = dz·a_prevᵀ,  dba = Σ dz over examples (keepdims).
    Returns {"dxt", "da_prev", "dWax", "dWaa", "dba"}.

    >>> rng = np.random.default_rng(1)
    >>> p = {"Wax": rng.standard_normal((5, 3)), "Waa": rng.standard_normal((5, 5)),
    ...      "Wya": rng.standard_normal((2, 5)), "ba": np.zeros((5, 1)), "by": np.zeros((2, 1))}
    >>> a_next, _, cache = rnn_cell_forward(rng.standard_normal((3, 10)), np.zeros((5, 10)), p)
    >>> {k: v.shape for k, v in rnn_cell_backward(np.ones((5, 10)), cache).items()}
    {'dxt': (3, 10), 'da_prev': (5, 10), 'dWax': (5, 3), 'dWaa': (5, 5), 'dba': (5, 1)}
    """
    shapes = Shapes("rnn_cell_backward")
    cache = shapes.step_cache("cache", cache, "rnn_cell_forward", RNN_CACHE)
    step = check_cache(shapes, cache, RNN_CACHE, RNN_USED)
    da_next = shapes.upstream("da_next", da_next, ("n_a", "m"), "rnn.rule_da_next")
    Wax, Waa, _ = shapes.parameters(cache[3], RNN_STEP)
    dxt = np.empty(step["xt"].shape, np.result_type(da_next, step["a_next"], Wax))
    da_prev, dWax, dWaa, dba = rnn_steps_backward(
        _stack(da_next), None, _stack(step["xt"]), _stack(step["a_prev"]), _stack(step["a_next"]), None, Wax, Waa,
        dX=_stack(dxt))
    return {"dxt": dxt, "da_prev": da_prev.T, "dWax": dWax, "dWaa": dWaa, "dba": dba[:, None]}


def rnn_backward(da, caches):
    """Backpropagation through time of the basic RNN: the gradients of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩.

    da (n_a, m, T_x) is the upstream gradient of EVERY hidden state; the da_prev of step t is
    added to da[:, :, t-1], and dWax, dWaa, dba add up over the steps.
    Returns {"dx", "da0", "dWax", "dWaa", "dba"}.

    >>> rng = np.random.default_rng(1)
    >>> p = {"Wax": rng.standard_normal((5, 3)), "Waa": rng.standard_normal((5, 5)),
    ...      "Wya": rng.standard_normal((2, 5)), "ba": np.zeros((5, 1)), "by": np.zeros((2, 1))}
    >>> a, y_pred, caches = rnn_forward(rng.standard_normal((3, 10, 4)), np.zeros((5, 10)), p)
    >>> {k: v.shape for k, v in rnn_backward(np.ones((5, 10, 4)), caches).items()}
    {'dx': (3, 10, 4), 'da0': (5, 10), 'dWax': (5, 3), 'dWaa': (5, 5), 'dba': (5, 1)}
    """
    shapes = Shapes("rnn_backward")
    steps, x = shapes.through_time_caches(caches, "rnn_forward")
    shapes.sequence(x, None, "rnn_cell_forward")
    shapes.same_length(steps, "rnn_forward")
    first = shapes.step_cache("caches[0][0]", steps[0], "rnn_cell_forward", RNN_CACHE)
    shapes.state("caches[0][0][1] (a_prev)", first[1], "rnn.rule_a_prev")
    da = shapes.upstream("da", da, ("n_a", "m", "T_x"), "rnn.rule_da")
    Wax, Waa, _ = shapes.parameters(first[3], RNN_STEP)
    tape = tape_of(steps, RNNTape)
    if tape:                                                      # our own caches: read the buffers
        X, a0, A_prev, H = tape.X, tape.a0, None, tape.H
    else:                                                         # a student's: check, then stack
        s = stack_caches(shapes, steps, "rnn_cell_forward", RNN_CACHE, RNN_USED)
        X, a0, A_prev, H = s["xt"], None, s["a_prev"], s["a_next"]
    n_x, m, T_x = x.shape
    by_time = bool(tape) and _by_time(H)
    dtype = np.result_type(da, H, Wax)                            # dx in the kernels' order: they write it where
    dx = np.empty((T_x, m, n_x), dtype).transpose(2, 1, 0) if by_time else np.empty(x.shape, dtype)   # it lands
    da0, dWax, dWaa, dba = rnn_lanes.steps_backward(da.transpose(1, 2, 0), X, a0, A_prev, H, Wax, Waa,
                                                    dX=dx.transpose(1, 2, 0), by_time=by_time)
    return {"dx": dx, "da0": da0.T, "dWax": dWax, "dWaa": dWaa, "dba": dba[:, None]}


# --- LSTM -------------------------------------------------------------------------------------


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One step of the LSTM cell, on the stacked [a_prev; xt] (a_prev first).

    Γf = σ(Wf·[a_prev; xt] + bf), Γi = σ(Wi·… + bi), c̃ = tanh(Wc·… + bc), Γo = σ(Wo·… + bo),
    c_next = Γf ∗ c_prev + Γi ∗ c̃,  a_next = Γo ∗ tanh(c_next),  ŷ = softmax(Wy·a_next + by).
    Returns (a_next, c_next, yt_pred, cache), cache = (a_next, c_next, a_prev, c_prev, ft, it,
    cct, ot, xt, parameters).

    >>> rng = np.random.default_rng(1)
    >>> p = {k: rng.standard_normal((5, 8)) for k in ("Wf", "Wi", "Wc", "Wo")}
    >>> p.update({k: np.zeros((5, 1)) for k in ("bf", "bi", "bc", "bo")})
    >>> p.update(Wy=rng.standard_normal((2, 5)), by=np.zeros((2, 1)))
    >>> a_next, c_next, yt_pred, cache = lstm_cell_forward(
    ...     rng.standard_normal((3, 10)), np.zeros((5, 10)), np.zeros((5, 10)), p)
    >>> a_next.shape, c_next.shape, yt_pred.shape, len(cache)
    ((5, 10), (5, 10), (2, 10), 10)
    """
    shapes = Shapes("lstm_cell_forward")
    xt = shapes.step_input("xt", xt, "lstm_forward")
    a_prev = shapes.state("a_prev", a_prev, "rnn.rule_a_prev")
    c_prev = shapes.state("c_prev", c_prev, "rnn.rule_c_prev")
    Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by = shapes.parameters(parameters, LSTM_STEP + ("Wy", "by"))
    W, b = _stack_gates(Wf, bf, Wi, bi, Wc, bc, Wo, bo)
    n_a = a_prev.shape[0]
    tape = lstm_steps_forward(_step(xt), a_prev.T, c_prev.T, W[:, n_a:], W[:, :n_a], b)
    read_only(tape.G, tape.R, tape.C)
    a_next, c_next = tape.H[0].T, tape.C[1].T                    # (n_a, m)
    gate = _gate_blocks(tape.G[0])
    ot, ft, it, cct = gate["o"].T, gate["f"].T, gate["i"].T, gate["c"].T
    yt_pred = softmax(Wy @ a_next + by)                           # (n_y, m)
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next.copy(), c_next.copy(), yt_pred, cache


def lstm_forward(x, a0, parameters):
    """The LSTM over all T_x steps: lstm_cell_forward for t = 1..T_x, a⟨0⟩ = a0, c⟨0⟩ = 0.

    Returns (a, y, c, caches): a, c (n_a, m, T_x), y (n_y, m, T_x), caches = (list of the T_x
    step caches, x).

    >>> rng = np.random.default_rng(1)
    >>> p = {k: rng.standard_normal((5, 8)) for k in ("Wf", "Wi", "Wc", "Wo")}
    >>> p.update({k: np.zeros((5, 1)) for k in ("bf", "bi", "bc", "bo")})
    >>> p.update(Wy=rng.standard_normal((2, 5)), by=np.zeros((2, 1)))
    >>> a, y, c, caches = lstm_forward(rng.standard_normal((3, 10, 7)), np.zeros((5, 10)), p)
    >>> a.shape, y.shape, c.shape, len(caches[0])
    ((5, 10, 7), (2, 10, 7), (5, 10, 7), 7)
    """
    shapes = Shapes("lstm_forward")
    x = shapes.sequence(x, _n_x_hint(parameters, "Wf", minus_rows=True), "lstm_cell_forward")
    a0 = shapes.state("a0", a0, "rules.rnn_a0")
    Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by = shapes.parameters(parameters, LSTM_STEP + ("Wy", "by"), x)
    W, b = _stack_gates(Wf, bf, Wi, bi, Wc, bc, Wo, bo)
    n_a = a0.shape[0]
    c0 = np.zeros(a0.T.shape, np.result_type(a0, W))
    tape = lstm_lanes.steps_forward(x.transpose(2, 1, 0), a0.T, c0, W[:, n_a:], W[:, :n_a], b)
    read_only(tape.G, tape.R, tape.C)                             # before any view of them is made
    H, C = tape.H, tape.C                                         # a⟨1⟩ .. a⟨T_x⟩, c⟨0⟩ .. c⟨T_x⟩; (·, m, n_a)
    copies = None                                                 # a and c copied on the idle core meanwhile
    if H.size >= OUTPUTS_APART and BESIDE.idle():
        copies = BESIDE.submit(_course_copies, H, C[1:])
    y = _outputs_by_time(Wy, by, tape)
    gate = _gate_blocks(tape.G)
    o, f, i, cc = gate["o"], gate["f"], gate["i"], gate["c"]
    steps = [
        (H[t].T, C[t + 1].T, a0 if t == 0 else H[t - 1].T, C[t].T, f[t].T, i[t].T, cc[t].T, o[t].T, x[:, :, t],
         parameters)
        for t in range(x.shape[2])
    ]
    a, c = _course_copies(H, C[1:]) if copies is None else copies.result()
    return a, y.copy(), c, (StepCaches(steps, tape), x)


def lstm_cell_backward(da_next, dc_next, cache):
    """The gradients of one LSTM step, of J = Σ a_next ∗ da_next + Σ c_next ∗ dc_next.

    dc = dc_next + da_next ∗ Γo ∗ (1 - tanh²(c_next)) is everything that reaches c_next; then
    dΓo = da_next ∗ tanh(c_next) ∗ Γo(1-Γo), dΓf = dc ∗ c_prev ∗ Γf(1-Γf),
    dΓi = dc ∗ c̃ ∗ Γi(1-Γi), dc̃ = dc ∗ Γi ∗ (1 - c̃²);  dW* = dΓ*·[a_prev; xt]ᵀ,
    db* = Σ dΓ* over examples (keepdims), [da_prev; dxt] = Σ W*ᵀ·dΓ*, dc_prev = dc ∗ Γf.
    Returns {"dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"}.

    >>> rng = np.random.default_rng(1)
    >>> p = {k: rng.standard_normal((5, 8)) for k in ("Wf", "Wi", "Wc", "Wo")}
    >>> p.update({k: np.zeros((5, 1)) for k in ("bf", "bi", "bc", "bo")})
    >>> p.update(Wy=rng.standard_normal((2, 5)), by=np.zeros((2, 1)))
    >>> *_, cache = lstm_cell_forward(rng.standard_normal((3, 10)), np.zeros((5, 10)), np.zeros((5, 10)), p)
    >>> grads = lstm_cell_backward(np.ones((5, 10)), np.zeros((5, 10)), cache)
    >>> grads["dxt"].shape, grads["dc_prev"].shape, grads["dWf"].shape, grads["dbo"].shape
    ((3, 10), (5, 10), (5, 8), (5, 1))
    """
    shapes = Shapes("lstm_cell_backward")
    cache = shapes.step_cache("cache", cache, "lstm_cell_forward", LSTM_CACHE)
    step = check_cache(shapes, cache, LSTM_CACHE, LSTM_USED)
    da_next = shapes.upstream("da_next", da_next, ("n_a", "m"), "rnn.rule_da_next")
    dc_next = shapes.upstream("dc_next", dc_next, ("n_a", "m"), "rnn.rule_dc_next")
    W, _ = _stack_gates(*shapes.parameters(cache[9], LSTM_STEP))
    n_a = da_next.shape[0]
    s = {name: _step(array) for name, array in step.items()}      # one step: (1, m, rows)
    dxt = np.empty(step["xt"].shape, np.result_type(da_next, dc_next, step["ft"], W))
    da_prev, dc_prev, dWx, dWa, db = lstm_steps_backward(
        _step(da_next), None, dc_next.T, lstm_inputs(s["a_prev"], s["xt"]), s["c_prev"], s["c_next"],
        np.tanh(s["c_next"]), _lstm_gates(s), None, W[:, n_a:], W[:, :n_a], dX=_step(dxt))
    grads = _lstm_grads(da_prev, dWx, dWa, db, "dxt", dxt)
    return {"dxt": dxt, "da_prev": grads.pop("da0"), "dc_prev": dc_prev.T, **grads}


def lstm_backward(da, caches):
    """Backpropagation through time of the LSTM: the gradients of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩.

    da (n_a, m, T_x) is the upstream gradient of EVERY hidden state. Both da_prev and dc_prev
    of step t go back to step t-1 (da_prev added to da[:, :, t-1]); dW* and db* add up over the
    steps. Returns {"dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"}.

    >>> rng = np.random.default_rng(1)
    >>> p = {k: rng.standard_normal((5, 8)) for k in ("Wf", "Wi", "Wc", "Wo")}
    >>> p.update({k: np.zeros((5, 1)) for k in ("bf", "bi", "bc", "bo")})
    >>> p.update(Wy=rng.standard_normal((2, 5)), by=np.zeros((2, 1)))
    >>> a, y, c, caches = lstm_forward(rng.standard_normal((3, 10, 7)), np.zeros((5, 10)), p)
    >>> grads = lstm_backward(np.ones((5, 10, 7)), caches)
    >>> grads["dx"].shape, grads["da0"].shape, grads["dWf"].shape, grads["dbf"].shape
    ((3, 10, 7), (5, 10), (5, 8), (5, 1))
    """
    shapes = Shapes("lstm_backward")
    steps, x = shapes.through_time_caches(caches, "lstm_forward")
    shapes.sequence(x, None, "lstm_cell_forward")
    shapes.same_length(steps, "lstm_forward")
    first = shapes.step_cache("caches[0][0]", steps[0], "lstm_cell_forward", LSTM_CACHE)
    shapes.state("caches[0][0][2] (a_prev)", first[2], "rnn.rule_a_prev")
    da = shapes.upstream("da", da, ("n_a", "m", "T_x"), "rnn.rule_da")
    W, _ = _stack_gates(*shapes.parameters(first[9], LSTM_STEP))
    n_a = da.shape[0]
    tape = tape_of(steps, LSTMTape)
    if tape:                                                      # our own caches: read the buffers
        R, C_prev, C, tanh_c, G = tape.R, tape.C[:-1], tape.C[1:], tape.tanh_c, tape.G
    else:                                                         # a student's: check, then stack
        s = stack_caches(shapes, steps, "lstm_cell_forward", LSTM_CACHE, LSTM_USED, axis=0)
        R, C_prev, C = lstm_inputs(s["a_prev"], s["xt"]), s["c_prev"], s["c_next"]
        tanh_c, G = np.tanh(C), _lstm_gates(s)
    n_x, m, T_x = x.shape
    dx = np.empty((T_x, m, n_x), np.result_type(da, G, W))        # time first: the kernel writes it where it lands
    da0, _, dWx, dWa, db = lstm_lanes.steps_backward(da.transpose(2, 1, 0), R, C_prev, C, tanh_c, G, W[:, n_a:],
                                                     W[:, :n_a], dX=dx)
    return _lstm_grads(da0, dWx, dWa, db, "dx", dx.transpose(2, 1, 0))
