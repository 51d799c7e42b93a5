"""A report as HTML for a notebook: real tables that follow the page's width, not a picture of a terminal.

The rich renderables every report builds (a Group of Tables and Texts) are walked and written out as
HTML: a Table becomes a <table> whose cells wrap between words, a hanging line (``wrap.hanging``)
a label beside an indented paragraph, a Text a paragraph with its colours. Shapes and calls never
break inside (their spaces become no-break spaces). In a right-to-left language the whole report
is ``dir="rtl"``, and the shapes keep their order through the isolates the catalogue put around them.
Only inline styles: a notebook's sanitiser keeps them, and nothing leaks into the page around it.
"""

from __future__ import annotations

import base64
import io
from html import escape

from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from shapecheck.core.messages import is_rtl, language
from shapecheck.views.wrap import guarded

# the terminal's palette, readable on the light and the dark themes of JupyterLab
_COLOURS = {"red": "#d62728", "green": "#2ca02c", "yellow": "#b8860b", "cyan": "#1f77b4", "blue": "#1f77b4",
            "magenta": "#9467bd"}
_CELL = "padding:2px 10px;vertical-align:top;text-align:start;border:none"


def _console() -> Console:
    return Console(force_jupyter=False, file=io.StringIO(), color_system="truecolor", width=200)


def _css(style: Style) -> str:
    rules = []
    if style.color is not None and style.color.name in _COLOURS:
        rules.append(f"color:{_COLOURS[style.color.name]}")
    elif style.color is not None and style.color.triplet is not None:
        rules.append(f"color:{style.color.triplet.hex}")
    if style.bold:
        rules.append("font-weight:bold")
    if style.dim:
        rules.append("opacity:0.75")
    if style.italic:
        rules.append("font-style:italic")
    return ";".join(rules)


def _annotation(text):
    """A table's title or caption: here its look is the <caption>'s and the footer's, so the terminal's own look
    for them (rich's "table.title" and "table.caption" styles, italic) is left out."""
    if isinstance(text, Text) and text.style in ("table.title", "table.caption"):
        text = text.copy()
        text.style = ""
    return text


def _keep_whole(plain: str) -> str:
    """No-break spaces inside shapes and calls: a browser then never breaks "(5, 4)" across two lines."""
    return guarded(plain, "\u00a0")


def text_html(text: Text | str, console: Console | None = None) -> str:
    if isinstance(text, str):
        text = Text(text)
    console = console or _console()
    text = text.copy()
    text.plain = _keep_whole(text.plain)
    base = console.get_style(text.style) if text.style else Style()  # render() leaves the whole text's style out
    out = []
    for segment in text.render(console):
        if not segment.text:
            continue
        body = escape(segment.text).replace("\n", "<br>")
        style = base + segment.style if segment.style else base
        css = _css(style)
        out.append(f'<span style="{css}">{body}</span>' if css else body)
    return "".join(out)


def _cell_html(cell, console: Console) -> str:
    if isinstance(cell, (Text, str)):
        return text_html(cell, console)
    return to_html(cell, console)


def _table_html(table: Table, console: Console) -> str:
    hanging = getattr(table, "hanging", None)
    if hanging is not None:
        label, text = hanging
        return ('<div style="display:flex;gap:0.5em;margin:1px 0">'
                f'<span style="flex:none;white-space:pre">{_cell_html(label, console)}</span>'
                f'<span style="flex:1">{_cell_html(text, console)}</span></div>')
    header = ""
    if table.show_header and any(str(column.header) for column in table.columns):
        header = "<thead><tr>" + "".join(
            f'<th style="{_CELL};border-bottom:1px solid currentColor;white-space:nowrap">'
            f"{_cell_html(column.header, console)}</th>" for column in table.columns) + "</tr></thead>"
    rows = []
    count = max((len(column._cells) for column in table.columns), default=0)
    for index in range(count):
        section = index < len(table.rows) and table.rows[index].end_section
        border = ";border-bottom:1px solid rgba(128,128,128,0.4)" if section or table.show_lines else ""
        cells = []
        for column in table.columns:
            cell = column._cells[index] if index < len(column._cells) else ""
            align = {"right": "end", "center": "center"}.get(column.justify, "start")
            wrap = "white-space:nowrap;" if column.no_wrap else ""
            style = _css(console.get_style(column.style)) if column.style else ""
            cells.append(f'<td style="{_CELL};text-align:{align};{wrap}{style}{border}">{_cell_html(cell, console)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = ""
    if table.title:
        caption = f'<caption style="caption-side:top;text-align:start;font-weight:bold;padding:4px 0">{_cell_html(_annotation(table.title), console)}</caption>'
    footer = ""
    if table.caption:
        footer = f'<div style="opacity:0.75;margin:2px 0 6px">{_cell_html(_annotation(table.caption), console)}</div>'
    return (f'<table style="border-collapse:collapse;margin:4px 0;width:auto">{caption}{header}'
            f'<tbody>{"".join(rows)}</tbody></table>{footer}')


def figure_html(figure) -> str:
    """A matplotlib Figure as an inline PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img style="max-width:100%" alt="" src="data:image/png;base64,{data}">'


def to_html(renderable, console: Console | None = None) -> str:
    """The HTML of one rich renderable (a report's own ``__rich__`` is followed first)."""
    console = console or _console()
    while not isinstance(renderable, (Text, Table, Group)):
        if hasattr(renderable, "html_renderable"):  # a part laid out by width: the page has room for all of it
            renderable = renderable.html_renderable()
        elif hasattr(renderable, "__rich__"):
            renderable = renderable.__rich__()
        else:
            break
    if isinstance(renderable, Group):
        return "".join(to_html(part, console) for part in renderable.renderables)
    if isinstance(renderable, Table):
        return _table_html(renderable, console)
    if isinstance(renderable, (Text, str)):
        if not str(renderable).strip():
            return '<div style="height:0.6em"></div>'  # the blank line between parts
        return f'<div style="margin:1px 0">{text_html(renderable, console)}</div>'
    html = getattr(renderable, "__html__", None)  # a part that knows its own picture (the cost chart)
    if html is not None:
        return html()
    recorder = Console(force_jupyter=False, file=io.StringIO(), record=True, width=100, color_system="truecolor")
    recorder.print(renderable)
    return recorder.export_html(inline_styles=True, code_format='<pre style="font-family:monospace">{code}</pre>')


def report_html(report) -> str:
    """The whole report in one block, in the language's direction."""
    direction = "rtl" if is_rtl() else "ltr"
    return (f'<div class="shapecheck-report" dir="{direction}" lang="{language()}" '
            f'style="line-height:1.4;text-align:start">{to_html(report)}</div>')
