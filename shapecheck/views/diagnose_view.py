"""The diagnosis as a person reads it: one row per function, then the root causes in full."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from shapecheck.core.messages import msg
from shapecheck.views.wrap import hanging, unbroken

MARKS = {"pass": ("✔", "green"), "fail": ("✘", "red"), "error": ("✘", "red"), "timeout": ("⏱", "red"), "missing": ("–", "dim")}


def _status(result) -> Text:
    mark, style = MARKS[result.status]
    if result.inherited_from:
        return unbroken(Text.assemble(("↳ ", "yellow"), (msg("diagnose.status_inherited", callee=result.inherited_from), "yellow")))
    return unbroken(Text.assemble((mark + " ", style), (msg(f"diagnose.status_{result.status}"), style)))


NARROW = 72  # below this many columns the first finding has no room beside the status: it is only told below


def function_table(report, wide: bool = True) -> Table:
    """One row per function: its status and, when there is room, its first finding (whole, wrapped)."""
    table = Table(title=unbroken(report.title()),
                  box=box.SIMPLE_HEAD, title_justify="left", expand=wide)
    table.add_column(Text(msg("diagnose.col_function")), style="bold", no_wrap=True)
    table.add_column(Text(msg("diagnose.col_status")), max_width=24 if wide else None)
    if wide:
        table.add_column(Text(msg("diagnose.col_finding")), style="dim", ratio=1)
    for result in report.functions:
        cells = [Text(result.name), _status(result)]
        if wide:
            first = result.problems[0] if result.problems and not result.inherited_from else None
            # whole: the table wraps it, never cuts it; a function not checked says why (its note)
            text = unbroken(first.message if first else result.notes[0] if result.status == "missing" and result.notes else "")
            if first is not None and report.at(first):
                text.append("\n")
                text.append_text(unbroken(report.at(first, code=False)))
            cells.append(text)
        table.add_row(*cells)
    return table


class _FunctionTable:
    """The function table laid out for the width it is drawn at; the HTML view always has room."""

    def __init__(self, report) -> None:
        self.report = report

    def __rich_console__(self, console, options):
        yield function_table(self.report, wide=options.max_width >= NARROW)

    def html_renderable(self) -> Table:
        return function_table(self.report)


def diagnose_view(report) -> Group:
    """The report, then each other assignment the file holds, diagnosed as well (its own table)."""
    if report.parts:
        views = [_one_view(report)]
        for part in report.parts:
            views += [Text(""), _one_view(part)]
        return Group(*views)
    return _one_view(report)


def _one_view(report) -> Group:
    table = _FunctionTable(report)
    parts: list = [table]
    for finding in report.findings:
        parts.append(hanging("!", finding.message, "yellow"))
        parts.append(hanging(msg("report.col_fix") + ":", finding.hint, "bold green", "green", indent=2))
    for result in report.root_causes:
        parts.append(Text(""))
        parts.append(Text(result.name, style="bold red"))
        for p in result.problems:
            parts.append(hanging("✘", p.message, "red", indent=2))
            if report.at(p):  # a long line of code continues under itself, never at column 0
                parts.append(hanging("", report.at(p), text_style="dim", indent=3))
            if p.hint:
                parts.append(hanging(msg("report.col_hint") + ":", p.hint, "bold green", "green", indent=4))
    for result in report.functions:
        for note in result.notes:
            parts.append(hanging("!", note, "yellow"))
    for note in report.notes:
        parts.append(unbroken(note, style="dim"))
    parts.append(Text(""))
    style = "bold green" if report.passed else "bold red"
    parts.append(hanging("✔" if report.passed else "✘", report.conclusion(), style, style))
    return Group(*parts)
