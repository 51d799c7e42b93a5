"""What ``grade`` returns: the class summary (class.json), the records, and how the run went."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapecheck.core.messages import msg
from shapecheck.views.base import Report


@dataclass
class GradeReport(Report):
    summary: dict  # class.json
    records: list[dict]  # one per student, in id order
    out: str  # the results folder
    graded_now: int = 0
    reused: int = 0  # results kept from an earlier run (same student, same file, same options)
    gradescope: str | None = None  # the results.json written, if any
    warnings: list[str] = field(default_factory=list)  # about the run itself (a rubric that forgets functions)
    detailed: bool = field(default=False, compare=False)  # render the class summary, not only the scores

    @property
    def passed(self) -> bool:
        return bool(self.records) and all(r.get("passed") for r in self.records)

    def record(self, student: str) -> dict:
        return next(r for r in self.records if r["id"] == student)

    def to_json(self) -> dict:
        return {**self.summary, "out": self.out, "graded_now": self.graded_now, "reused": self.reused,
                "gradescope": self.gradescope, "warnings": self.warnings}

    def students_view(self) -> list[dict]:
        """Each student as plain data for a page (views/class_html.py): the same verdicts as every format."""
        from shapecheck.grade.verdict import verdicts, warnings

        return [{"id": r["id"], "status": r["status"], "passed": bool(r["passed"]), "score": r["score"],
                 "assignment": msg(f"diagnose.kind_{r['kind']}"), "edition": (r.get("report") or {}).get("edition"),
                 "max_score": r["max_score"], "first": _first(r), "warnings": warnings(r) + list(r.get("notes", [])),
                 "tests": [{"name": v.name, "outcome": v.outcome, "passed": v.passed, "points": v.points,
                            "max_points": v.max_points, "message": v.message, "details": list(v.details)}
                           for v in verdicts(r)]}
                for r in self.records]

    def to_html(self) -> str:
        """The class report as one self-contained page, in the current language (``grade --html``)."""
        from shapecheck.core.messages import is_rtl, language
        from shapecheck.views.class_html import class_page

        return class_page(self.summary, self.students_view(), lang=language(), rtl=is_rtl())

    def _renderable(self):
        from rich.console import Group
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        from shapecheck.grade.summary import CATEGORIES, histogram_lines

        s = self.summary
        parts: list = [Text(msg("grade.title", students=s["students"], graded=s["graded"], passed=s["passed"]), style="bold")]
        scores = Table(show_edge=False, pad_edge=False, box=None)
        mixed = len({r["kind"] for r in self.records}) > 1  # a folder of several assignments: say which each file was
        columns = ("col_student", "col_assignment", "col_score", "col_status", "col_first") if mixed else \
            ("col_student", "col_score", "col_status", "col_first")
        for column in columns:
            scores.add_column(escape(msg(f"grade.{column}")))
        for record in self.records:
            # Text, not str: a student id or a course sentence may hold "[l]", which rich would read as markup
            kind = [Text(msg(f"diagnose.kind_{record['kind']}"))] if mixed else []
            scores.add_row(Text(record["id"]), *kind, Text(f"{_number(record['score'])}/{_number(record['max_score'])}"),
                           Text(_status_text(record)), Text(_first(record)))
        parts.append(scores)
        if self.detailed:
            table = Table(title=escape(msg("grade.functions_title")), show_edge=False)
            table.add_column(escape(msg("grade.col_function")))
            for name in CATEGORIES:
                table.add_column(escape(msg(f"grade.col_{name}")), justify="right")
            for row in s["functions"]:
                table.add_row(Text(row["name"]), *(Text(str(row.get(k, 0))) for k in CATEGORIES))
            parts += [Text(""), table, Text(""), Text(msg("grade.causes_title"), style="bold")]
            for cause in s["root_causes"][:10]:
                where = cause["function"] or msg("grade.at_import")
                parts.append(Text(msg("grade.cause_line", label=cause["label"], function=where, count=cause["count"],
                                      example=cause["example"])))
            if not s["root_causes"]:
                parts.append(Text(msg("grade.no_causes")))
            parts += [Text(""), Text(msg("grade.histogram_title", max_score=_number(s["scores"]["max_score"] or 0)), style="bold")]
            parts += [Text(line) for line in histogram_lines(s["scores"])]
        for fault in s["faults"]:
            parts.append(Text(msg("grade.fault_line", id=fault["id"], message=fault["message"]), style="red"))
        for warning in self.warnings:
            parts.append(Text(warning, style="yellow"))
        parts.append(Text(msg("grade.footer", out=self.out, graded=self.graded_now, reused=self.reused), style="dim"))
        return Group(*parts)


def _number(value: float) -> str:
    return f"{value:g}"


def _status_text(record: dict) -> str:
    if record["status"] != "graded":
        return msg(f"grade.status_{record['status']}") if record["status"] in UNGRADED else record["status"]
    return msg("grade.status_passed") if record["passed"] else msg("grade.status_failed")


UNGRADED = ("fault", "error", "timeout", "crash")  # statuses of a record that could not be graded


def _first(record: dict) -> str:
    """The one thing this student should fix first: why it was not graded, the diagnosis's conclusion,
    the first test it lost points on, or, with a full score, an import-time warning."""
    from shapecheck.grade.verdict import verdicts, warnings

    if record["passed"]:
        return next(iter(warnings(record)), "").split("\n")[0]
    if record["status"] == "graded" and not record["report"].get("passed"):
        return record["report"].get("conclusion", "")
    return next((v.message for v in verdicts(record) if not v.passed), "")  # not graded, or only missing functions
