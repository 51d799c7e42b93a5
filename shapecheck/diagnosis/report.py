"""What ``diagnose`` returns: one result per contract function, root causes first."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapecheck.validate.params import Problem
from shapecheck.core.messages import msg
from shapecheck.views.base import Report

@dataclass
class FunctionResult:
    name: str
    status: str  # pass | fail | missing | error | timeout
    inherited_from: str | None = None  # the student function whose fault this one only inherits
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_root_cause(self) -> bool:
        return self.status in ("fail", "error", "timeout") and self.inherited_from is None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "inherited_from": self.inherited_from,
            "problems": [p.to_json() for p in self.problems],
            "notes": self.notes,
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

    @property
    def present(self) -> list[FunctionResult]:
        return [f for f in self.functions if f.status != "missing" or f.problems]

    @property
    def passed(self) -> bool:
        present = self.present
        file_faults = [p for p in self.findings if p.hint_id != "output_at_import"]  # printing is noted, not failed
        return bool(present) and all(f.status == "pass" for f in present) and not file_faults

    @property
    def root_causes(self) -> list[FunctionResult]:
        return [f for f in self.functions if f.is_root_cause]

    def function(self, name: str) -> FunctionResult:
        return next(f for f in self.functions if f.name == name)

    def conclusion(self) -> str:
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
            "passed": self.passed,
            "path": self.path,
            "functions": [f.to_json() for f in self.functions],
            "findings": [p.to_json() for p in self.findings],
            "notes": self.notes,
            "conclusion": self.conclusion(),
            "seconds": round(self.seconds, 3),
            "isolation": {k: v for k, v in sorted(self.isolation.items())},
        }

    def _renderable(self):
        from shapecheck.views.diagnose_view import diagnose_view

        return diagnose_view(self)
