"""Gradescope's ``results.json`` for one submission (its autograder specification, "Output format").

One test per scored contract function, told as every other format tells it (verdict.py): name,
score, max_score, and status "passed" exactly when the test earned its full points (an inherited
failure paid in full is "passed", and its output says which function to fix first); the output is
each problem's sentence and fix, and the notes. The top-level score is the rubric's total; the
top-level output says the one thing to do first, then the import-time warnings. A submission that
could not be graded is one failed test, "submission", with its message.
"""

from __future__ import annotations

from pathlib import Path

from shapecheck.grade.verdict import verdicts, warnings
from shapecheck.core.messages import msg

SUBMISSION = Path("/autograder/submission")
RESULTS = Path("/autograder/results/results.json")


def results_json(record: dict) -> dict:
    tests = []
    for number, verdict in enumerate(verdicts(record), start=1):
        tests.append({
            "name": verdict.name,
            "number": str(number),
            "score": verdict.points,
            "max_score": verdict.max_points,
            "status": "passed" if verdict.passed else "failed",
            "output": "\n".join(verdict.details) or msg("grade.gs_pass"),
            "visibility": "visible",
        })
    report = record.get("report") or {}
    first = report.get("conclusion", "") if record["status"] == "graded" else tests[0]["output"]
    extra = [w for w in warnings(record) if w.split("\n")[0] != first]  # an exit at import may be the conclusion too
    output = "\n\n".join(part for part in (first, *extra) if part)
    return {"score": record["score"], "output": output, "visibility": "visible", "tests": tests}
