"""Rubric and scores: points per contract function, and what an inherited failure earns.

```toml
kind = "dnn"          # optional: the assignment (else --kind, else each file's own)
inherited = "full"    # full | none | half: a function that fails only because a callee does
[points]              # optional: default 1 point for every function of the assignment
linear_forward = 10
linear_backward = 20
```

A function earns its points when it passes, none when it fails, errs, times out, crashes or is
missing. An inherited failure earns full, none or half the points (default full: one mistake is
charged once). Functions a ``[points]`` table leaves out are not scored, and ``grade`` warns about
each (a forgotten line is the usual reason); ``name = 0`` leaves one out on purpose, silently.
Points are finite numbers from 0 to ``MAX_POINTS``.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from shapecheck.diagnosis.contract import KINDS, NAMES
from shapecheck.diagnosis.edition import OLD as OLD_EDITION
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.text_files import decode_utf8

POLICIES = {"full": 1.0, "half": 0.5, "none": 0.0}
KEYS = ("kind", "inherited", "points")
MAX_POINTS = 1e6  # per function: a larger number is a typo (1e400 reads as infinity)


@dataclass(frozen=True)
class FunctionScore:
    name: str
    status: str  # pass | fail | missing | error | timeout | crash
    inherited_from: str | None
    points: float
    max_points: float

    def to_json(self) -> dict:
        return {"name": self.name, "status": self.status, "inherited_from": self.inherited_from,
                "points": self.points, "max_points": self.max_points}


@dataclass(frozen=True)
class Score:
    score: float
    max_score: float
    functions: tuple[FunctionScore, ...] = ()


def _since(kind: str, name: str) -> str | None:
    """The edition that brought the function in ("2021+"), or None when both editions have it."""
    return next((c.notes.get("since") for c in KINDS[kind] if c.name == name), None)


@dataclass(frozen=True)
class Rubric:
    points: dict[str, float] | None = None  # None: 1 point for every function of the assignment (but the optional ones)
    inherited: str = "full"
    kind: str | None = None
    source: str | None = None  # the rubric file, if any

    def points_for(self, kind: str) -> dict[str, float]:
        """Points per function of ``kind``'s assignment, in the assignment's order."""
        names = [c.name for c in KINDS[kind]]
        if self.points is None:  # a function a file may leave out (Contract.notes "optional") scores only when a rubric names it
            return {c.name: 1.0 for c in KINDS[kind] if not c.notes.get("optional")}
        return {name: self.points[name] for name in names if self.points.get(name)}

    def unscored(self, kind: str) -> list[str]:
        """Functions of ``kind``'s assignment the ``[points]`` table forgot (``name = 0`` is not forgetting)."""
        if self.points is None:
            return []
        return [c.name for c in KINDS[kind] if c.name not in self.points and not c.notes.get("optional")]

    def max_score(self, kind: str) -> float:
        return _round(sum(self.points_for(kind).values()))

    def score(self, report: dict) -> Score:
        """The score of one diagnose report (its JSON). A function the file's edition of the notebook does not have
        (the 2017–20 optimization notebook has no learning-rate decay), or that could not be checked (it uses a
        package the checker lacks), is not scored."""
        points = self.points_for(report["kind"])
        unchecked = {f["name"] for f in report["functions"] if f.get("checked") is False}  # no verdict, no score
        points = {name: full for name, full in points.items() if name not in unchecked}
        if report.get("edition") == OLD_EDITION:
            points = {name: full for name, full in points.items() if _since(report["kind"], name) != "2021+"}
        rows = []
        for function in report["functions"]:
            name = function["name"]
            if name not in points:
                continue
            full = points[name]
            status, inherited_from = function["status"], function.get("inherited_from")
            if status == "pass":
                earned = full
            elif inherited_from and status != "missing":
                earned = full * POLICIES[self.inherited]
            else:
                earned = 0.0
            rows.append(FunctionScore(name, status, inherited_from, _round(earned), full))
        return Score(_round(sum(r.points for r in rows)), _round(sum(points.values())), tuple(rows))

    def to_json(self) -> dict:
        return {"kind": self.kind, "inherited": self.inherited, "points": self.points, "source": self.source}


def _round(value: float) -> float:
    return round(float(value), 4)


def load_rubric(path: str | Path) -> Rubric:
    """Read a rubric; any problem is a ShapecheckError that names the file and the line."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ShapecheckError("grade.rubric_unreadable", path=p, reason=exc.strerror or exc) from None
    text = decode_utf8(p, data)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ShapecheckError("grade.rubric_syntax", path=p, reason=exc) from None
    lines = text.splitlines()

    def fail(message_id: str, key: str, **fields) -> ShapecheckError:
        return ShapecheckError(message_id, path=p, line=_line_of(lines, key), key=key, **fields)

    for key in data:
        if key not in KEYS:
            raise fail("grade.rubric_unknown_key", key, known=", ".join(KEYS))
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        raise fail("grade.rubric_bad_kind", "kind", value=kind, kinds=", ".join(KINDS))
    inherited = data.get("inherited", "full")
    if inherited not in POLICIES:
        raise fail("grade.rubric_bad_policy", "inherited", value=inherited)
    points = data.get("points")
    if points is not None:
        if not isinstance(points, dict):
            raise fail("grade.rubric_points_table", "points")
        names = [c.name for c in KINDS[kind]] if kind else list(NAMES)
        for name, value in points.items():
            if name not in names:
                near = difflib.get_close_matches(name, names, n=1)
                if near:
                    raise fail("grade.rubric_unknown_function_close", name, kind=kind or "dnn / rnn", suggestion=near[0])
                raise fail("grade.rubric_unknown_function", name, kind=kind or "dnn / rnn")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_POINTS:
                raise fail("grade.rubric_bad_points", name, value=value, most=f"{MAX_POINTS:g}")
        kinds = {k for k, contracts in KINDS.items() if any(c.name in points for c in contracts)}
        if kind is None and len(kinds) > 1:
            raise fail("grade.rubric_mixed_kinds", next(iter(points)))
        kind = kind or (kinds.pop() if kinds else None)
        if not points or sum(points.values()) <= 0:
            raise fail("grade.rubric_no_points", "points")
        points = {name: float(value) for name, value in points.items()}
    return Rubric(points, inherited, kind, str(p))


def _line_of(lines: list[str], key: str) -> int:
    """The line where ``key`` is set (or its table starts): for a message that says where to look."""
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|[\"']?{re.escape(key)}[\"']?\s*=)")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number
    return 1
