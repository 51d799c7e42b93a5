"""rich renderables for the shape reports (trace, summary, parameter check)."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.cells import cell_len
from rich.control import strip_control_codes
from rich.text import Lines, Span, Text

from shapecheck.core.dims import show
from shapecheck.core.messages import catalogue, msg
from shapecheck.views.wrap import hanging, unbroken


KERAS_BYTES = 4  # Keras's summary counts float32 parameters; shapecheck's engine computes in float64 (8)


def _size(count: int, itemsize: int = KERAS_BYTES) -> str:
    """Bytes of ``count`` parameters as Keras writes them: 4 bytes each (float32), 1024 to the KB."""
    size = count * float(itemsize)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return ""  # pragma: no cover


RULE_MIN = 12                   # columns of a shape table's rule below which the symbolic shapes go on a line of their own
RULE_FLOOR = 8                  # and at least (a longer word folds): narrower, rich would cut every column short with "…"


def _shape_cell(symbolic: tuple, size: tuple) -> Text:
    if tuple(symbolic) == tuple(size):
        return Text(show(size), style="cyan")
    return Text.assemble((show(size), "bold cyan"), ("  " + show(symbolic), "dim"))


def _shape_lines(symbolic: tuple, size: tuple) -> list[Text]:
    """A shape cell on two lines, the sizes above the symbols, for a narrow terminal."""
    if tuple(symbolic) == tuple(size):
        return [Text(show(size), style="cyan")]
    return [Text(show(size), style="bold cyan"), Text(show(symbolic), style="dim")]


# Titles, captions and headers are Text, never markup: nothing in them is markup or an :emoji: code (a network's
# name is the user's, and may hold "[" or ":"), and rich's markup parser would load its table of emoji codes
# (2% of `shapecheck shapes`) only to find none. Styled as rich styles a title or caption given as a string.
def title_text(text: str) -> Text:
    return Text(text, style="table.title")


def caption_text(text: str) -> Text:
    return Text(text, style="table.caption")


def trace_table(trace) -> "TraceTable":
    return TraceTable(trace)


class TraceTable:
    """The shape table of a trace, laid out for the console it is drawn on.

    A table of 30 rows is 120 cells for rich to measure and wrap one by one: most of ``shapecheck shapes``'s
    time. Here each column is one multi-line cell: the rule column is wrapped to the width left over (with
    rich's own word wrap), the other columns get blank lines to stay level with it, and rich lays out 4 cells.
    Same look as a row-per-tensor Table (SIMPLE_HEAD, a blank line between forward and backward).
    """

    def __init__(self, trace) -> None:
        self.trace = trace

    def __rich_console__(self, console, options):
        trace, parts = self.trace, []
        m = trace.bindings.get("m")
        title = msg("report.trace_title_m", network=trace.label, m=m) if m else msg("report.trace_title", network=trace.label)
        conventions = (("ng", msg("report.trace_ng")), ("keras", msg("report.trace_keras")),
                       ("conv", msg("report.trace_conv")))
        for convention, caption in conventions:
            rows = [r for r in trace.rows if r.convention == convention]
            if rows and convention == "conv":
                parts.append(_conv_table(rows, title, caption))
            elif rows:
                parts.append(self._table(console, rows, convention, title if not parts else None, caption,
                                         options.max_width))
        yield from parts
        if trace.layers:
            yield Text(msg("report.total_line", count=trace.total_params), style="bold")

    def html_renderable(self) -> Group:
        """For a notebook's HTML: one row per tensor, so the page's own table wraps the rules."""
        trace, parts = self.trace, []
        m = trace.bindings.get("m")
        title = msg("report.trace_title_m", network=trace.label, m=m) if m else msg("report.trace_title", network=trace.label)
        for convention, caption in (("ng", msg("report.trace_ng")), ("keras", msg("report.trace_keras")),
                                    ("conv", msg("report.trace_conv"))):
            rows = [r for r in trace.rows if r.convention == convention]
            if rows and convention == "conv":
                parts.append(_conv_table(rows, title, caption))
                continue
            if not rows:
                continue
            table = Table(title=Text(title) if not parts else None, caption=Text(caption), box=box.SIMPLE_HEAD)
            for k, header in enumerate((msg("report.col_layer"), msg("report.col_tensor"), msg("report.col_shape"),
                                        msg("report.col_rule"))):
                table.add_column(Text(header), justify="right" if k == 0 else "left", no_wrap=k < 3,
                                 style="bold" if k == 1 else None)
            previous, seen = None, set()
            for r in rows:
                if previous is not None and r.phase != previous:
                    table.add_section()
                previous = r.phase
                rule = "" if r.rule in seen else r.rule
                seen.add(r.rule)
                layer = r.layer_name if convention == "keras" else str(r.layer)
                table.add_row(Text(layer), Text(r.tensor), _shape_cell(r.shape, r.size),
                              Text(rule, style="dim" if r.phase == "backward" else ""))
            parts.append(table)
        if trace.layers:
            parts.append(Text(msg("report.total_line", count=trace.total_params), style="bold"))
        return Group(*parts)

    @staticmethod
    def _table(console, rows, convention: str, title: str | None, caption: str, width: int) -> Table:
        headers = [msg("report.col_layer"), msg("report.col_tensor"), msg("report.col_shape"), msg("report.col_rule")]
        cells, previous, seen = [], None, set()
        for r in rows:
            if previous is not None and r.phase != previous:
                cells.append(None)  # a section: one blank line
            previous = r.phase
            # each rule is stated once, where it first applies: the table stays readable for L = 10
            rule = "" if r.rule in seen else r.rule
            seen.add(r.rule)
            layer = r.layer_name if convention == "keras" else str(r.layer)
            cells.append((Text(layer), Text(r.tensor), [_shape_cell(r.shape, r.size)],
                          unbroken(rule, style="dim" if r.phase == "backward" else ""), r))  # shapes stay whole

        def widest(k: int, header: str) -> int:
            return max([cell_len(header)] + [max(t.cell_len for t in c[k]) if k == 2 else c[k].cell_len for c in cells if c])

        # SIMPLE_HEAD: 1 space of padding each side of a cell, 1 between columns, 1 at each edge; the rest is the rule's
        widths = [widest(k, h) for k, h in enumerate(headers[:3])]
        if sum(widths) + 3 * len(headers) + 1 + RULE_MIN > width:   # a narrow terminal: the symbolic shape goes under
            for cell in cells:                                        # the sizes, so that no column is cut short
                if cell:
                    cell[2][:] = _shape_lines(cell[4].shape, cell[4].size)
            widths[2] = widest(2, headers[2])
        rule_width = max(RULE_FLOOR, min(max([cell_len(headers[3])] + [c[3].cell_len for c in cells if c]),
                                         width - sum(widths) - 3 * len(headers) - 1))
        columns: list[list[Text]] = [[], [], [], []]
        for cell in cells:
            if cell is None:
                for column in columns:
                    column.append(Text())
                continue
            rule_lines = list(cell[3].wrap(console, rule_width)) if cell[3].plain else [cell[3]]
            height = max(len(rule_lines), len(cell[2]))
            for column, pieces in zip(columns, ([cell[0]], [cell[1]], cell[2], rule_lines)):
                column.extend(pieces + [Text()] * (height - len(pieces)))
        # the cells draw their own padding (padding=0 here, _Column's pad=1 there): same bytes, one pass less
        table = Table(title=title and title_text(title), caption=caption_text(caption),
                      box=box.SIMPLE_HEAD, expand=False, padding=0)
        widths.append(rule_width)
        for k, header in enumerate(headers):
            table.add_column(_Column([Text(header)], widths[k], pad=1), justify="right" if k == 0 else "left",
                             no_wrap=True, style="bold" if k == 1 else None, width=widths[k] + 2)
        table.add_row(*(_Column(column, widths[k], pad=1) for k, column in enumerate(columns)))
        return table


class _Column:
    """A column's lines, laid out already: rich draws the table around them without wrapping them again, which
    for one Text of 50 lines cost it more than the rest of the table. Each line gets what rich's ``Text.wrap``
    does to a line it need not wrap (cut to the cell, justified, padded), so the output is the same to the
    byte, colours included.

    ``pad``: the spaces each side that a table's padding would add (the table then has none). They are drawn
    here as rich's ``Padding`` draws them, without its second pass over every line."""

    def __init__(self, lines: list[Text], width: int, pad: int = 0) -> None:
        self.lines, self.width, self.pad = lines, width, pad

    def __rich_measure__(self, console, options) -> Measurement:
        return Measurement(self.width + 2 * self.pad, self.width + 2 * self.pad)

    def __rich_console__(self, console, options):
        justify, overflow = options.justify or "default", options.overflow or "fold"
        width = options.max_width - 2 * self.pad
        if self.pad and (width != self.width or justify not in ("left", "right")):
            yield Padding(_Column(self.lines, self.width), (0, self.pad))  # squeezed by a narrow console: rich's way
            return
        segments = self._joined(console, width, justify, overflow).render(console, end="\n")
        if not self.pad:
            yield from segments
            return
        # every line is exactly `width` cells now (justified left or right, cut to the cell): nothing to crop or pad
        side, new_line = Segment(" " * self.pad, console.get_style("none")), Segment.line()
        for line in Segment.split_lines(segments):
            yield side
            yield from line
            yield side
            yield new_line

    def _joined(self, console, width: int, justify: str, overflow: str) -> Text:
        """The lines as one Text, each as ``Text.wrap`` leaves a line in a no_wrap cell."""
        return self._fitted(width, justify) or self._wrapped(console, width, justify, overflow)

    def _fitted(self, width: int, justify: str) -> Text | None:
        """When every line fits (the table's columns are measured to fit them), what ``_wrapped`` does comes down
        to padding each line with spaces, after it (left) or, its trailing spaces cut, before it (right): done
        here on the plain text, with each line's style a span of its own as in the joined Text. None otherwise."""
        if justify not in ("left", "right"):
            return None
        right = justify == "right"
        plains, spans, offset = [], [], 0
        for line in self.lines:
            whole = line.plain
            plain = whole.rstrip() if right else whole
            size, end = cell_len(plain), len(plain)
            if size > width or "\t" in plain or (end < len(whole) and strip_control_codes(plain) != plain):
                return None
            start = offset + (width - size if right else 0)
            own = [Span(0, len(whole), line.style)] if line.style else []
            if end < len(whole):  # cut spaces take their part of the spans with them, as Text.rstrip does
                spans.extend(Span(start + a, start + min(b, end), style) for a, b, style in own + line.spans if a < end)
            else:
                spans.extend(Span(start + a, start + b, style) for a, b, style in own + line.spans)
            plains.append(" " * (width - size) + plain if right else plain + " " * (width - size))
            offset += len(plains[-1]) + 1  # and the new line
        return Text("\n".join(plains), spans=spans)

    def _wrapped(self, console, width: int, justify: str, overflow: str) -> Text:
        join = Text().join
        lines = Lines(join((line,)) for line in self.lines)  # copies whose own style is a span, as in a cell
        for line in lines:
            if "\t" in line:
                line.expand_tabs(console.tab_size)
        lines.justify(console, width, justify=justify, overflow=overflow)
        for line in lines:
            line.truncate(width, overflow=overflow)
        return Text("\n").join(lines)  # rendered in one pass for the whole column


def _conv_table(rows, title: str, caption: str) -> Table:
    """A conv net, examples first and channels last: the rule column gets the room (it holds the arithmetic)."""
    table = Table(title=title_text(title), caption=caption_text(caption), box=box.SIMPLE_HEAD, expand=False)
    table.add_column(Text(msg("report.col_layer")), no_wrap=True, max_width=20, overflow="ellipsis")
    table.add_column(Text(msg("report.col_tensor")), style="bold", no_wrap=True)
    table.add_column(Text(msg("report.col_shape")), no_wrap=True)
    table.add_column(Text(msg("report.col_rule")), overflow="fold", min_width=30, ratio=1)
    previous, seen = None, set()
    for r in rows:
        rule = "" if r.rule in seen else r.rule  # a rule is stated once, where it first applies
        seen.add(r.rule)
        layer = r.layer_name if r.layer_name != previous else ""
        if previous is not None and layer:
            table.add_section()
        previous = r.layer_name
        shape = Text.assemble((show(r.size), "bold cyan"), ("\n" + show(r.shape), "dim")) if tuple(r.shape) != tuple(r.size) else Text(show(r.size), style="cyan")
        table.add_row(Text(layer), Text(r.tensor), shape, Text(rule))
    return table


class _KerasTable:
    """Keras's summary table: its column widths where the terminal has room for them; in a narrow one
    (COLUMNS=40) the columns fold instead, so Param # is never cut off the right edge."""

    KERAS_WIDTHS = (24, 16, 10)  # Layer (type), Output Shape, Param #, as Keras draws them
    ROOM = sum(KERAS_WIDTHS) + 10  # with the borders and the cells' padding

    def __init__(self, summary) -> None:
        self.summary = summary

    def __rich_console__(self, console, options):
        yield self.table(roomy=options.max_width >= self.ROOM)

    def html_renderable(self) -> Table:
        return self.table(roomy=True)

    def table(self, roomy: bool) -> Table:
        summary = self.summary
        table = Table(title=title_text(msg("report.model_title", name=summary.name)), box=box.HEAVY_HEAD,
                      show_lines=True, title_justify="left")
        widths = self.KERAS_WIDTHS if roomy else (None, None, None)
        table.add_column(Text(msg("report.col_type")), no_wrap=roomy, min_width=widths[0], overflow="fold")
        table.add_column(Text(msg("report.col_output")), no_wrap=roomy, min_width=widths[1], overflow="fold")
        table.add_column(Text(msg("report.col_params")), justify="right", no_wrap=True, min_width=widths[2])
        for layer in summary.layers:
            shape = "(" + ", ".join("None" if d is None else str(d) for d in layer.output_shape) + ")"
            table.add_row(unbroken(f"{layer.name} ({layer.type})"), unbroken(shape), Text(f"{layer.params:,}"))
        return table


def summary_table(summary) -> Group:
    """Laid out like Keras's own ``model.summary()``."""
    table = _KerasTable(summary)
    total = summary.total_params
    frozen = getattr(summary, "non_trainable_params", 0)
    lines = [
        Text.assemble((msg("report.total_params", count=total, size=_size(total)), "bold")),
        Text.assemble((msg("report.trainable_params", count=total - frozen, size=_size(total - frozen)), "bold")),
        Text.assemble((msg("report.non_trainable_params", count=frozen, size=_size(frozen)), "bold")),
        Text(msg("report.bytes_note", size=_size(total, 8)), style="dim"),
        Text(""),
        Text(msg("report.arithmetic"), style="dim"),
    ]
    for layer in summary.layers:  # each count's arithmetic continues under itself when the terminal is narrow
        lines.append(hanging(f"{layer.name}:", layer.formula, "dim", "dim", indent=2))
        if layer.note:
            lines.append(hanging("", layer.note, text_style="dim", indent=3))
    return Group(table, *lines)


def params_table(report) -> Group:
    """A short table (tensor, expected, actual), then each problem in full: rule, then the fix."""
    parts = []
    if report.inferred:
        parts.append(Text(msg("check.inferred", dims=report.inferred), style="dim"))
    if report:
        table = Table(title=title_text(msg("report.params_title", network=report.network)), box=box.SIMPLE_HEAD)
        # a narrow terminal folds a cell between its words, never inside a shape, and never cuts one to "(20,…"
        table.add_column(Text(msg("report.col_tensor")), style="bold", overflow="fold")
        table.add_column(Text(msg("report.col_expected")), overflow="fold")
        table.add_column(Text(msg("report.col_actual")), style="red", overflow="fold")
        table.add_column(Text(msg("report.col_kind")), style="dim", overflow="fold")
        for p in report:
            table.add_row(unbroken(p.tensor or ""), unbroken(_shape_text(p.expected)), unbroken(_shape_text(p.actual)),
                          unbroken(kind_label(p.kind)))
        parts.append(table)
        for p in report:
            parts.append(hanging("✘", p.message, "bold red"))
            parts.append(hanging(msg("report.col_fix") + ":", p.hint, "bold green", "green", indent=2))
    style = "bold green" if report.passed else "bold red"
    parts.append(hanging("✔" if report.passed else "✘", report.conclusion(), style, style))
    return Group(*parts)


def kind_label(kind: str) -> str:
    """A problem's kind in words ("wrong shape"), not the JSON value ("shape")."""
    key = f"report.kind_{kind}"
    return msg(key) if key in catalogue() else kind


def _shape_text(value) -> str:
    if value is None:
        return "—"
    return show(value) if isinstance(value, tuple) else str(value)
