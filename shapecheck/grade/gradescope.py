"""Gradescope's ``results.json`` for one submission (its autograder specification, "Output format").

One test per scored contract function: name, score, max_score, status ("passed" / "failed") and the
learner-facing output: each problem's sentence and fix, the notes, and for an inherited failure which
function to fix first. The top-level score is the rubric's total; output says the one thing to do first.
"""

from __future__ import annotations

from pathlib import Path

from shapecheck.core.messages import msg

SUBMISSION = Path("/autograder/submission")
RESULTS = Path("/autograder/results/results.json")


def results_json(record: dict) -> dict:
    report = record.get("report")
    if record["status"] != "graded" or report is None:
        text = (record.get("fault") or {}).get("message", "")
        return {"score": 0.0, "output": text, "tests": [
            {"name": msg("grade.gs_submission"), "score": 0.0, "max_score": record["max_score"],
             "status": "failed", "output": text}]}
    problems = {f["name"]: f for f in report["functions"]}
    tests = []
    for number, function in enumerate(record["functions"], start=1):
        full = problems.get(function["name"], {})
        tests.append({
            "name": function["name"],
            "number": str(number),
            "score": function["points"],
            "max_score": function["max_points"],
            "status": "passed" if function["status"] == "pass" else "failed",
            "output": _output(function, full),
            "visibility": "visible",
        })
    findings = "\n".join(f"{p['message']}\n{msg('grade.gs_fix', hint=p['hint'])}" for p in report.get("findings", []))
    output = "\n\n".join(part for part in (report.get("conclusion", ""), findings) if part)
    return {"score": record["score"], "output": output, "visibility": "visible", "tests": tests}


def _output(function: dict, full: dict) -> str:
    status = function["status"]
    if status == "pass":
        lines = [msg("grade.gs_pass")]
    elif status == "missing" and not full.get("problems"):
        lines = [msg("grade.gs_missing", name=function["name"])]
    else:
        lines = []
        if function.get("inherited_from"):
            lines.append(msg("grade.gs_inherited", name=function["name"], callee=function["inherited_from"]))
        for problem in full.get("problems", []):
            lines.append(problem["message"])
            if problem.get("hint"):
                lines.append(msg("grade.gs_fix", hint=problem["hint"]))
    lines.extend(full.get("notes", []))
    return "\n".join(lines)
