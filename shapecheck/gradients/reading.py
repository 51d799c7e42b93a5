"""Reading a failed gradient check: what its numbers look like, and what that usually means.

``fingerprint`` reads the evidence of one failing tensor (analytic against numeric: a factor m,
a sign, a transpose, a rank-1 shape, ...) into a ``Pattern``; ``explain`` turns a report into its
one-line conclusion: the first wrong tensor in backward order and what its pattern usually means.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from shapecheck.core.dims import show
from shapecheck.core.messages import msg

if TYPE_CHECKING:  # pragma: no cover
    from shapecheck.gradients.gradcheck import GradcheckReport


def _num(value: float | None) -> float | None:
    """A JSON number: NaN and inf have no JSON spelling, so they become null."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)



@dataclass(frozen=True)
class Pattern:
    """What the numbers of a failing tensor look like: the evidence behind the conclusion.

    kind: missing_1_over_m, extra_1_over_m, opposite_sign, factor, transposed_values (square,
    values transposed), transposed / rank1 / shape (the gradient's shape is wrong), missing,
    zero_analytic, zero_numeric, partly_right, none, not_finite.
    """

    kind: str
    factor: float | None = None  # analytic / numeric, for the factor kinds
    matching: int = 0  # entries that agree, for partly_right
    total: int = 0
    where: str | None = None  # not_finite: "parameter", "analytic" or "numeric"
    index: tuple[int, ...] | None = None  # not_finite: the first bad entry

    def to_json(self) -> dict:
        return {"kind": self.kind, "factor": _num(self.factor), "matching": self.matching, "total": self.total,
                "where": self.where, "index": None if self.index is None else list(self.index)}



# --- recognising a mistake from its numbers --------------------------------------------------------


def fingerprint(a: np.ndarray, n: np.ndarray, tol: np.ndarray, *, transposed: np.ndarray | None = None,
                m: int | None = None, shape_kind: str | None = None) -> Pattern:
    """What the analytic values ``a`` look like against the numeric ``n`` (``tol``: the noise bar of each).

    A constant factor (m: the 1/m is missing; 1/m: applied twice; −1: a sign), the transpose, a
    rank-1 shape, all zeros on one side, some entries right and others not, or no simple pattern.
    """
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
    return show(tuple(int(d) for d in shape))  # numpy integers print as plain numbers
