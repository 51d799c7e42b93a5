"""Pictures for a notebook: matplotlib figures that show themselves, the gradient check on a log scale.

A bare ``matplotlib.figure.Figure`` (no pyplot: no window, no global backend switch) shows only its
repr in Jupyter until pyplot is imported; ``InlineFigure`` draws itself as a PNG wherever it is a
cell's value, and is still a Figure to save or change.
"""

from __future__ import annotations

import io
import math

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import DEFAULT_LANGUAGE, is_rtl, msg, msg_in


def figure_class():
    """``InlineFigure``, made on first use (matplotlib is the optional ``png`` extra)."""
    global InlineFigure
    if InlineFigure is None:
        try:
            from matplotlib.figure import Figure
        except ImportError:
            from shapecheck.core.extras import install_command

            raise ShapecheckError("tune.png_missing", command=install_command("png")) from None

        class _InlineFigure(Figure):
            """A Figure that a notebook shows as a PNG when it is a cell's value."""

            def _repr_png_(self) -> bytes:
                buffer = io.BytesIO()
                self.savefig(buffer, format="png")
                return buffer.getvalue()

        _InlineFigure.__name__ = _InlineFigure.__qualname__ = "InlineFigure"
        InlineFigure = _InlineFigure
    return InlineFigure


InlineFigure = None


def matplotlib_shapes_text() -> bool:
    """Whether matplotlib lays text out with libraqm (3.11 and later): joined Arabic letters, right to left.
    Before that it draws a right-to-left script letter by letter, unjoined and backwards."""
    try:
        from matplotlib import ft2font
    except ImportError:
        return False
    return bool(getattr(ft2font, "__libraqm_version__", None))


def png_in_english() -> bool:
    """True when a picture's labels must be English: the language is right-to-left and matplotlib cannot shape it."""
    return is_rtl() and not matplotlib_shapes_text()


def _png_msg():
    """``msg`` for a picture's labels: the current language, or English when matplotlib cannot draw it."""
    if png_in_english():
        return lambda message_id, /, **fields: msg_in(DEFAULT_LANGUAGE, message_id, **fields)
    return msg


def gradcheck_figure(report):
    """Each tensor's difference (the course's measure) on a log scale, against the pass line (2e-7).

    Bars above the line failed; a tensor with nothing comparable (NaN) is left out, as the table says.
    """
    say = _png_msg()
    tensors = [t for t in report.tensors if t.difference is not None and math.isfinite(t.difference)]
    figure = figure_class()(figsize=(max(6.0, 0.6 * len(tensors) + 2), 3.6), dpi=100, layout="constrained")
    axes = figure.subplots()
    floor = min([t.difference for t in tensors if t.difference > 0] + [report.threshold]) / 10
    heights = [max(t.difference, floor) for t in tensors]  # a difference of exactly 0 still gets a bar
    colours = ["#2ca02c" if t.passed else "#d62728" for t in tensors]
    axes.bar([t.name for t in tensors], heights, color=colours)
    axes.set_yscale("log")
    axes.axhline(report.threshold, color="black", linestyle="--", linewidth=1,
                 label=say("gradcheck.plot_threshold", threshold=report.threshold))
    axes.set_ylabel(say("gradcheck.plot_y"))
    axes.set_title(say("gradcheck.plot_title", eps=report.eps))
    axes.legend(fontsize="small", loc="upper left")
    axes.tick_params(axis="x", labelrotation=45 if len(tensors) > 8 else 0)
    return figure
