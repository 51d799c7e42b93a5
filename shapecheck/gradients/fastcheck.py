"""The fast exact full gradient check of the engine's own L-layer networks.

    import shapecheck as sc
    spec = sc.dense_net([12288, 20, 7, 5, 1])
    report = sc.gradcheck_network(spec, params, X, Y)   # all 245,973 centered differences, in seconds

The naive check runs two whole forward passes per parameter. But a perturbation of W[l][i, j]
changes only row i of Z[l], by ±ε·A[l-1][j, :] (b[l][i]: by ±ε), so we propagate only what
changes, and many perturbations at once, as extra columns of one batched pass:

1. Examples (columns) do not mix before the cost, so each takes its own path. Row i of
   A[l] = g[l](Z[l][i, :] + δ·A[l-1][j, :]) changes only where unit i is active or a step can
   make it so; elsewhere J's terms are the same at θ ± ε and cancel.
2. Between layer l and the next layer K whose g is not piecewise linear (sigmoid, tanh, softmax;
   or K = L) the change is linear wherever no ReLU input can cross 0: ΔZ[K][:, c] =
   S[:, i, c]·ΔA[l][i, c] exactly, with S = ∂Z[K]/∂A[l] one (n[K], n[l], m) array for the whole
   layer, and ΔA[l][i, c] = g'·δ·A[l-1][j, c]. Columns where a step could reach a kink (bounds
   say which) are evaluated instead: row i of A[l] exactly, and past a possible crossing every
   layer in full.
3. From Z[K] on, every perturbation is a full batched forward pass to the cost J.

The numbers are the centered differences (J(θ + ε·e) − J(θ − ε·e)) / 2ε the naive loop
computes, with the same steps (θ + ε is rounded as the naive loop rounds it), equal to them within
its rounding (about |J|·2⁻⁵²/ε). A coordinate whose ± step moves any ReLU or leaky-ReLU input
across 0, beyond the input's rounding (``kinks.crossed``), is a kink: kept out of the verdict and counted. ``batch`` (perturbations per pass)
bounds the memory. The naive loop itself is ``gradcheck(lambda p: build(spec, p, X, Y, loss).J0, params, grads)``.

The same idea for the course's LSTM is in fastcheck_lstm.py; a compiled Sequential is checked in
model_check.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable, Mapping

import numpy as np

from shapecheck.gradients import kinks as kink_tests
from shapecheck.validate.params import refuse_masked
from shapecheck.gradients.gradcheck import (
    check_coordinates,
    EPS, THETA, THRESHOLD, GradcheckReport, as_float64, check_options, compare, grad_key, line_up, rounding_noise,
    upcast_warning, _progress, _transposed_values,
)
from shapecheck.gradients.model_check import gradcheck_model
from shapecheck.core.errors import ShapecheckError

PIECEWISE_LINEAR = ("relu", "leaky_relu", "linear")  # between their kinks, exactly linear
BUDGET = 1 << 22  # floats (32 MB) in S, the largest array a plan keeps
CHUNK = 1 << 18  # floats (2 MB) in the largest array of one batched pass (work arrays are reused)
ROW_ALONE = 32  # a unit with this many coordinates or more gets passes of its own
SLACK = 1e-6  # a bound within this of a ReLU input counts as a possible crossing: rounding cannot fool it


# --- the forward pass at θ -----------------------------------------------------------------------


@dataclass
class Network:
    """Everything the perturbed passes reuse: W[l], b[l], Z[l], A[l] (A[0] = X), Y, the loss, J at θ."""

    spec: Any
    W: list  # W[1..L]; index 0 unused
    b: list
    Z: list
    A: list
    Y: np.ndarray
    loss: str
    m: int
    J0: float = float("nan")

    @cached_property
    def tie(self) -> list:
        """tie[l] (n[l], m): Z[l]'s rounding; a ReLU input within it of 0 is a tie (kinks.ties).

        Made on first use: a J at θ alone (the naive loop's black box) never pays for its products.
        """
        return kink_tests.ties(self.W, self.b, self.A)

    @property
    def logits(self) -> bool:
        """J comes from Z[L] alone (sigmoid + binary, softmax + categorical cross-entropy): exact for any z."""
        return _from_logits(self.spec, self.loss)

    @property
    def factor(self) -> float:
        """J = factor·Σ of the loss terms: 1/m, or 1/(2m) for the course's mean squared error."""
        from shapecheck.engine import losses

        return 1 / (2 * self.m) if self.loss == losses.MSE else 1 / self.m

    @property
    def L(self) -> int:  # noqa: N802
        return self.spec.L

    def g(self, l: int) -> str:  # noqa: E741
        return self.spec.activations[l - 1]


def _activation(name: str):
    from shapecheck.engine.activations import ACTIVATIONS

    return ACTIVATIONS[name][0]


def build(spec, params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray, loss: str) -> Network:
    """The forward pass at θ: Z[l] = W[l]·A[l-1] + b[l], A[l] = g[l](Z[l])."""
    L = spec.L
    W, b, Z, A = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1), [X]
    for l in range(1, L + 1):  # noqa: E741
        W[l], b[l] = params[f"W{l}"], params[f"b{l}"]
        Z[l] = W[l] @ A[l - 1] + b[l]  # (n[l], m)
        A.append(_activation(spec.activations[l - 1])(Z[l]))
    net = Network(spec, W, b, Z, A, Y, loss, X.shape[1])
    net.J0 = net.factor * float(column_terms(net, Z[L][:, None, :], A[L][:, None, :], slice(None))[0])
    return net


def _from_logits(spec, loss: str) -> bool:
    from shapecheck.engine import losses

    return losses.from_logits(spec.activations[-1], loss)


def column_terms(net: Network, ZL: np.ndarray, AL: np.ndarray | None, columns, scratch=None) -> np.ndarray:
    """Σ of the loss terms over ``columns`` of each perturbation (P,): J = factor·Σ over all m columns.

    ZL and AL are (n[L], P, len(columns)); the engine's formulas, from Z[L] when that is exact.
    """
    from shapecheck.engine import losses

    if net.logits and net.loss == losses.BCE:  # −[y·log σ(z) + (1−y)·log(1−σ(z))] = log(1 + e^z) − y·z
        # log(1 + e^z) = s·z + log(1 + e^((1 − 2s)·z)) for s = 0 or 1, exactly; s = [z > 0] at θ keeps the
        # exponent at or below about 0. Piece by piece, in place: exp and log1p are vectorised in numpy,
        # logaddexp is not (20× slower).
        s = (net.Z[net.L][:, columns] > 0).astype(np.float64)  # (n[L], c)
        tail = np.multiply(ZL, (1 - 2 * s)[:, None, :], out=None if scratch is None else scratch("tail", ZL.shape))
        np.log1p(np.exp(tail, out=tail), out=tail)
        return np.einsum("npc,nc->p", ZL, s - net.Y[:, columns]) + tail.sum(axis=(0, 2))
    Y = net.Y[:, columns][:, None, :]  # (n[L], 1, columns)
    if net.logits:  # softmax + categorical cross-entropy, by log-sum-exp over the classes
        terms = losses.categorical_cross_entropy_from_logits(ZL, Y)
    elif net.loss == losses.BCE:
        A = np.clip(AL, losses.TINY, losses.BELOW_ONE)
        terms = -(Y * np.log(A) + (1 - Y) * np.log1p(-A))
    elif net.loss == losses.CCE:
        terms = -(Y * np.log(np.clip(AL, losses.TINY, 1.0)))
    else:  # mean squared error; the course's ½ is in the factor
        terms = (AL - Y) ** 2
    return np.sum(terms, axis=(0, 2))


def rounding_scale(net: Network) -> float:
    """The size of what rounding touches in J: |J| plus each Z[l] and A[l] entry's size times its weight in J.

    J itself rounds at |J|·2⁻⁵², but the loss is a difference of larger pieces when the output is
    confident and right (log-sum-exp(z) − z_y, with J ≈ 1e-4 and |z| ≈ 3), and Z[l] = W[l]·A[l-1] + b[l]
    rounds at (|W[l]|·|A[l-1]| + |b[l]|)·2⁻⁵², which reaches J times |∂J/∂Z[l]|: for an output that
    nearly fits (A ≈ Y ≈ 1, J ≈ 1e-3) those are the larger part. The weights come from the
    engine's own backward, never from the gradients being checked.
    """
    from shapecheck.gradients.bugs import backward_with
    from shapecheck.engine import losses
    from shapecheck.engine.activations import activation_backward

    L, m = net.L, net.m
    caches = [((net.A[l - 1], net.W[l], net.b[l]), net.Z[l]) for l in range(1, L + 1)]  # noqa: E741
    grads = backward_with(None)(net.spec, net.A[L], net.Y, caches, net.loss, with_dA0=False)
    total = abs(net.J0) + net.factor * float(np.sum(loss_pieces(net)))
    dZ = losses.output_delta(net.g(L), net.loss, net.A[L], net.Y)
    if dZ is None:
        dZ = activation_backward(net.g(L), losses.loss_derivative(net.loss, net.A[L], net.Y), net.Z[L], net.A[L])
    for l in range(L, 0, -1):  # noqa: E741
        if l < L:
            dA = grads[f"dA{l}"]  # m·∂J/∂A[l]
            total += float(np.sum(np.abs(dA * net.A[l]))) / m
            dZ = activation_backward(net.g(l), dA, net.Z[l], net.A[l])
        size = np.abs(net.W[l]) @ np.abs(net.A[l - 1]) + np.abs(net.b[l])  # (n[l], m)
        total += float(np.sum(np.abs(dZ) * size)) / m
    return total if math.isfinite(total) else abs(net.J0)


def loss_pieces(net: Network) -> np.ndarray:
    """The sizes of the pieces each loss term is computed from, before they cancel (n[L], m)."""
    from shapecheck.engine import losses

    Z, A, Y = net.Z[net.L], net.A[net.L], net.Y
    with np.errstate(divide="ignore", invalid="ignore"):
        if net.logits and net.loss == losses.BCE:  # max(z, 0) − y·z + log(1 + e^(−|z|))
            pieces = np.maximum(Z, 0.0) + np.abs(Y * Z) + np.log1p(np.exp(-np.abs(Z)))
        elif net.logits:  # y·(log-sum-exp(z) − z)
            lse = Z.max(axis=0, keepdims=True) + np.log(np.sum(np.exp(Z - Z.max(axis=0, keepdims=True)), axis=0))
            pieces = np.abs(Y) * (np.abs(lse) + np.abs(Z))
        elif net.loss == losses.MSE:  # (A − Y)²: the subtraction rounds at |A| + |Y|
            pieces = np.abs(A - Y) * (np.abs(A) + np.abs(Y))
        else:  # −[y·log A + (1 − y)·log(1 − A)] and −y·log A: terms of one sign
            A = np.clip(A, losses.TINY, losses.BELOW_ONE)
            pieces = np.abs(Y * np.log(A)) + np.abs((1 - Y) * np.log1p(-A))
    return np.where(np.isfinite(pieces), pieces, 0.0)


# --- perturbed passes --------------------------------------------------------------------------------


class Scratch:
    """Work arrays reused from one batched pass to the next.

    A fresh array of a few MB per operation costs more in page faults than the arithmetic on it
    (malloc hands large blocks back to the system once freed), so the hot path writes into these.
    """

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray] = {}

    def __call__(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        size = math.prod(shape)
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size:
            buffer = self._buffers[name] = np.empty(size)
        return buffer[:size].reshape(shape)


def finish(net: Network, k: int, Zk: np.ndarray, columns, scratch: Scratch | None = None) -> tuple[np.ndarray, np.ndarray]:
    """From a perturbed Z[k] (n[k], P, c) on ``columns`` to each perturbation's Σ of loss terms there,
    and whether it moved a ReLU input across 0 at or after layer k."""
    P, c = Zk.shape[1], Zk.shape[2]
    kinked = np.zeros(P, dtype=bool)
    Z = Zk
    for l in range(k, net.L + 1):  # noqa: E741
        if l > k:
            Z = (net.W[l] @ A.reshape(A.shape[0], -1)).reshape(-1, P, c)  # (n[l], P, c): one product for all
            Z += net.b[l][:, :, None]
        if net.g(l) in kink_tests.KINKED:
            Z0, tie = net.Z[l][:, columns][:, None, :], net.tie[l][:, columns][:, None, :]
            kinked |= np.any(kink_tests.crossed(Z, Z0, tie), axis=(0, 2))
        A = None if l == net.L and net.logits else _activation(net.g(l))(Z)
    return column_terms(net, Z, A, columns, scratch), kinked


@dataclass
class Plan:
    """How perturbations of layer l travel: linearly to Z[K] through S = ∂Z[K]/∂A[l], then in full."""

    K: int
    S: np.ndarray  # (n[l], n[K], m), or (n[l], n[K], 1) when K = l + 1 (S is W[K]ᵀ): row i is unit i's
    bound: np.ndarray | None  # (n[l], m): |ΔA[l][i, c]| below bound[i, c] crosses no ReLU before layer K
    reach: np.ndarray  # (m,): the largest |ΔZ[l][i, c]| any perturbation of this tensor makes, over ε


def plan(net: Network, l: int, kind: str, budget: int = BUDGET) -> Plan | None:  # noqa: E741
    """Follow the layers after l while they are piecewise linear and S stays within the memory budget."""
    reach = np.abs(net.A[l - 1]).max(axis=0) if kind == "W" else np.ones(net.m)  # |ΔZ[l][i, c]| ≤ |δ|·reach[c]
    if l == net.L or net.g(l) == "softmax":
        return Plan(l, np.empty((0, 0, 0)), None, reach)
    K = l + 1
    S = net.W[K][:, :, None]  # (n[K], n[l], 1): ∂Z[l+1]/∂A[l] = W[l+1], whatever the column
    bound = None
    while K < net.L and net.g(K) in PIECEWISE_LINEAR and net.W[K + 1].shape[0] * S.shape[1] * net.m <= budget:
        if net.g(K) in kink_tests.KINKED:
            # ΔZ[K][r, c] = S[r, i, c]·ΔA[l][i, c] crosses 0 only if |ΔA| ≥ |Z[K][r, c]| / |S[r, i, c]|
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.abs(net.Z[K])[:, None, :] / np.abs(S)  # (n[K], n[l], m)
            ratio[np.isnan(ratio)] = np.inf  # 0 / 0: the unit never moves
            here = ratio.min(axis=0)  # (n[l], m)
            bound = here if bound is None else np.minimum(bound, here)
        slope = _slope(net.g(K))(net.Z[K])  # g'[K](Z[K]) (n[K], m), exact between kinks
        S = (net.W[K + 1] @ (slope[:, None, :] * S).reshape(S.shape[0], -1)).reshape(-1, S.shape[1], net.m)
        K += 1
    return Plan(K, np.ascontiguousarray(S.transpose(1, 0, 2)), bound, reach)  # gathering rows of it is then fast


def _slope(name: str):
    from shapecheck.engine.activations import ACTIVATIONS

    return ACTIVATIONS[name][1]


def moving_columns(net: Network, l: int, i: int, route: Plan, delta: np.ndarray):  # noqa: E741
    """The columns where row i of A[l] can change at all: for ReLU, the active ones and those a step may cross into.

    Elsewhere every perturbation leaves A[l][i, c] = 0, so J's terms there are the same at θ ± ε and cancel.
    """
    if net.g(l) != "relu" or l == net.L:
        return slice(None)
    Zi = net.Z[l][i]
    reach = np.abs(delta).max() * route.reach * (1 + SLACK)
    return np.flatnonzero((Zi > 0) | (-Zi <= reach))


def perturb(net: Network, l: int, kind: str, rows, cols, delta: np.ndarray, route: Plan,  # noqa: E741
            scratch: Scratch | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Σ of J's loss terms after each of 2n perturbations of layer l, and whether each crossed a kink.

    Coordinate t is W[l][rows[t], cols[t]] (or b[l][rows[t]]), stepped by delta[0, t] and by
    delta[1, t]: the results are [all the + steps, all the − steps]. ``rows`` is one unit i (an
    int: its row is broadcast, and only the columns where it can move are computed) or one unit
    per coordinate. The sums are over the same columns for every perturbation, so their
    differences are differences of J (over the loss's factor). Examples (columns) do not mix
    before the cost, so each column may take its own path: the linear one where no step can move
    a ReLU input across 0, the evaluated one elsewhere.
    """
    scratch = scratch or Scratch()
    P = delta.size
    if np.ndim(rows) == 0:
        i = int(rows)
        columns = moving_columns(net, l, i, route, delta)
        if _count(columns, net.m) == 0:  # a dead unit no step can wake: J does not move at all
            return np.zeros(P), np.zeros(P, dtype=bool)
        if l < net.L and net.g(l) in PIECEWISE_LINEAR and route.S.shape[1] == 1:
            safe, near = _split(net, l, i, route, delta, columns)
            T, kinked = np.zeros(P), np.zeros(P, dtype=bool)
            if safe.size:
                T_safe, k_safe = _linear(net, l, kind, i, cols, delta, route, safe, scratch)
                T += T_safe
                kinked |= k_safe
            if near.size:
                T_near, k_near = _evaluated(net, l, kind, i, i, cols, delta, route, near, scratch)
                T += T_near
                kinked |= k_near
            return T, kinked
        return _evaluated(net, l, kind, i, i, cols, delta, route, columns, scratch)
    return _evaluated(net, l, kind, np.concatenate([rows, rows]), rows, cols, delta, route, slice(None), scratch)


def _split(net: Network, l: int, i: int, route: Plan, delta: np.ndarray, columns) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    """Columns where no step can move a ReLU input across 0 (at layer l: |Z| beyond the step's reach;
    after it: below the plan's bound), and the others."""
    columns = np.arange(net.m)[columns]
    reach = np.abs(delta).max() * route.reach[columns] * (1 + SLACK)
    far = np.abs(net.Z[l][i, columns]) > reach if net.g(l) in kink_tests.KINKED else np.ones(columns.size, bool)
    if route.bound is not None:
        far &= reach * (1 + SLACK) < route.bound[i, columns] * (1 - SLACK)
    return columns[far], columns[~far]


def _linear(net: Network, l: int, kind: str, i: int, cols, delta: np.ndarray, route: Plan, columns: np.ndarray,  # noqa: E741
            scratch: Scratch) -> tuple[np.ndarray, np.ndarray]:
    """Where no ReLU input crosses 0 before layer K, ΔA[l][i, c] = g'·δ·A[l-1][j, c] and ΔZ[K] = S·ΔA, exactly:
    Z[K] ± for every coordinate of unit i is one product with the block of A[l-1] (Z[K] has one unit)."""
    slope = _slope(net.g(l))(net.Z[l][i, columns])  # g'[l] where Z is far from the kink: exact
    S = route.S[i][0]
    weight = slope * (S if S.size == 1 else S[columns])  # ∂Z[K][c] / ∂Z[l][i, c]
    n, c, P = delta.shape[1], columns.size, delta.size
    ZK = scratch("z", (2, n, c))
    if kind == "W":
        B = net.A[l - 1][cols][:, columns] * weight  # (n, c)
        np.multiply(delta[:, :, None], B[None], out=ZK)
    else:
        np.multiply(delta[:, :, None], weight, out=ZK)
    ZK = ZK.reshape(1, P, c)
    ZK += net.Z[route.K][:, columns][:, None, :]
    return finish(net, route.K, ZK, columns, scratch)


def _evaluated(net: Network, l: int, kind: str, rows, gather, cols, delta: np.ndarray, route: Plan,  # noqa: E741
               columns, scratch: Scratch) -> tuple[np.ndarray, np.ndarray]:
    """Row i of Z[l] and A[l] evaluated after each step, then linearly to Z[K] or, past a possible
    ReLU crossing, every layer in full (``gather``: one unit, or a unit per coordinate)."""
    P, n = delta.size, delta.shape[1]
    c = _count(columns, net.m)
    Zrow = net.Z[l][gather][..., columns]
    Zrow = Zrow[None] if Zrow.ndim == 1 else np.concatenate([Zrow, Zrow])  # (1 or P, c)
    znew = scratch("z", (2, n, c))  # row i of Z[l] after the step, one per perturbation
    if kind == "W":
        block = net.A[l - 1][cols][:, columns]  # A[l-1][j, :] of each coordinate, (n, c)
        np.multiply(delta[:, :, None], block[None], out=znew)  # ΔZ[l][i, :] = δ·A[l-1][j, :]
    else:
        znew[...] = delta[:, :, None]  # ΔZ[l][i, :] = δ
    znew = znew.reshape(P, c)
    znew += Zrow
    g = net.g(l)
    if l == net.L or g == "softmax":  # the whole column of Z[l] is needed (softmax, the cost)
        Z = np.repeat(net.Z[l][:, None, columns], P, axis=1)  # (n[l], P, c)
        Z[np.broadcast_to(rows, (P,)), np.arange(P)] = znew
        return finish(net, l, Z, columns)
    # |ΔZ[l][i, c]| ≤ |δ|·reach[c], and so is |ΔA[l][i, c]| (no g has a slope above 1): only the
    # columns where that could reach a ReLU input's distance to 0 need looking at, for kinks here
    # and for the bound of the linear path
    reach = np.abs(delta).max() * route.reach[columns] * (1 + SLACK)
    kinked = np.zeros(P, dtype=bool)
    if g in kink_tests.KINKED:
        near = np.flatnonzero(np.any(np.abs(Zrow) <= reach, axis=0))
        tie = net.tie[l][gather][..., columns]
        tie = tie[None] if tie.ndim == 1 else np.concatenate([tie, tie])
        kinked = np.any(kink_tests.crossed(znew[:, near], Zrow[:, near], tie[:, near]), axis=1)
    Arow = net.A[l][gather][..., columns]
    if g == "relu":
        dA = np.maximum(znew, 0.0, out=znew)  # in place: znew is not needed any more
    else:
        dA = _activation(g)(znew)
    dA -= Arow[None] if Arow.ndim == 1 else np.concatenate([Arow, Arow])  # ΔA[l][i, :], exact
    exact = np.zeros(P, dtype=bool)
    if route.bound is not None:
        bound = route.bound[gather][..., columns]
        bound = bound[None] if bound.ndim == 1 else np.concatenate([bound, bound])
        near = np.flatnonzero(np.any(reach * (1 + SLACK) >= bound * (1 - SLACK), axis=0))
        exact = np.any(np.abs(dA[:, near]) * (1 + SLACK) >= bound[:, near] * (1 - SLACK), axis=1)
    T = np.empty(P)
    if exact.any():  # a ReLU input before layer K may cross 0: every layer in full
        W_next = net.W[l + 1][:, np.broadcast_to(rows, (P,))[exact]]  # column i of W[l+1] for each, (n[l+1], P'')
        Z_next = net.Z[l + 1][:, None, columns] + W_next[:, :, None] * dA[exact][None]
        T_exact, k_exact = finish(net, l + 1, Z_next, columns)
        T[exact] = T_exact
        kinked[exact] |= k_exact
    fast = ~exact
    if fast.any():
        S = route.S[gather]
        S = S if S.shape[-1] == 1 else S[..., columns]  # (n[K], c or 1) for one unit, (n, n[K], c or 1) gathered
        S = S[None] if S.ndim == 2 else np.concatenate([S, S])[fast]
        dA = dA if fast.all() else dA[fast]
        ZK_now = net.Z[route.K][:, columns]
        if S.shape[1] == 1:  # one unit in Z[K]: ΔZ[K] = S·ΔA in place, no (P', 1, c) copy
            ZK = np.multiply(dA, S[:, 0], out=dA)
            ZK += ZK_now
            ZK = ZK[None]  # (1, P', c)
        else:
            ZK = (ZK_now[None] + S * dA[:, None, :]).transpose(1, 0, 2)  # (n[K], P', c)
        T[fast], k_fast = finish(net, route.K, ZK, columns, scratch)
        kinked[fast] |= k_fast
    return T, kinked


def _count(columns, m: int) -> int:
    return m if isinstance(columns, slice) else len(columns)


def numeric_tensor(net: Network, name: str, flat: np.ndarray, eps: float, batch: int | None,
                   tick: Callable[[int], None]) -> tuple[np.ndarray, np.ndarray]:
    """Centered differences of J for the coordinates ``flat`` of W[l] or b[l], and which are kinks."""
    kind, l = name[0], int(name[1:])  # noqa: E741
    value = net.W[l] if kind == "W" else net.b[l]
    rows_all, cols_all = np.unravel_index(flat, value.shape)
    theta = value.ravel()[flat]
    # the steps the naive loop takes: θ + ε rounds, so the step is (θ + ε) − θ, not ε
    plus, minus = (theta + eps) - theta, (theta - eps) - theta
    route = plan(net, l, kind)
    width = max(net.W[k].shape[0] for k in range(route.K, net.L + 1))
    chunk = max(1, (batch or CHUNK // (net.m * width)) // 2)  # coordinates per pass: 2 perturbations each
    numeric = np.empty(flat.size)
    kinked = np.zeros(flat.size, dtype=bool)
    scratch = Scratch()
    for part in _parts(rows_all, chunk):
        n = part.stop - part.start
        rows, cols = rows_all[part], cols_all[part]
        if rows[0] == rows[-1]:  # one unit: broadcast its row instead of gathering it for every coordinate
            rows = rows[0]
            if cols[-1] - cols[0] + 1 == n:
                cols = slice(cols[0], cols[-1] + 1)  # a block of A[l-1]: a view, no copy
        T, k = perturb(net, l, kind, rows, cols, np.stack([plus[part], minus[part]]), route, scratch)
        numeric[part] = net.factor * (T[:n] - T[n:]) / (2 * eps)  # the course's centered difference
        kinked[part] = k[:n] | k[n:]
        tick(n)
    return numeric, kinked


def _parts(rows: np.ndarray, chunk: int):
    """Slices of at most ``chunk`` coordinates (``rows`` ascending): a long row alone (it is then
    broadcast, not gathered), short rows together."""
    starts = np.flatnonzero(np.diff(rows)) + 1
    group = None  # (start, stop) of short rows gathered so far
    for begin, end in zip(np.r_[0, starts], np.r_[starts, rows.size]):
        begin, end = int(begin), int(end)
        if end - begin >= ROW_ALONE:
            if group:
                yield slice(*group)
                group = None
            for piece in range(begin, end, chunk):
                yield slice(piece, min(piece + chunk, end))
            continue
        if group and end - group[0] > chunk:
            yield slice(*group)
            group = None
        group = (group[0], end) if group else (begin, end)
    if group:
        yield slice(*group)


# --- the check ---------------------------------------------------------------------------------------


def _inputs(spec, params, X, Y, loss):
    from shapecheck.engine import losses
    from shapecheck.engine.init import as_dense_net
    from shapecheck.spec.networks import DenseNet

    if not isinstance(spec, (DenseNet, list, tuple)):
        raise ShapecheckError("gradcheck.not_dense", value=type(spec).__name__)
    spec = as_dense_net(spec)
    theta, upcast = as_float64(params, "params")
    refuse_masked(X=X, Y=Y)                                       # (np.asarray would drop a mask without a word)
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ShapecheckError("gradcheck.network_shapes", x_shape=X.shape, y_shape=Y.shape)
    from shapecheck.validate.params import require_valid

    require_valid(spec, params=theta, X=X, Y=Y)  # the tracer's rules, one sentence per problem
    upcast += [name for name, v in (("X", X), ("Y", Y)) if v.dtype.kind == "f" and v.dtype.itemsize < 8]
    loss = losses.resolve_loss(loss, spec.activations[-1])
    return spec, theta, np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64), loss, upcast


def gradcheck_network(
    spec,
    params: Mapping[str, Any],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    grads: Mapping[str, Any] | None = None,
    backward: Callable | None = None,
    bug: str | None = None,
    loss: str | None = None,
    eps: float = EPS,
    mode: str = "full",
    k: int = 10,
    seed: int = 0,
    threshold: float = THRESHOLD,
    batch: int | None = None,
    progress: Callable[[int, int], None] | bool | None = None,
) -> GradcheckReport:
    """Gradient-check the engine's network ``spec`` at ``params`` on (X, Y), every coordinate, fast and exact.

    A Keras-like ``Sequential`` (compiled) goes to ``gradcheck_model``, ``params`` being its weights
    (None: the model's own).

    The analytic gradients are ``grads`` if given, else ``backward(spec, AL, Y, caches, loss)``
    (the engine's own by default; ``bug="missing_1_over_m"`` runs it with that classic mistake as
    one wrong step, see ``shapecheck.gradients.bugs``). Kinks (a ReLU input crossing 0) are set aside and counted.
    ``mode="sample"`` checks k seeded coordinates per tensor the same way; ``"directional"``, k
    seeded random directions (2k forward passes). ``batch``: perturbations per batched pass.

    >>> import numpy as np, shapecheck as sc
    >>> spec = sc.dense_net([4, 3, 1]); rng = np.random.default_rng(0)
    >>> X, Y = rng.standard_normal((4, 6)), (rng.random((1, 6)) > 0.5) * 1.0
    >>> report = gradcheck_network(spec, sc.init_params(spec, method="he"), X, Y)
    >>> report.passed, [t.name for t in report.tensors]
    (True, ['dW2', 'db2', 'dW1', 'db1'])
    """
    check_options(mode, eps, k, threshold)
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1):
        raise ShapecheckError("gradcheck.bad_batch", value=batch)
    from shapecheck.spec.networks import Sequential

    if isinstance(spec, Sequential):
        return gradcheck_model(spec, X, Y, weights=params, eps=eps, mode=mode, k=k, seed=seed, threshold=threshold,
                               progress=progress)
    spec, theta, X, Y, loss, upcast = _inputs(spec, params, X, Y, loss)
    notes = [w for w in (upcast_warning(upcast, eps),) if w]
    eps = float(eps)
    net = build(spec, theta, X, Y, loss)
    if grads is None:
        grads = _analytic(spec, net, backward, bug)
    names = [n for l in range(spec.L, 0, -1) for n in (f"W{l}", f"b{l}")]  # noqa: E741
    total = sum(theta[n].size for n in names)
    base = dict(mode=mode, threshold=float(threshold), eps=eps, k=None if mode == "full" else int(k),
                seed=None if mode == "full" else seed, parameters=total, m=net.m, warnings=tuple(notes),
                network=spec.describe(), bug=bug, cost=net.J0)
    if not math.isfinite(net.J0):
        return GradcheckReport(tensors=(), cost_finite=False, **base)
    given, _ = as_float64(grads, "grads")
    rows, usable, shape_kinds, grad_names = line_up({n: theta[n] for n in names}, given, mode)
    tick = _progress(progress)
    scale = rounding_scale(net)
    if mode == "directional":
        found, evaluations, left_out = _directional(net, theta, usable, eps, int(k), seed, threshold, tick)
        rows.update(found)
        order = ([rows[THETA]] if THETA in rows else []) + [rows[n] for n in names if n in rows]
        return GradcheckReport(tensors=tuple(order), evaluations=evaluations, extra={"left_out": left_out}, **base)
    def batched(name: str, flat: np.ndarray, advance: Callable[[int], None]):
        return (*numeric_tensor(net, name, flat, eps, batch, advance), 2 * flat.size)

    found, evaluations = check_coordinates(batched, theta, usable, given, grad_names, shape_kinds, names, mode=mode,
                                           k=k, seed=seed, eps=eps, threshold=threshold, scale=scale, m=net.m, tick=tick)
    rows.update(found)
    return GradcheckReport(tensors=tuple(rows[n] for n in names if n in rows), evaluations=evaluations,
                           method="fast_exact", **base)


def _analytic(spec, net: Network, backward: Callable | None, bug: str | None) -> dict[str, np.ndarray]:
    from shapecheck.gradients.bugs import backward_with

    if backward is None:
        backward = backward_with(bug)  # with bug=None: the engine's own backward and steps
    caches = [((net.A[l - 1], net.W[l], net.b[l]), net.Z[l]) for l in range(1, net.L + 1)]  # noqa: E741
    return backward(spec, net.A[net.L], net.Y, caches, net.loss)


def _directional(net: Network, theta, usable, eps, k, seed, threshold, tick):
    """k seeded directions v through all parameters: (J(θ + εv) − J(θ − εv)) / 2ε against g·v.

    Parameters that sit on a kink for any step (b[l][i] or W[l][i, j] moving a ReLU input that is
    exactly 0) are left out of every direction. A direction whose steps still move a ReLU input
    across 0 is tried again with ε/16 and ε/256 (its rounding noise grows to match), then set
    aside for another (at most 4k in all). When the whole fails, the same directions restricted to
    each tensor say which tensor it is.
    """
    rng = np.random.default_rng(seed)
    free = {n: ~mask for n, mask in certain_kinks(net).items() if n in usable}
    state = {"done": 0, "evaluations": 1}
    todo = k * (1 + len(usable))

    def probe(v, parts) -> tuple[float, float, bool, float]:
        for step in (eps, eps / 16, eps / 256):
            J, kinked = [], False
            for sign in (1, -1):
                moved = dict(theta)
                for n in parts:
                    moved[n] = theta[n] + sign * step * v[n]
                Jd, kd = _whole_pass(net, moved)
                J.append(Jd)
                kinked |= kd
            state["evaluations"] += 2
            if not kinked:
                break
        # the step actually taken, coordinate by coordinate: g·v̂, v̂ = ((θ + εv) − (θ − εv)) / 2ε
        analytic = sum(float(np.sum(usable[n] * (((theta[n] + step * v[n]) - (theta[n] - step * v[n])) / (2 * step))))
                       for n in parts)
        state["done"] += 1
        tick(min(state["done"], todo), todo)
        return analytic, (J[0] - J[1]) / (2 * step), kinked, step

    kept, results, set_aside = [], [], 0
    while len(kept) < k and len(kept) + set_aside < 4 * k:
        v = {n: rng.standard_normal(theta[n].shape) * free[n] for n in usable}
        found = probe(v, list(usable))
        if found[2]:
            set_aside += 1
            continue
        kept.append(v)
        results.append(found)
    scale = rounding_scale(net)
    size = sum(theta[n].size for n in usable)
    indices = np.arange(len(kept))[:, None]
    noise = [rounding_noise(scale, r[3]) for r in results]
    theta_row = compare(THETA, THETA, (size,), [r[0] for r in results], [r[1] for r in results], indices,
                        np.zeros(len(kept), dtype=bool), noise, threshold, m=net.m, directional=True)
    theta_row = replace(theta_row, kinks=set_aside)
    if not kept:  # every direction crossed a kink: no evidence either way
        theta_row = replace(theta_row, band="all_kinks", difference=float("nan"))
    rows = {THETA: theta_row}
    if not theta_row.passed:
        for name in usable:
            found = [probe(v, [name]) for v in kept]
            rows[name] = compare("d" + name, name, theta[name].shape, [f[0] for f in found], [f[1] for f in found],
                                 indices, [f[2] for f in found], [rounding_noise(scale, f[3]) for f in found],
                                 threshold, m=net.m, directional=True)
    left_out = int(sum((~free[n]).sum() for n in usable))
    return rows, state["evaluations"], left_out


def certain_kinks(net: Network) -> dict[str, np.ndarray]:
    """Parameters whose every step crosses a kink: they move a ReLU input that is 0 at θ (within its rounding).

    Z[l][i, c] = 0 (a dead example with b = 0, say) is crossed by any step of b[l][i], and of
    W[l][i, j] when A[l-1][j, c] ≠ 0. (Deeper effects go through the next layers' ReLUs; the
    directional check sees those when it steps.)
    """
    masks = {}
    for l in range(1, net.L + 1):  # noqa: E741
        if net.g(l) in kink_tests.KINKED:
            zero = (np.abs(net.Z[l]) <= net.tie[l]).astype(np.float64)  # (n[l], m): a tie at 0
            masks[f"W{l}"] = (zero @ (net.A[l - 1] != 0).T.astype(np.float64)) > 0  # (n[l], n[l-1])
            masks[f"b{l}"] = zero.any(axis=1, keepdims=True)  # (n[l], 1)
        else:
            masks[f"W{l}"] = np.zeros(net.W[l].shape, dtype=bool)
            masks[f"b{l}"] = np.zeros(net.b[l].shape, dtype=bool)
    return masks


def _whole_pass(net: Network, params) -> tuple[float, bool]:
    """J at other parameters, and whether any ReLU input is on the other side of 0 than at θ."""
    A, kinked = net.A[0], False
    for l in range(1, net.L + 1):  # noqa: E741
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        if net.g(l) in kink_tests.KINKED:
            kinked |= bool(np.any(kink_tests.crossed(Z, net.Z[l], net.tie[l])))
        A = _activation(net.g(l))(Z)
    return net.factor * float(column_terms(net, Z[:, None, :], A[:, None, :], slice(None))[0]), kinked
