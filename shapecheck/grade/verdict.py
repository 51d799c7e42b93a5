"""One story in every format: the verdict of each scored test of a record, derived once, here.

The table, JSON, CSV, JUnit, Gradescope and the HTML report all read these verdicts, so they cannot
disagree. The rules:
- a test (one scored function) passes exactly when it earned its full points: an inherited failure
  that the rubric pays in full passes, and says which function to fix first;
- a record passes exactly when it has its full score (``record_passed``): a missing function costs
  its points, so a half-written file does not pass;
- a submission that could not run at all (not graded: a fault, a grader's timeout or crash) is one
  failed test, named "submission", carrying its message; a file whose import failed is graded, and
  each function its failure left undefined fails with the import's message, not a bare "missing".
Import-time findings of a file whose functions were all checked (a ``sys.exit`` after the last
definition, printing at import) cost no points: every format shows them as warnings.

>>> record = {"status": "fault", "score": 0.0, "max_score": 9.0, "fault": {"message": "no .py file"}}
>>> [(v.name, v.outcome, v.passed, v.message) for v in verdicts(record)]
[('submission', 'fault', False, 'no .py file')]
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.messages import msg

# outcomes a CI counts as "failure" (the code is wrong); the others (error, timeout, crash, a fault
# of the submission) are "error" (it did not finish): both are red
WRONG = ("fail", "missing", "inherited")


@dataclass(frozen=True)
class Verdict:
    name: str  # the function, or "submission" when nothing could be graded
    outcome: str  # pass | fail | error | timeout | crash | missing | inherited, or the record's status
    passed: bool  # earned its full points
    points: float
    max_points: float
    message: str  # the first thing to read ("" when passed and nothing to say)
    details: tuple[str, ...] = ()  # every sentence: the problems with their fixes, the notes

    @property
    def wrong(self) -> bool:
        """A failure of the code (JUnit ``failure``) rather than a run that did not finish (``error``)."""
        return self.outcome in WRONG


def record_passed(record: dict) -> bool:
    """Full score, and graded: the one meaning of "passed" for a student."""
    return record["status"] == "graded" and record["max_score"] > 0 and record["score"] >= record["max_score"]


def import_failure(record: dict) -> str:
    """The sentence of an import that raised or exited, if any: why defined functions may be missing."""
    for finding in (record.get("report") or {}).get("findings", []):
        if finding.get("kind") == "exception":
            return finding["message"]
    return ""


def warnings(record: dict) -> list[str]:
    """Import-time findings, each with its fix: shown in every format, costing no points by themselves."""
    return [_with_fix(f) for f in (record.get("report") or {}).get("findings", [])]


def verdicts(record: dict) -> list[Verdict]:
    if record["status"] != "graded" or not record.get("report"):
        text = (record.get("fault") or {}).get("message", "") or msg(f"grade.status_{record['status']}")
        return [Verdict(msg("grade.gs_submission"), record["status"], False, 0.0, record["max_score"], text, (text,))]
    problems = {f["name"]: f for f in record["report"]["functions"]}
    cause = import_failure(record)
    return [_verdict(function, problems.get(function["name"], {}), cause) for function in record["functions"]]


def _verdict(function: dict, full: dict, cause: str) -> Verdict:
    name, status = function["name"], function["status"]
    passed = function["points"] >= function["max_points"]
    outcome = "inherited" if function.get("inherited_from") and status not in ("pass", "missing") else status
    details = []
    if outcome == "inherited":
        details.append(msg("grade.gs_inherited", name=name, callee=function["inherited_from"]))
    if status == "missing" and not full.get("problems"):
        details.append(msg("grade.gs_missing", name=name))
        if cause:
            details.insert(0, cause)
    details += [_with_fix(p) for p in full.get("problems", [])]
    details += full.get("notes", [])
    if status == "pass":
        message = ""
    else:
        message = details[0].splitlines()[0] if details else msg(f"diagnose.status_{status}") if status in STATUS_IDS else status
    return Verdict(name, outcome, passed, function["points"], function["max_points"], message, tuple(details))


STATUS_IDS = ("pass", "fail", "missing", "error", "timeout")


def _with_fix(problem: dict) -> str:
    hint = problem.get("hint")
    return f"{problem['message']}\n{msg('grade.gs_fix', hint=hint)}" if hint else problem["message"]
