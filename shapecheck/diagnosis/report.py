"""What ``diagnose`` returns: one result per contract function, root causes first."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapecheck.validate.params import Problem
from shapecheck.core.messages import msg
from shapecheck.views.base import Report

WARNINGS = ("output_at_import", "numpy2")  # findings about the file that are said, never counted


def problem_json(problem: Problem) -> dict:
    """A finding in the JSON: PROBLEM (DESIGN.md) with where it is, "line" (in a notebook: the line in "cell"),
    null when no line of the student's made it."""
    return {"line": None, "cell": None, "code": None, **problem.to_json()}


@dataclass
class FunctionResult:
    name: str
    status: str  # pass | fail | missing | error | timeout
    inherited_from: str | None = None  # the student function whose fault this one only inherits
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: bool = True  # False: it uses a package the checker lacks (imports.py), so no verdict: not scored

    @property
    def is_root_cause(self) -> bool:
        return self.status in ("fail", "error", "timeout") and self.inherited_from is None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "inherited_from": self.inherited_from,
            "problems": [problem_json(p) for p in self.problems],
            "notes": self.notes,
            "checked": self.checked,
        }


@dataclass
class DiagnoseReport(Report):
    path: str
    kind: str
    functions: list[FunctionResult]
    findings: list[Problem] = field(default_factory=list)  # about the file, not one function (imports)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    isolation: dict = field(default_factory=dict)  # what the sandbox had in force (sandbox.py, confine.py)
    edition: str | None = None  # "2017-20", "2021+", "mixed" or None: the notebook edition the file matches (edition.py)
    editions: dict = field(default_factory=dict)  # the functions that told, and what each showed
    parts: list["DiagnoseReport"] = field(default_factory=list)  # the file's other assignments, each diagnosed as well

    @property
    def present(self) -> list[FunctionResult]:
        return [f for f in self.functions if f.status != "missing" or f.problems]

    @property
    def kinds(self) -> list[str]:
        """Every assignment the file was diagnosed as, this report's first."""
        return [self.kind] + [p.kind for p in self.parts]

    @property
    def passed(self) -> bool:
        if not all(part.passed for part in self.parts):
            return False
        present = self.present
        # printing is noted, not failed; so is code that numpy 2 refuses and the course's numpy 1 accepted (numpy2.py)
        file_faults = [p for p in self.findings if p.hint_id not in WARNINGS]
        return bool(present) and all(f.status == "pass" for f in present) and not file_faults

    @property
    def root_causes(self) -> list[FunctionResult]:
        return [f for f in self.functions if f.is_root_cause]

    def at(self, problem: Problem, code: bool = True) -> str:
        """Where a finding points, in the student's terms ("student.py:12: dW = ..." or "student.ipynb cell 3,
        line 4: ..."); "" when no line of theirs made it, or when its sentence already says where (an exception)."""
        if problem.line is None or problem.kind in ("exception", "timeout") or problem.hint_id == "unfinished_template":
            return ""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        place = f"{name} {msg('diagnose.cell_line', cell=problem.cell, line=problem.line)}" if problem.cell is not None \
            else f"{name}:{problem.line}"
        return msg("diagnose.at_line", where=place, code=problem.code) if code and problem.code else msg("diagnose.at", where=place)

    def title(self) -> str:
        """The table's title: the file, the assignment, and the edition when a function told it."""
        kind = msg(f"diagnose.kind_{self.kind}")
        if self.edition:
            return msg("diagnose.title_edition", path=self.path, kind=kind, edition=msg(f"diagnose.edition_{self.edition.replace('-', '_').replace('+', '_plus')}"))
        return msg("diagnose.title", path=self.path, kind=kind)

    def function(self, name: str) -> FunctionResult:
        return next(f for f in self.functions if f.name == name)

    def conclusion(self) -> str:
        failing = [part for part in self.parts if not part.passed]
        if failing and not self.root_causes:  # this assignment is right: the other one the file holds is not
            return failing[0].conclusion()
        roots = self.root_causes
        if roots:
            first = roots[0]
            if first.problems:
                return msg("diagnose.fix_first", name=first.name, hint=first.problems[0].hint)
            return msg("diagnose.fix_first_error", name=first.name, status=first.status)
        missing = sum(f.status == "missing" for f in self.functions)
        if self.passed:
            key = "diagnose.all_pass_partial" if missing else "diagnose.all_pass"
            return msg(key, count=len(self.present), missing=missing)
        unfinished = [f for f in self.functions if f.status == "missing" and f.problems]
        if unfinished:
            return unfinished[0].problems[0].message
        if self.findings:
            return self.findings[0].message
        return msg("diagnose.nothing_found", path=self.path, names=", ".join(f.name for f in self.functions[:3]))

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "edition": self.edition,
            "editions": dict(self.editions),
            "passed": self.passed,
            "path": self.path,
            "functions": [f.to_json() for f in self.functions],
            "findings": [problem_json(p) for p in self.findings],
            "notes": self.notes,
            "conclusion": self.conclusion(),
            "seconds": round(self.seconds, 3),
            "isolation": {k: v for k, v in sorted(self.isolation.items())},
            "assignments": self.kinds,  # several when the file holds functions of several assignments
            "parts": [part.to_json() for part in self.parts],
        }

    def _renderable(self):
        from shapecheck.views.diagnose_view import diagnose_view

        return diagnose_view(self)
