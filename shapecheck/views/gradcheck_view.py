"""rich rendering of a GradcheckReport: one row per gradient, the verdict, and the conclusion line."""

from __future__ import annotations

import math
from typing import Callable

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from shapecheck.core.messages import msg
from shapecheck.views.wrap import unbroken

BAND_STYLE = {"great": "green", "acceptable": "green", "suspicious": "yellow", "wrong": "bold red",
              "not_finite": "bold red", "all_kinks": "dim"}


def _number(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.1e}"


def _value(value: float) -> str:
    """A gradient entry in at most 8 characters: 0.0957, -2.39e-4, 1.2e+05."""
    if value == 0 or not math.isfinite(value):
        return str(value) if not math.isfinite(value) else "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.3g}"
    return f"{value:.2e}".replace("e-0", "e-").replace("e+0", "e+")


def _shape(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _index(t) -> str:
    if t.worst_index is None:
        return ""
    if t.directional:
        return f"v{t.worst_index[0]}"  # the direction's number
    return _shape(t.worst_index)


def gradcheck_view(report) -> Group:
    if report.bug:
        title = msg("gradcheck.title_bug", network=report.network, bug=report.bug)
    elif report.network:
        title = msg("gradcheck.title_network", network=report.network)
    else:
        title = msg("gradcheck.title")
    caption = msg("gradcheck.settings", coverage=report.coverage(), eps=report.eps, threshold=report.threshold)
    # SIMPLE_HEAD draws a blank between columns: with no padding that blank is the only gap (80 columns suffice)
    table = Table(title=Text(title), caption=Text(caption), box=box.SIMPLE_HEAD, show_edge=False, padding=0,
                  title_justify="left", caption_justify="left")
    kinks = report.kinks > 0  # the column only when something was set aside: it keeps 80 columns readable
    table.add_column(Text(msg("gradcheck.col_tensor")), style="bold", no_wrap=True)
    table.add_column(Text(msg("gradcheck.col_shape")), no_wrap=True)
    for key in ("col_difference", "col_max_error"):
        table.add_column(Text(msg(f"gradcheck.{key}")), justify="right", no_wrap=True, min_width=7)
    table.add_column(Text(msg("gradcheck.col_worst_index")), no_wrap=True)
    for key in ("col_analytic", "col_numeric"):
        table.add_column(Text(msg(f"gradcheck.{key}")), justify="right", no_wrap=True, min_width=8)
    table.add_column(Text(msg("gradcheck.col_verdict")), no_wrap=True)
    if kinks:
        table.add_column(Text(msg("gradcheck.col_kinks")), justify="right", no_wrap=True)
    for t in report.tensors:
        shape = _shape(t.shape)
        wrong_shape = t.grad_shape is not None and tuple(t.grad_shape) != tuple(t.shape)
        if wrong_shape:  # the gradient's own shape, in red; the conclusion says what it should be
            shape = _shape(t.grad_shape)
        elif t.directional:
            shape = msg("gradcheck.directions", count=t.checked + t.kinks)
        worst = t.worst[0] if t.worst else None
        verdict = msg(f"gradcheck.band_{t.band}")
        cells = [
            Text(t.name),
            Text(shape, style="bold red" if wrong_shape else ""),
            Text(_number(t.difference)),
            Text(_number(t.max_abs_error)),
            Text(_index(t)),
            Text("" if worst is None else _value(worst.analytic)),
            Text("" if worst is None else _value(worst.numeric)),
            Text(verdict, style=BAND_STYLE[t.band]),
        ]
        if kinks:
            cells.append(Text(str(t.kinks) if t.kinks else ""))
        table.add_row(*cells)
    if not report.cost_finite:
        overall = Text(msg("gradcheck.overall_nan"), style="bold red")
    else:
        key = "gradcheck.overall_pass" if report.passed else "gradcheck.overall_fail"
        overall = Text(msg(key, difference=report.difference, threshold=report.threshold),
                       style="bold green" if report.passed else "bold red")
    parts = [table, overall, unbroken(report.conclusion())]
    parts += [unbroken(msg("gradcheck.warning", text=w), style="yellow") for w in report.warnings]
    parts.append(Text(msg("gradcheck.legend", threshold=report.threshold, floor=report.rounding_floor), style="dim"))
    return Group(*parts)


def bug_list_view(bugs) -> Table:
    """The injectable mistakes: name, what it does, which gradients it changes."""
    table = Table(title=Text(msg("gradcheck.list_title")), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(Text(msg("gradcheck.col_bug")), style="bold", no_wrap=True)
    table.add_column(Text(msg("gradcheck.col_description")), overflow="fold")
    table.add_column(Text(msg("gradcheck.col_touches")), overflow="fold")
    for bug in bugs:
        table.add_row(Text(bug.name), Text(bug.describe()), Text(bug.where()))  # Text: "[l]" is not markup
    return table


def progress_bar(min_total: int = 0) -> Callable[[int, int], None]:
    """The gradient check's bar: coordinates done out of all ("37/120")."""
    from shapecheck.views.progress import progress_bar as bar

    return bar(msg("gradcheck.progress"), counts=True, min_total=min_total)
