"""Gradient descent for several runs of one network at once: the runs are stacked on a leading axis.

Every run of a group has the same spec and the same initial parameters; only its learning rate α
differs. W[l] becomes (R, n[l], n[l-1]) and A[l] (R, n[l], m): each ``@`` is one BLAS call per run,
made by numpy in one go, so R runs cost little more than one (the networks of a sweep are small and
numpy's per-call overhead, not arithmetic, is what a step costs). Every number equals the engine's
own ``train`` for that run: the same operations in the same order, one run's matrices at a time
(tests/test_tune_sweep.py compares them exactly).

A run whose cost is no longer finite (NaN or ±inf) stops there and leaves the stack: nothing it
computes afterwards means anything, and it must not slow the others down.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from shapecheck.engine import losses
from shapecheck.engine.activations import activation_backward, activation_forward
from shapecheck.spec.networks import DenseNet

Params = dict[str, np.ndarray]


@dataclass
class RunTrace:
    """What one run left behind: J at every iteration, the recorded costs, its final parameters."""

    curve: np.ndarray  # (iterations + 1,): J before update t, t = 0..iterations-1, then J after the last one
    recorded: list[tuple[int, float]]  # (iteration, J) at 0, every, 2·every, ... and at the end
    params: Params
    stopped_at: int | None = None  # the iteration whose cost was not finite


def stackable(spec: DenseNet, loss: str) -> bool:
    """Softmax and categorical cross-entropy act on axis 0, the classes: they run one network at a time."""
    return "softmax" not in spec.activations and loss != losses.CCE


def _stacked_costs(spec: DenseNet, loss: str, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray) -> np.ndarray:  # noqa: N803
    """J of every run, (R,): the same formulas as ``losses.training_cost`` summed per run (for the verdicts' curve)."""
    m = Y.shape[1]
    if loss == losses.BCE:  # with a sigmoid output (resolve_loss allows no other stackable one)
        per_entry = losses.binary_cross_entropy_from_logits(ZL, Y)  # (R, n[L], m)
        return (1 / m) * per_entry.sum(axis=(1, 2))
    return (1 / (2 * m)) * ((AL - Y) ** 2).sum(axis=(1, 2))  # mean squared error


def _swap(A: np.ndarray) -> np.ndarray:
    """The transpose of each run's matrix (a view): (R, p, q) -> (R, q, p); a shared 2-D X -> X.T."""
    return A.T if A.ndim == 2 else A.transpose(0, 2, 1)


def train_stack(
    spec: DenseNet,
    params: Params,
    X: np.ndarray,  # noqa: N803
    Y: np.ndarray,  # noqa: N803
    learning_rates: Sequence[float],
    iterations: int,
    every: int,
    loss: str,
    on_step: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> list[RunTrace]:
    """Train len(learning_rates) copies of ``params`` by gradient descent, one α each; shapes already checked.

    ``on_step(k)`` is called every ``every`` iterations with the number of run-iterations just done. When
    ``stop`` is set (Ctrl-C), the iteration under way is the last: every run keeps what it has done.
    """
    L, m, R = spec.L, X.shape[1], len(learning_rates)
    g = spec.activations
    W = [np.repeat(params[f"W{l}"][np.newaxis], R, axis=0) for l in range(1, L + 1)]  # (R, n[l], n[l-1])
    b = [np.repeat(params[f"b{l}"][np.newaxis], R, axis=0) for l in range(1, L + 1)]  # (R, n[l], 1)
    alpha = np.array(learning_rates, dtype=np.float64)[:, np.newaxis, np.newaxis]  # (R, 1, 1)
    natural = (g[-1], loss) in losses.NATURAL_PAIRS
    curve = np.full((R, iterations + 1), np.nan)
    recorded: list[list[tuple[int, float]]] = [[] for _ in range(R)]
    final: list[Params | None] = [None] * R
    stopped: list[int | None] = [None] * R
    active = np.arange(R)  # which of the R runs each row of the stack holds
    done_since = 0
    last = iterations  # the final iteration: earlier when stopped

    def keep(rows: np.ndarray) -> None:
        nonlocal W, b, alpha, active, As, Zs
        W, b = [w[rows] for w in W], [c[rows] for c in b]
        alpha, active = alpha[rows], active[rows]
        As = [As[0]] + [a[rows] for a in As[1:]]  # As[0] is X, shared by all runs
        Zs = [z[rows] for z in Zs]

    def freeze(row: int) -> None:
        final[active[row]] = {**{f"W{l}": W[l - 1][row].copy() for l in range(1, L + 1)},
                              **{f"b{l}": b[l - 1][row].copy() for l in range(1, L + 1)}}

    for i in range(iterations + 1):
        # forward: Z[l] = W[l]·A[l-1] + b[l], A[l] = g[l](Z[l])
        As, Zs = [X], []
        for l in range(L):  # noqa: E741 - index l is layer l + 1
            Z = W[l] @ As[-1]  # (R, n[l], m)
            Z += b[l]  # b (R, n[l], 1) broadcasts over the m columns
            Zs.append(Z)
            As.append(activation_forward(g[l], Z))  # (R, n[l], m)
        AL, ZL = As[-1], Zs[-1]
        costs = _stacked_costs(spec, loss, AL, Y, ZL)  # (R,)
        if stop is not None and stop.is_set() and last == iterations:
            last = i
        if i % every == 0 or i == last:
            for row, run in enumerate(active):
                exact = losses.training_cost(spec.activations[-1], loss, AL[row], Y, ZL[row])
                costs[row] = exact  # the recorded points are the engine's own numbers
                recorded[run].append((i, exact))
        curve[active, i] = costs
        finite = np.isfinite(costs)
        if i == last or not finite.all():
            for row in np.flatnonzero(~finite if i < last else np.ones(len(active), bool)):
                if i < last:
                    stopped[active[row]] = i
                    if not recorded[active[row]] or recorded[active[row]][-1][0] != i:
                        recorded[active[row]].append((i, float(costs[row])))
                freeze(row)
            if i == last or finite.sum() == 0:
                break
            keep(np.flatnonzero(finite))
            AL, ZL = As[-1], Zs[-1]
        # backward: dZ[L] = A[L] − Y for the natural pairs, then dZ[l] = dA[l] ∗ g'(Z[l])
        if natural:
            dZ = AL - Y  # (R, n[L], m)
        else:
            dZ = activation_backward(g[-1], losses.loss_derivative(loss, AL, Y), ZL, AL)
        dA = None  # dA[l], from the layer above: none above the output layer
        for l in range(L - 1, -1, -1):  # noqa: E741
            if dA is not None:
                dZ = activation_backward(g[l], dA, Zs[l], As[l + 1])  # (R, n[l], m)
            dW = (1 / m) * (dZ @ _swap(As[l]))  # (R, n[l], n[l-1])
            db = (1 / m) * np.sum(dZ, axis=-1, keepdims=True)  # (R, n[l], 1)
            dA = _swap(W[l]) @ dZ if l > 0 else None  # (R, n[l-1], m), with W[l] before its update
            W[l] = W[l] - alpha * dW
            b[l] = b[l] - alpha * db
        done_since += len(active)
        if on_step is not None and (i + 1) % every == 0:
            on_step(done_since)
            done_since = 0
    if on_step is not None and done_since:
        on_step(done_since)
    return [RunTrace(curve[r][: (stopped[r] if stopped[r] is not None else last) + 1], recorded[r], final[r], stopped[r])
            for r in range(R)]
