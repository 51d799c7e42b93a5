"""The fast full gradient check of the course's lstm_backward (Ng convention).

A step of one gate's weight W[g][i, j] changes one row of that gate's pre-activation, by
δ·[a⟨t-1⟩; x⟨t⟩][j]: it is added to the shared product W·[a; x], and all perturbations run at once
as blocks of examples of one pass through time (``lstm_costs``), through the engine's one LSTM step. The numbers are the naive loop's
centered differences of J = Σ a⟨t⟩ ∗ da⟨t⟩, within its rounding.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping

import numpy as np

from shapecheck.gradients.fastcheck import CHUNK
from shapecheck.gradients.gradcheck import (
    check_coordinates, line_up, EPS, THRESHOLD, GradcheckReport, as_float64, check_options, compare, rounding_noise, upcast_warning, _progress,
    _transposed_values,
)
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.tensors import LSTM_GATES, LSTM_STEP  # noqa: F401 - LSTM_GATES: this module's readers use it
from shapecheck.engine.activations import gate_affine
from shapecheck.engine.lstm_kernels import LSTM_ORDER, LSTM_SIGMOID, lstm_step, lstm_weights
from shapecheck.engine.rnn_kernels import rows as rows_of


LSTM_PARAMS = LSTM_STEP  # the course's gate order, in which the report lists the tensors


def lstm_costs(parameters: Mapping[str, np.ndarray], x: np.ndarray, a0: np.ndarray, da: np.ndarray,
               kinds: np.ndarray, rows: np.ndarray, cols: np.ndarray, steps: np.ndarray,
               delta: np.ndarray) -> np.ndarray:
    """J = Σ a⟨t⟩ ∗ da⟨t⟩ after each of P single perturbations, all in one batched pass through time.

    Perturbation p (its examples are block p of the batch) is, by ``kinds[p]``: 0, W[rows[p], cols[p]]
    of the gates stacked in the kernel's order (lstm_kernels.LSTM_ORDER); 1, b[rows[p]]; 2,
    x[cols[p], rows[p], steps[p]] (rows: the example); 3, a0[cols[p], rows[p]]. A step of W[i, j]
    changes row i of the pre-activation by δ·[a⟨t-1⟩; x⟨t⟩][j], and a step of x⟨t⟩[j] changes it by
    δ·W[:, j]: both are added to the shared products, never a whole W per perturbation. The step
    itself is the engine's one LSTM step (lstm_kernels.lstm_step).
    """
    n_a, (n_x, m, T_x) = a0.shape[0], x.shape
    P = delta.size
    W = np.concatenate([parameters[f"W{g}"] for g in LSTM_ORDER])  # (4n_a, n_a + n_x)
    b = np.concatenate([parameters[f"b{g}"] for g in LSTM_ORDER]).reshape(-1)
    half = gate_affine(n_a, np.float64, LSTM_SIGMOID)[0]         # the kernel's σ(z) = ½·tanh(z/2) + ½
    stacked = lstm_weights(W[:, n_a:], W[:, :n_a], b) * half      # [Wxᵀ; Waᵀ; b], σ's columns halved
    WxT, WaT, b = stacked[:n_x], stacked[n_x:-1], stacked[-1]
    block = np.arange(P)
    inputs = (rows_of(x.transpose(1, 2, 0)) @ WxT + b).reshape(m, T_x, 4 * n_a)   # Wx·x⟨t⟩ + b, every step
    on_W, on_b, on_x, on_a0 = (kinds == k for k in range(4))
    a = np.repeat(a0.T[None], P, axis=0)                         # (P, m, n_a)
    a[block[on_a0], rows[on_a0], cols[on_a0]] += delta[on_a0]
    c = np.zeros((P, m, n_a))
    a_next, c_next, tanh_c = np.empty_like(a), np.empty_like(c), np.empty_like(c)
    z = np.empty((P, m, 4 * n_a))
    scratch = np.empty((P * m, n_a))
    W_on_a = on_W & (cols < n_a)
    W_on_x = on_W & (cols >= n_a)
    J = np.zeros(P)
    for t in range(T_x):
        np.matmul(a.reshape(P * m, n_a), WaT, out=z.reshape(P * m, 4 * n_a))   # Wa·a⟨t-1⟩
        z += inputs[:, t]
        now = on_x & (steps == t)
        z[block[now], rows[now]] += delta[now, None] * WxT[cols[now]]          # δ·W[:, j] for x⟨t⟩[j] of one example
        z[block[W_on_a], :, rows[W_on_a]] += (delta * half[rows])[W_on_a, None] * a[block[W_on_a], :, cols[W_on_a]]
        z[block[W_on_x], :, rows[W_on_x]] += (delta * half[rows])[W_on_x, None] * x[cols[W_on_x] - n_a, :, t]
        z[block[on_b], :, rows[on_b]] += (delta * half[rows])[on_b, None]
        lstm_step(z.reshape(P * m, -1), c.reshape(P * m, -1), c_next.reshape(P * m, -1),
                  tanh_c.reshape(P * m, -1), a_next.reshape(P * m, -1), scratch)
        a, a_next, c, c_next = a_next, a, c_next, c
        J += a.reshape(P, -1) @ da[:, :, t].T.ravel()
    return J


def gradcheck_lstm(
    parameters: Mapping[str, Any],
    x: np.ndarray,
    a0: np.ndarray,
    *,
    da: np.ndarray | None = None,
    grads: Mapping[str, Any] | None = None,
    eps: float = EPS,
    mode: str = "full",
    k: int = 10,
    seed: int = 0,
    threshold: float = THRESHOLD,
    batch: int | None = None,
    progress: Callable[[int, int], None] | bool | None = None,
) -> GradcheckReport:
    """Gradient-check the course's lstm_backward: every gate weight and bias, x and a0, against centered differences.

    lstm_backward(da, caches) is the gradient of J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩, so that is the cost
    (``da`` defaults to a seeded standard normal (n_a, m, T_x)). The analytic gradients are
    ``grads`` if given, else the engine's lstm_backward. ``mode="full"`` evaluates every
    coordinate, many perturbations per batched pass through time; the other modes run the
    black-box check on the engine's lstm_forward.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> p = {f"W{g}": rng.standard_normal((3, 5)) for g in "fico"}
    >>> p |= {f"b{g}": rng.standard_normal((3, 1)) for g in "fico"}
    >>> gradcheck_lstm(p, rng.standard_normal((2, 4, 3)), rng.standard_normal((3, 4))).passed
    True
    """
    from shapecheck.gradients.gradcheck import gradcheck
    from shapecheck.engine.rnn import lstm_backward, lstm_forward
    from shapecheck.validate.params import refuse_masked

    check_options(mode, eps, k, threshold)
    theta, upcast = as_float64({n: parameters[n] for n in LSTM_PARAMS if n in parameters}, "parameters")
    refuse_masked(x=x, a0=a0, da=da)                              # (np.array would drop a mask without a word)
    theta["x"], theta["a0"] = np.array(x, dtype=np.float64), np.array(a0, dtype=np.float64)
    full = {**theta, **{n: np.asarray(v, dtype=np.float64) for n, v in parameters.items() if n not in theta}}
    if "Wy" not in full and "by" not in full and theta["a0"].ndim == 2:  # ŷ does not reach a: any will do
        full["Wy"], full["by"] = np.zeros((1, theta["a0"].shape[0])), np.zeros((1, 1))
    a, _, _, caches = lstm_forward(theta["x"], theta["a0"], full)  # checks every shape, one sentence each
    if da is None:
        da = np.random.default_rng(seed).standard_normal(a.shape)
    da = np.asarray(da, dtype=np.float64)
    if da.shape != a.shape:
        raise ShapecheckError("gradcheck.lstm_da_shape", actual=da.shape, expected=a.shape)
    notes = [w for w in (upcast_warning(upcast, eps),) if w]
    if grads is None:
        grads = lstm_backward(da, caches)
    grads = {("dx" if n == "x" else "da0" if n == "a0" else "d" + n): grads.get("d" + n, grads.get(n)) for n in theta}
    grads = {n: g for n, g in grads.items() if g is not None}

    def J(p):
        return float(np.sum(lstm_forward(p["x"], p["a0"], {**full, **p})[0] * da))

    scale = lstm_rounding_scale(a, da)
    if mode != "full":
        report = gradcheck(J, theta, grads, eps=eps, mode=mode, k=k, seed=seed, threshold=threshold, progress=progress,
                           noise_scale=scale)
        return replace(report, network="lstm_forward", warnings=tuple(notes) + report.warnings)
    J0 = J(theta)
    scale += abs(J0)
    tick = _progress(progress)
    total = sum(v.size for v in theta.values())
    n_a, m = theta["a0"].shape
    chunk = max(1, (batch or CHUNK // (4 * n_a * m)) // 2)  # coordinates per pass: 2 perturbations each

    def batched(name: str, flat: np.ndarray, advance: Callable[[int], None]):
        return lstm_numeric(full, da, name, flat, eps, chunk, advance), np.zeros(flat.size, bool), 2 * flat.size

    given, _ = as_float64(grads, "grads")
    rows_out, usable, shape_kinds, names = line_up(theta, given, "full")
    found, _ = check_coordinates(batched, theta, usable, given, names, shape_kinds, list(theta), mode="full", k=0,
                                 seed=seed, eps=float(eps), threshold=threshold, scale=scale, m=m, tick=tick)
    rows_out.update(found)
    order = [n for n in LSTM_PARAMS if n in rows_out] + [n for n in ("a0", "x") if n in rows_out]  # inputs last
    return GradcheckReport(tensors=tuple(rows_out[n] for n in order), mode="full", threshold=float(threshold),
                           eps=float(eps), evaluations=2 * total, cost=J0, parameters=total, m=m,
                           warnings=tuple(notes), network="lstm_forward", method="fast_exact")


def lstm_rounding_scale(a: np.ndarray, da: np.ndarray) -> float:
    """What rounding touches in J = Σ a ∗ da: its terms before they cancel, and Σ |da|, because each
    a⟨t⟩ is rounded to about 2⁻⁵² absolutely, not relatively (a gate σ(z) = (1 + tanh(z/2))/2
    near 0 keeps the absolute precision of the 1 it was added to)."""
    return float(np.sum(np.abs(a * da)) + np.sum(np.abs(da)))


def lstm_numeric(parameters: Mapping[str, np.ndarray], da: np.ndarray, name: str, flat: np.ndarray, eps: float,
                 chunk: int, tick: Callable[[int], None] = lambda n: None) -> np.ndarray:
    """Centered differences of J = Σ a ∗ da for coordinates ``flat`` of ``name`` (a gate's W or b, "x" or "a0").

    ``parameters`` holds the gates and also "x" and "a0"; ``chunk`` coordinates go in each batched pass.
    """
    value, x, a0 = parameters[name], parameters["x"], parameters["a0"]
    numeric = np.empty(flat.size)
    for start in range(0, flat.size, chunk):
        part = flat[start:start + chunk]
        kinds, rows, cols, steps = _lstm_coordinates(name, value.shape, part, a0.shape[0])
        original = value.ravel()[part]
        delta = np.concatenate([(original + eps) - original, (original - eps) - original])  # the naive loop's steps
        J = lstm_costs(parameters, x, a0, da, *(np.concatenate([v, v]) for v in (kinds, rows, cols, steps)), delta)
        numeric[start:start + part.size] = (J[:part.size] - J[part.size:]) / (2 * eps)
        tick(part.size)
    return numeric


def _lstm_coordinates(name: str, shape: tuple[int, ...], flat: np.ndarray, n_a: int):
    """(kinds, rows, cols, steps) of ``lstm_costs`` for coordinates ``flat`` of one tensor."""
    zeros = np.zeros(flat.size, dtype=np.int64)
    if name == "x":  # (n_x, m, T_x): feature j, example c, step t
        j, c, t = np.unravel_index(flat, shape)
        return np.full(flat.size, 2), c, j, t
    if name == "a0":  # (n_a, m)
        i, c = np.unravel_index(flat, shape)
        return np.full(flat.size, 3), c, i, zeros
    offset = LSTM_ORDER.index(name[1]) * n_a  # the gate's rows in the stacked W
    if name[0] == "W":
        i, j = np.unravel_index(flat, shape)
        return zeros, offset + i, j, zeros
    return np.ones(flat.size, dtype=np.int64), offset + flat, zeros, zeros
