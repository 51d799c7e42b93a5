"""The classic mistakes of L_model_backward, injected on purpose, and how to recognise them.

``BUGS`` is a documented set of mistakes learners make (course forums): each has a name, a
one-line description (``describe``) and the tensors it touches (``touches``). ``backward_with(name)``
is a copy of the engine's backward with that one mistake in it (the engine itself is never
changed), so ``shapecheck gradcheck 5 4 3 1 --bug missing_1_over_m`` shows what a failing report
looks like and why.

``fingerprint`` reads the evidence of one failing tensor (analytic against numeric: a factor m,
a sign, a transpose, a rank-1 shape, ...) and ``explain`` turns a report into its one-line
conclusion: the first wrong tensor in backward order and what that pattern usually means.

    >>> [bug.name for bug in BUGS][:3]
    ['missing_1_over_m', 'transposed_dW', 'db_no_keepdims']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

if TYPE_CHECKING:  # pragma: no cover
    from shapecheck.gradients.gradcheck import GradcheckReport, Pattern
    from shapecheck.spec.networks import DenseNet


# --- the documented mistakes ------------------------------------------------------------------------


def _all(spec, m, loss) -> list[str]:
    return [n for l in range(spec.L, 0, -1) for n in (f"dW{l}", f"db{l}")]  # noqa: E741


def _dW(spec, m, loss) -> list[str]:
    return [f"dW{l}" for l in range(spec.L, 0, -1)]  # noqa: E741


def _db(spec, m, loss) -> list[str]:
    return [f"db{l}" for l in range(spec.L, 0, -1)]  # noqa: E741


def _transposable(spec, m, loss) -> list[str]:  # a 1×1 dW is its own transpose
    return [f"dW{l}" for l in range(spec.L, 0, -1) if spec.n(l) * spec.n(l - 1) > 1]  # noqa: E741


def _db_axis(spec, m, loss) -> list[str]:  # summing a (1, 1) dZ over either axis gives the same
    return [f"db{l}" for l in range(spec.L, 0, -1) if spec.n(l) > 1 or m > 1]  # noqa: E741


def _hidden(spec, m, loss) -> list[str]:
    return [n for l in range(spec.L - 1, 0, -1) for n in (f"dW{l}", f"db{l}")]  # noqa: E741


def _cross_entropy(spec, m, loss) -> list[str]:  # with MSE, dA[L] = A − Y is right
    from shapecheck.engine import losses

    return _all(spec, m, loss) if losses.resolve_loss(loss, spec.activations[-1]) != losses.MSE else []


def _more_than_one_example(spec, m, loss) -> list[str]:
    return _all(spec, m, loss) if m > 1 else []


@dataclass(frozen=True)
class Bug:
    """One classic mistake: its name, what it does, and the tensors it changes on a given network."""

    name: str
    _touches: Callable

    def describe(self) -> str:
        return msg(f"gradcheck.bug_{self.name}")

    def where(self) -> str:
        """The tensors it touches, in words ("dW[l] of every layer")."""
        return msg(f"gradcheck.bug_{self.name}_touches")

    def touches(self, spec: DenseNet, m: int, loss: str | None = None) -> list[str]:
        """The gradients this mistake changes on ``spec`` with m examples, in backward order (empty: none)."""
        return list(self._touches(spec, m, loss))


BUGS: tuple[Bug, ...] = (
    Bug("missing_1_over_m", _more_than_one_example),
    Bug("transposed_dW", _transposable),
    Bug("db_no_keepdims", _db),
    Bug("db_wrong_axis", _db_axis),
    Bug("wrong_sign_dAL", _all),
    Bug("dAL_is_dZL", _cross_entropy),
    Bug("wrong_activation_derivative", _hidden),
    Bug("dW_uses_A", _dW),
)
BUG_NAMES = tuple(b.name for b in BUGS)


def get_bug(name: str) -> Bug:
    for bug in BUGS:
        if bug.name == name:
            return bug
    raise ShapecheckError("gradcheck.unknown_bug", value=name, known=", ".join(BUG_NAMES))


def backward_with(name: str | None) -> Callable:
    """A copy of the engine's backward(spec, AL, Y, caches, loss=None) with one mistake in it (None: none).

    The copy follows ``shapecheck.engine.dense._backward`` line for line; with ``None`` it returns
    the engine's own numbers, which a test checks.
    """
    if name is not None:
        get_bug(name)

    def backward(spec, AL, Y, caches, loss=None, with_dA0: bool = True) -> dict[str, np.ndarray]:  # noqa: N803
        from shapecheck.engine import losses
        from shapecheck.engine.activations import activation_backward
        from shapecheck.engine.init import as_dense_net

        spec = as_dense_net(spec)
        AL, Y = np.asarray(AL, dtype=np.float64), np.asarray(Y, dtype=np.float64)
        loss = losses.resolve_loss(loss, spec.activations[-1])
        L, output = spec.L, spec.activations[-1]
        ZL = caches[L - 1][1]
        if name == "dAL_is_dZL":  # A − Y is dZ[L]; taken for dA[L], g'[L] is applied a second time
            dZ = activation_backward(output, AL - Y, ZL, AL)
        else:
            dZ = losses.output_delta(output, loss, AL, Y)
            if dZ is None:
                dZ = activation_backward(output, losses.loss_derivative(loss, AL, Y), ZL, AL)
        if name == "wrong_sign_dAL":  # dZ[L] is linear in dA[L]: a flipped dA[L] flips dZ[L]
            dZ = -dZ
        grads: dict[str, np.ndarray] = {}
        for l in range(L, 0, -1):  # noqa: E741
            (A_prev, W, b), Z = caches[l - 1]
            if l < L:
                g = spec.activations[l - 1]
                A = caches[l][0][0]
                if name == "wrong_activation_derivative":  # the backward helpers swapped
                    wrong = "relu" if g == "sigmoid" else "sigmoid"
                    dZ = activation_backward(wrong, dA, Z)
                else:
                    dZ = activation_backward(g, dA, Z, A)
            m = A_prev.shape[1]
            scale = 1.0 if name == "missing_1_over_m" else 1 / m
            if name == "transposed_dW":
                dW = (1 / m) * (A_prev @ dZ.T)  # (n[l-1], n[l])
            elif name == "dW_uses_A":
                A_out = caches[l][0][0] if l < L else AL  # A[l], the layer's output
                dW = (1 / m) * (dZ @ A_out.T)  # (n[l], n[l])
            else:
                dW = scale * (dZ @ A_prev.T)  # (n[l], n[l-1])
            if name == "db_no_keepdims":
                db = (1 / m) * np.sum(dZ, axis=1)  # (n[l],): against b (n[l], 1) it broadcasts to (n[l], n[l])
            elif name == "db_wrong_axis":
                db = (1 / m) * np.sum(dZ, axis=0, keepdims=True)  # (1, m)
            else:
                db = scale * np.sum(dZ, axis=1, keepdims=True)  # (n[l], 1)
            grads[f"dW{l}"], grads[f"db{l}"] = dW, db
            if l > 1 or with_dA0:
                dA = W.T @ dZ  # (n[l-1], m)
                grads[f"dA{l - 1}"] = dA
        return grads

    return backward


# --- recognising a mistake from its numbers --------------------------------------------------------


def fingerprint(a: np.ndarray, n: np.ndarray, tol: np.ndarray, *, transposed: np.ndarray | None = None,
                m: int | None = None, shape_kind: str | None = None) -> "Pattern":
    """What the analytic values ``a`` look like against the numeric ``n`` (``tol``: the noise bar of each).

    A constant factor (m: the 1/m is missing; 1/m: applied twice; −1: a sign), the transpose, a
    rank-1 shape, all zeros on one side, some entries right and others not, or no simple pattern.
    """
    from shapecheck.gradients.gradcheck import Pattern

    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    tol = np.broadcast_to(np.asarray(tol, dtype=np.float64), n.shape)
    agree = np.abs(a - n) <= tol + 1e-6 * np.abs(n)
    total, matching = int(n.size), int(agree.sum())
    if shape_kind is not None:
        return Pattern(shape_kind, matching=matching, total=total)
    big_n, big_a = np.abs(n) > tol, np.abs(a) > tol
    if big_n.any() and not big_a.any():
        return Pattern("zero_analytic", total=total)
    if big_a.any() and not big_n.any():
        return Pattern("zero_numeric", total=total)
    if big_n.any():
        c = float(a @ n / (n @ n))  # least squares: a ≈ c·n
        # how far rounding alone can move c: the noise bars against the size of the numeric gradient
        spread = (1 + abs(c)) * float(np.linalg.norm(tol) / np.linalg.norm(n)) + 1e-6 * abs(c)
        if abs(c - 1) > max(1e-3, spread) and np.all(np.abs(a - c * n) <= (1 + abs(c)) * tol + 1e-6 * np.abs(a)):
            known = (("missing_1_over_m", m), ("extra_1_over_m", None if not m else 1 / m), ("opposite_sign", -1))
            for kind, value in known:
                if value is not None and abs(c - value) <= spread + 1e-6 * abs(value):
                    return Pattern(kind, factor=c, total=total)
            return Pattern("factor", factor=c, total=total)
    if transposed is not None and np.all(np.abs(np.asarray(transposed) - n) <= tol + 1e-6 * np.abs(n)):
        return Pattern("transposed_values", total=total)
    if 0 < matching < total:
        return Pattern("partly_right", matching=matching, total=total)
    return Pattern("none", total=total)


_NUMBERED = re.compile(r"^d?([Wb])(\d+)$")
_WHERE_KINDS = ("none", "partly_right", "factor", "zero_analytic", "opposite_sign")


def explain(report: "GradcheckReport") -> str:
    """The report's conclusion: pass (with what was set aside), or the first wrong tensor and what it usually means."""
    if not report.cost_finite:
        return msg("gradcheck.cost_not_finite", cost=report.cost)
    if report.passed:
        rows = [t for t in report.tensors if t.name != "theta"]
        if report.mode == "directional" and len(rows) < len(report.tensors):
            count = sum(t.checked for t in report.tensors if t.name == "theta")
            parts = [msg("gradcheck.conclusion_pass_directional", count=count, difference=report.difference,
                         threshold=report.threshold)]
        else:
            parts = [msg("gradcheck.conclusion_pass", count=len(rows), difference=report.difference,
                         threshold=report.threshold)]
        quiet = [t.name for t in report.tensors if t.band == "acceptable"]
        if quiet:
            parts.append(msg("gradcheck.conclusion_noise", names=", ".join(quiet), floor=report.rounding_floor))
        if report.kinks:
            parts.append(msg("gradcheck.conclusion_kinks", count=report.kinks))
        return " ".join(parts)
    t = report.first_failure
    parts = [msg("gradcheck.first_wrong", name=t.name, band=msg(f"gradcheck.band_{t.band}"))]
    if t.name == "theta" and len(report.tensors) == 1:
        parts.append(msg("gradcheck.pattern_theta"))
    if t.pattern is not None:
        parts.append(_pattern_sentence(t, report.m))
        if t.pattern.kind in _WHERE_KINDS:
            where = _where(t, report)
            if where:
                parts.append(where)
    return " ".join(parts)


def _pattern_sentence(t, m: int | None) -> str:
    p = t.pattern
    fields = dict(name=t.name, param=t.param, expected=_shape(t.shape), actual=_shape(t.grad_shape or ()),
                  m=m, factor=p.factor, matching=p.matching, total=p.total, where=p.where,
                  index=None if p.index is None else _shape(p.index))
    if p.kind in ("transposed", "rank1"):
        key = f"gradcheck.pattern_{p.kind}_{'match' if p.total and p.matching == p.total else 'differ'}"
        return msg(key, **fields)
    if p.kind == "not_finite":
        return msg(f"gradcheck.pattern_not_finite_{p.where}", **fields)
    if p.kind == "factor" and abs(p.factor - round(p.factor)) < 1e-4 * abs(p.factor) and round(p.factor) >= 2:
        return msg("gradcheck.pattern_whole_factor", **fields)
    return msg(f"gradcheck.pattern_{p.kind}", **fields)


def _where(t, report) -> str | None:
    """Which formula the evidence points at, from which neighbours agree (dense layer names only)."""
    match = _NUMBERED.match(t.name)
    rows = {r.name: r for r in report.tensors}
    numbered = [_NUMBERED.match(r.name) for r in report.tensors if r.name != "theta"]
    if not match or not all(numbered) or t.directional and len(rows) == 1:
        return None
    kind, l = match.group(1), int(match.group(2))  # noqa: E741
    L = max(int(x.group(2)) for x in numbered)
    partner = rows.get(f"d{'b' if kind == 'W' else 'W'}{l}")
    if partner is not None and _values_agree(partner):
        return msg("gradcheck.where_dW" if kind == "W" else "gradcheck.where_db", l=l, prev=l - 1)
    if l == L:
        return msg("gradcheck.where_output", l=l)
    return msg("gradcheck.where_hidden", l=l, next=l + 1)


def _values_agree(t) -> bool:
    """Passed, or failed only on its shape while every value is right."""
    p = t.pattern
    if t.checked == 0:  # all kinks, or nothing compared: no evidence that it agrees
        return False
    return t.passed or (p is not None and p.kind in ("transposed", "rank1") and p.total > 0 and p.matching == p.total)


def _shape(shape) -> str:
    return "(" + ", ".join(str(int(d)) for d in shape) + ("," if len(shape) == 1 else "") + ")"
