"""What the class gets wrong: per-function counts, the most frequent root causes, the score distribution.

All of it is computed from the per-submission records alone (store.py), in id order, so the same
records always give the same class.json and class.csv, however the run that made them went.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter

from shapecheck.diagnosis.contract import KINDS
from shapecheck.diagnosis.report import WARNINGS
from shapecheck.core.messages import catalogue, msg

CATEGORIES = ("passed", "failed", "error", "timeout", "crash", "inherited", "missing")
BINS = 10  # histogram bars, by tenths of the maximum score


def category(function: dict) -> str:
    """A function's result in the class statistics: an inherited failure is counted apart."""
    status = function["status"]
    if status == "pass":
        return "passed"
    if status == "missing":
        return "missing"
    if function.get("inherited_from"):
        return "inherited"
    return "failed" if status == "fail" else status


def cause_label(hint_id: str) -> str:
    """A short name for an evidence rule ("missing 1/m"), for lists of what a class gets wrong."""
    key = f"grade.cause_{hint_id}"
    return msg(key) if key in catalogue() else hint_id.replace("_", " ")


def root_causes(record: dict) -> list[tuple[str | None, str]]:
    """(function, hint rule) of every root cause in one graded record; function None: the file at import."""
    report = record.get("report") or {}
    causes = []
    for function in report.get("functions", []):
        if function["status"] not in ("pass", "missing") and not function.get("inherited_from"):
            problems = function.get("problems") or []
            hint = next((p.get("hint_id") for p in problems if p.get("hint_id")), None) or function["status"]
            causes.append((function["name"], hint))
    for finding in report.get("findings", []):
        if finding.get("hint_id") and finding["hint_id"] not in WARNINGS:  # said, never counted
            causes.append((None, finding["hint_id"]))
    return list(dict.fromkeys(causes))


def function_order(records: list[dict]) -> list[str]:
    """Every function some record scored, in the assignments' order (deep network, then RNN)."""
    seen = {f["name"] for r in records for f in r.get("functions", [])}
    # once each: compute_cost, update_parameters ... are functions of several assignments
    return list(dict.fromkeys(c.name for kind in KINDS.values() for c in kind if c.name in seen))


def summarize(records: list[dict], rubric_json: dict | None = None) -> dict:
    """class.json: the class as a whole, from its records (any order: they are sorted by id)."""
    records = sorted(records, key=lambda r: r["id"])
    graded = [r for r in records if r["status"] == "graded"]
    names = function_order(graded)
    counts = {name: Counter() for name in names}
    for record in graded:
        for function in record["functions"]:
            counts[function["name"]][category(function)] += 1
    causes: dict[tuple, list[str]] = {}
    for record in graded:
        for cause in root_causes(record):
            causes.setdefault(cause, []).append(record["id"])
    order = {name: i for i, name in enumerate(names)}
    ranked = sorted(causes.items(), key=lambda item: (-len(item[1]), order.get(item[0][0], -1), item[0][1]))
    return {
        "students": len(records),
        "graded": len(graded),
        "passed": sum(bool(r.get("passed")) for r in records),
        "functions": [{"name": name, **{c: counts[name][c] for c in CATEGORIES}} for name in names],
        "root_causes": [{"function": function, "hint_id": hint, "label": cause_label(hint), "count": len(ids), "example": ids[0]}
                        for (function, hint), ids in ranked],
        "scores": score_statistics(records),
        "faults": [{"id": r["id"], "status": r["status"], "path": r["path"], "message": (r.get("fault") or {}).get("message", "")}
                   for r in records if r["status"] != "graded"],
        "submissions": [{"id": r["id"], "status": r["status"], "kind": r.get("kind"), "passed": bool(r.get("passed")),
                         "score": r["score"], "max_score": r["max_score"]} for r in records],
        "rubric": rubric_json,
    }


def score_statistics(records: list[dict]) -> dict:
    fractions = [r["score"] / r["max_score"] for r in records if r.get("max_score")]
    histogram = [0] * BINS
    for fraction in fractions:
        histogram[min(int(fraction * BINS + 1e-9), BINS - 1)] += 1
    scores = [r["score"] for r in records]
    return {
        "count": len(scores),
        "mean": round(statistics.fmean(scores), 4) if scores else None,
        "median": round(statistics.median(scores), 4) if scores else None,
        "min": min(scores, default=None),
        "max": max(scores, default=None),
        "max_score": max((r["max_score"] for r in records), default=None),
        "histogram": [{"from": i * 100 // BINS, "to": (i + 1) * 100 // BINS, "count": n} for i, n in enumerate(histogram)],
    }


def histogram_lines(statistics_json: dict, width: int = 40) -> list[str]:
    """The score distribution as terminal bars: ``  0-10%  ████ 4``."""
    bins = statistics_json["histogram"]
    top = max((b["count"] for b in bins), default=0) or 1
    lines = []
    for b in bins:
        bar = "█" * round(b["count"] / top * width)
        if b["count"] and not bar:
            bar = "▏"
        lines.append(f"{b['from']:>3}-{b['to']:<3}% {bar} {b['count']}")
    return lines


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell no spreadsheet takes for a formula (a student named ``=HYPERLINK(...)``): text starting with
    = + - @ tab or CR gets a leading single quote (OWASP's advice for CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA) else value


def class_csv(records: list[dict]) -> str:
    """Student x function, for spreadsheets: each cell pass, fail, error, timeout, crash, inherited or missing;
    ``passed`` is the record's (full score), as in every other format."""
    records = sorted(records, key=lambda r: r["id"])
    names = function_order([r for r in records if r["status"] == "graded"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(map(csv_cell, ["student", "status", "passed", "score", "max_score", *names])))
    for record in records:
        cells = {f["name"]: ("inherited" if category(f) == "inherited" else f["status"]) for f in record.get("functions", [])}
        writer.writerow(list(map(csv_cell, [record["id"], record["status"], str(bool(record.get("passed"))).lower(),
                                            record["score"], record["max_score"], *(cells.get(n, "") for n in names)])))
    return out.getvalue()
