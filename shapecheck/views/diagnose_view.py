"""The diagnosis as a person reads it: one row per function, then the root causes in full."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from shapecheck.core.messages import msg

MARKS = {"pass": ("✔", "green"), "fail": ("✘", "red"), "error": ("✘", "red"), "timeout": ("⏱", "red"), "missing": ("–", "dim")}


def _status(result) -> Text:
    mark, style = MARKS[result.status]
    if result.inherited_from:
        return Text.assemble(("↳ ", "yellow"), (msg("diagnose.status_inherited", callee=result.inherited_from), "yellow"))
    return Text.assemble((mark + " ", style), (msg(f"diagnose.status_{result.status}"), style))


def diagnose_view(report) -> Group:
    table = Table(title=escape(msg("diagnose.title", path=report.path, kind=msg(f"diagnose.kind_{report.kind}"))),
                  box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(escape(msg("diagnose.col_function")), style="bold", no_wrap=True)
    table.add_column(escape(msg("diagnose.col_status")), no_wrap=True)
    table.add_column(escape(msg("diagnose.col_finding")), overflow="fold", style="dim")
    for result in report.functions:
        first = result.problems[0].message if result.problems and not result.inherited_from else ""
        table.add_row(Text(result.name), _status(result), Text(first[:110] + ("…" if len(first) > 110 else "")))
    parts: list = [table]
    for finding in report.findings:
        parts.append(Text.assemble(("! ", "yellow"), (finding.message, "")))
        parts.append(Text.assemble(("  " + msg("report.col_fix") + ": ", "bold green"), (finding.hint, "green")))
    for result in report.root_causes:
        parts.append(Text(""))
        parts.append(Text(result.name, style="bold red"))
        for p in result.problems:
            parts.append(Text.assemble(("  ✘ ", "red"), (p.message, "")))
            if p.hint:
                parts.append(Text.assemble(("    " + msg("report.col_hint") + ": ", "bold green"), (p.hint, "green")))
    for note in report.notes:
        parts.append(Text(note, style="dim"))
    parts.append(Text(""))
    style = "bold green" if report.passed else "bold red"
    parts.append(Text(("✔ " if report.passed else "✘ ") + report.conclusion(), style=style))
    return Group(*parts)
