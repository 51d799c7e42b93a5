"""The course's layer diagram as SVG: one box per layer with the shapes of its W, b, Z, A, arrows between.

    sc.trace(sc.dense_net([5, 4, 3, 1]), m=10).diagram()      # in a notebook: the picture
    shapecheck shapes 5 4 3 1 -m 10 --svg net.svg            # from the command line

Drawn from the trace's forward rows, so it shows exactly the shapes the table shows (a Sequential's
layers too). Plain SVG text, no matplotlib: it costs nothing to install and stays sharp at any size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from shapecheck.core.dims import show
from shapecheck.core.messages import is_rtl, msg

LINE, GAP, PAD = 20, 46, 12
CHAR = 7.9  # px of one monospace character at font-size 13


@dataclass(frozen=True)
class Box:
    title: str
    subtitle: str
    lines: tuple[tuple[str, str], ...]  # (tensor, shape)


def boxes(trace) -> list[Box]:
    """One box per layer, in order, from the trace's forward rows (Ng convention when there is one)."""
    convention = _convention(trace)
    groups: dict[object, list] = {}
    for row in trace.rows:
        if row.phase == "forward" and row.convention == convention and row.tensor != "Y":
            key = (row.layer, row.layer_name)
            groups.setdefault(key, []).append(row)
    kinds = {layer.name: layer.type for layer in trace.layers}
    out = []
    for index, (key, rows) in enumerate(groups.items()):
        name = rows[0].layer_name or str(key)
        kind = kinds.get(name, "")
        activation = re.search(r"\((\w+)\)", kind)
        if index == 0 and rows[0].layer == 0:
            title, subtitle = msg("report.diagram_input"), ""
        else:
            title = msg("report.diagram_layer", layer=rows[0].layer) if convention == "ng" else name
            subtitle = activation.group(1) if activation and convention == "ng" else kind
        prefix = f"{name}/"
        out.append(Box(title, subtitle, tuple((r.tensor.removeprefix(prefix), _shape(r)) for r in rows)))
    return out


def _convention(trace) -> str:
    """A Sequential's Keras rows (its Ng rows repeat them), else the trace's own: the course's, or a conv net's."""
    found = [r.convention for r in trace.rows]
    return "keras" if "keras" in found else (found[0] if found else "ng")


def _shape(row) -> str:
    if tuple(row.shape) == tuple(row.size):
        return show(row.size)
    return f"{show(row.size)}  {show(row.shape)}"


def layer_svg(trace) -> str:
    """The diagram as one SVG document (width follows the number of layers; it scales down to fit a page)."""
    parts = boxes(trace)
    rtl = is_rtl()
    tallest = max((len(b.lines) for b in parts), default=1)
    name_width = max((len(t) for b in parts for t, _ in b.lines), default=2) * CHAR + 12
    shape_width = max((len(s) for b in parts for _, s in b.lines), default=6) * CHAR
    title_width = max((len(b.title) + 2 for b in parts), default=8) * CHAR
    BOX_WIDTH = max(150, round(20 + name_width + shape_width), round(title_width))  # noqa: N806 - fits the longest line
    box_height = PAD * 2 + LINE * (tallest + 2)
    width = len(parts) * BOX_WIDTH + (len(parts) - 1) * GAP + 2 * PAD
    height = box_height + 2 * PAD + LINE
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'style="max-width:100%;height:auto" font-family="sans-serif" font-size="13" role="img">',
           f"<title>{escape(msg('report.diagram_title', network=trace.label))}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for k, box in enumerate(parts):
        # right to left in Arabic: the input on the right, as the text around it reads
        slot = len(parts) - 1 - k if rtl else k
        x = PAD + slot * (BOX_WIDTH + GAP)
        y = PAD
        fill = "#eef4fb" if k else "#f4f4f4"
        out.append(f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{box_height}" rx="8" fill="{fill}" stroke="#4a6fa5"/>')
        out.append(f'<text x="{x + BOX_WIDTH / 2}" y="{y + PAD + 12}" text-anchor="middle" font-weight="bold">'
                   f"{escape(box.title)}</text>")
        if box.subtitle:
            out.append(f'<text x="{x + BOX_WIDTH / 2}" y="{y + PAD + 12 + LINE}" text-anchor="middle" fill="#555">'
                       f"{escape(box.subtitle)}</text>")
        for i, (tensor, shape) in enumerate(box.lines):
            ty = y + PAD + 12 + LINE * (i + 2)
            out.append(f'<text x="{x + 10}" y="{ty}" font-family="monospace" direction="ltr">'
                       f'<tspan font-weight="bold">{escape(tensor)}</tspan><tspan x="{x + 10 + name_width:.0f}">{escape(shape)}</tspan></text>')
        if k:
            start = x + BOX_WIDTH + 4 if rtl else x - GAP + 4
            end = start + GAP - 8
            a, b = (end, start) if rtl else (start, end)
            out.append(f'<line x1="{a}" y1="{y + box_height / 2}" x2="{b}" y2="{y + box_height / 2}" stroke="#555" '
                       'stroke-width="1.5" marker-end="url(#arrow)"/>')
    caption = msg({"keras": "report.diagram_caption_keras", "conv": "report.diagram_caption_conv"}.get(
        _convention(trace), "report.diagram_caption"))
    out.append(f'<text x="{PAD}" y="{height - PAD}" fill="#555">{escape(caption)}</text>')
    out.append("</svg>")
    return "\n".join(out)


class LayerDiagram:
    """The diagram of one trace: shows itself in a notebook, ``.svg`` is the text, ``.save(path)`` writes it."""

    def __init__(self, trace) -> None:
        self.trace = trace
        self.svg = layer_svg(trace)

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path) -> None:
        from pathlib import Path

        from shapecheck.core.errors import ShapecheckError

        try:
            Path(path).write_text(self.svg, encoding="utf-8")
        except OSError as error:
            raise ShapecheckError("report.diagram_write", path=str(path), reason=error.strerror or str(error)) from None
