"""Pictures of a sweep: the cost chart in the terminal (plotext), the same chart as a PNG
(matplotlib), the decision boundaries of a 2-D set (PNG), and the report's rich view.

plotext and matplotlib are optional extras ("plot" and "png"): without plotext the table still
prints, with one line saying how to install it; without matplotlib ``--png`` says so before
any training starts. The terminal chart works with plotext 5 (``plt.plot``) and 6 (``plt.figure``).
"""

from __future__ import annotations

import math
import re
from typing import Callable

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.extras import install_command
from shapecheck.core.messages import msg
from shapecheck.views.figures import _png_msg, matplotlib_shapes_text, png_in_english  # noqa: F401 - cli/tune asks here

MARKERS = ("•", "+", "x", "o", "*", "#", "%", "@", "=", "~", "$", "&")  # one per curve: readable without colour
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHART_HEIGHT = 20
MAX_CHART_WIDTH = 100
MAX_PANELS = 12  # decision-boundary panels in one picture


# --- what is drawn ---------------------------------------------------------------------------------


def series(report, log: bool) -> tuple[list[tuple[str, list[int], list[float]]], float | None]:
    """(label, iterations, costs) per run, and the cap: a cost above it (a spike) is drawn at the cap.

    Costs that are not finite are left out (the run stopped there); on a log scale, so is J <= 0.
    The cap keeps one run that blew up from flattening the others: 1.5·J_0 (10·J_0 on a log scale).
    """
    starts = [run.costs[0][1] for run in report.runs if math.isfinite(run.costs[0][1])]
    cap = (10.0 if log else 1.5) * max(starts) if starts else None
    clipped = False
    out = []
    for run in report.runs:
        xs, ys = [], []
        for iteration, cost in run.costs:
            if not math.isfinite(cost) or (log and cost <= 0):
                continue
            if cap is not None and cost > cap:
                cost, clipped = cap, True
            xs.append(iteration)
            ys.append(cost)
        out.append((run.label, xs, ys))
    return out, (cap if clipped else None)


def iteration_ticks(last: int, count: int = 6) -> list[int]:
    """About ``count`` round iteration numbers from 0 to ``last``: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if last <= 0:
        return [0]
    power = 10 ** max(0, math.floor(math.log10(last / count)))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= last / count)
    step = max(1, int(step)) if float(step).is_integer() else int(2 * step)  # 2.5·1 is not a whole iteration
    return list(range(0, last + 1, step))


def _plotext():
    try:
        import plotext
    except ImportError:
        return None
    return plotext


def plot_available() -> bool:
    return _plotext() is not None


def terminal_chart(report, width: int = 80, height: int = CHART_HEIGHT, log: bool | None = None, color: bool = False) -> str:
    """The cost chart as text, one curve per run, with a legend (ANSI colours only when ``color``)."""
    plt = _plotext()
    if plt is None:
        raise ShapecheckError("tune.plot_missing", command=install_command("plot"))
    log = report.log_scale if log is None else log
    curves, _ = series(report, log)
    title = msg("tune.chart_title_log" if log else "tune.chart_title", every=report.every)
    if hasattr(plt, "figure") and hasattr(plt.figure, "signal"):
        text = _draw_plotext6(plt, curves, width, height, log, color, title)
    else:
        text = _draw_plotext5(plt, curves, width, height, log, color, title)
    text = text if color else ANSI.sub("", text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def _draw_plotext6(plt, curves, width, height, log, color, title) -> str:
    figure = plt.figure
    figure.clear()
    try:
        figure.plot_size(width, height)
        figure.theme("simple" if color else "colorless")
        for k, (label, xs, ys) in enumerate(curves):
            if not xs:
                continue
            signal = figure.signal(xs, ys, marker=MARKERS[k % len(MARKERS)])
            signal.label(label)
            signal.lines()
            figure.draw(signal)
        drawn = [(x, y) for _, xs, ys in curves for x, y in zip(xs, ys)]
        if drawn:  # the legend in the upper right corner: costs fall, so that corner is the emptiest
            top = max(y for _, y in drawn)
            figure.legend(x=max(x for x, _ in drawn), y=math.log10(top) if log else top, ha="right", va="top",
                          relative=True)  # in the ruler's units, which a log scale keeps as log10
        if drawn:
            ticks = iteration_ticks(max(x for x, _ in drawn))
            figure.ruler("x").ticks(ticks, [str(t) for t in ticks])  # whole iterations, never 33.3
        if log:
            figure.ruler("y").scale("log")
        figure.title(title)
        figure.label(msg("tune.chart_x"), axis="x")
        return str(figure.build())
    finally:
        figure.clear()


def _draw_plotext5(plt, curves, width, height, log, color, title) -> str:
    plt.clear_figure()
    try:
        plt.plotsize(width, height)
        plt.theme("pro" if color else "clear")
        for k, (label, xs, ys) in enumerate(curves):
            if xs:
                plt.plot(xs, ys, label=label, marker=MARKERS[k % len(MARKERS)])
        drawn = [x for _, xs, _ in curves for x in xs]
        if drawn:
            plt.xticks(iteration_ticks(max(drawn)))
        if log:
            plt.yscale("log")
        plt.title(title)
        plt.xlabel(msg("tune.chart_x"))
        return plt.build()
    finally:
        plt.clear_figure()


class CostChart:
    """A rich renderable: the terminal chart drawn at the console's width, in colour when the console has it."""

    def __init__(self, report) -> None:
        self.report = report

    def __rich_console__(self, console, options):
        from rich.text import Text

        if not plot_available():
            yield Text(msg("tune.plot_missing", command=install_command("plot")), style="yellow")
            return
        width = max(40, min(options.max_width, MAX_CHART_WIDTH))
        color = console.color_system is not None and not console.no_color
        text = terminal_chart(self.report, width=width, color=color)
        yield Text.from_ansi(text) if color else Text(text)

    def __html__(self) -> str:
        """In a notebook: the course's plot (matplotlib) when it is installed, else the text chart."""
        from html import escape

        try:
            require_matplotlib()
        except ShapecheckError:
            if not plot_available():
                return f'<div style="color:#b8860b">{escape(msg("tune.png_missing", command=install_command("png")))}</div>'
            return f'<pre style="font-family:monospace">{escape(terminal_chart(self.report))}</pre>'
        from shapecheck.views.html import figure_html

        return figure_html(cost_figure(self.report))


# --- PNG (matplotlib) -------------------------------------------------------------------------------


def require_matplotlib() -> None:
    """Raise the one-line install hint when matplotlib is missing (call it before a long sweep)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ShapecheckError("tune.png_missing", command=install_command("png")) from None


def save_png(report, path, log: bool | None = None) -> None:
    """The cost chart as an image (the format follows the file's suffix: .png, .svg, .pdf)."""
    _save(cost_figure(report, log), path)


def cost_figure(report, log: bool | None = None):
    """The cost chart as a matplotlib Figure (labels in English when ``png_in_english()``)."""
    require_matplotlib()
    from shapecheck.views.figures import figure_class  # no pyplot: no window, no global backend switch

    Figure = figure_class()  # noqa: N806 - a class; it shows itself in a notebook
    say = _png_msg()
    log = report.log_scale if log is None else log
    curves, cap = series(report, log)
    figure = Figure(figsize=(8, 5), dpi=110, layout="constrained")
    axes = figure.subplots()
    for (label, xs, ys), run in zip(curves, report.runs):
        if xs:
            axes.plot(xs, ys, marker=".", markersize=3, label=f"{label}: {verdict_text(run, say)}")
    if log:
        axes.set_yscale("log")
    if cap is not None:
        axes.set_ylim(top=cap * (2 if log else 1.05))
    axes.set_title(say("tune.png_title", data=report.data, m=report.m_train, iterations=report.iterations))
    axes.set_xlabel(say("tune.chart_x"))
    axes.set_ylabel(say("tune.chart_y"))
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    return figure


def save_boundary_png(report, path, resolution: int = 150) -> None:
    """The decision boundary of every run (up to 12) on a 2-D set: the regions where A[L] > 0.5, and the points."""
    _save(boundary_figure(report, resolution), path)


def boundary_figure(report, resolution: int = 150):
    """The decision boundaries as a matplotlib Figure (labels in English when ``png_in_english()``)."""
    require_matplotlib()
    import numpy as np

    from shapecheck.engine.dense import forward
    from shapecheck.spec.networks import DenseNet
    from shapecheck.views.figures import figure_class

    data = report.dataset
    runs = [r for r in report.runs if r.params][:MAX_PANELS]
    if data is None or data.X.shape[0] != 2 or data.Y.shape[0] != 1 or not runs:
        raise ShapecheckError("tune.boundary_needs_2d", n0=None if data is None else data.X.shape[0])
    X, Y = data.X, data.Y
    low, high = X.min(axis=1) - 0.5, X.max(axis=1) + 0.5
    u, v = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    grid = np.vstack([u.ravel(), v.ravel()])  # (2, resolution²): every grid point is an example
    columns = min(4, len(runs))
    rows = math.ceil(len(runs) / columns)
    figure = figure_class()(figsize=(3.2 * columns, 3.0 * rows), dpi=100, layout="constrained")
    say = _png_msg()
    for k, run in enumerate(runs):
        axes = figure.add_subplot(rows, columns, k + 1)
        network = DenseNet(run.layer_dims, run.activations)
        with np.errstate(all="ignore"):
            AL, _ = forward(network, run.params, grid)
        regions = np.where(np.isfinite(AL), AL > 0.5, 0.5).reshape(u.shape)
        axes.contourf(u, v, regions, levels=[-0.25, 0.25, 0.75, 1.25], colors=["#9ecae1", "#dddddd", "#fdae6b"])
        axes.scatter(X[0], X[1], c=Y[0], cmap="coolwarm", s=6, edgecolors="none")
        accuracy = run.train_accuracy
        title = f"{run.label}\n{verdict_text(run, say)}" + ("" if accuracy is None else f", {accuracy:.0%}")
        axes.set_title(title, fontsize="small")
        axes.set_xticks([])
        axes.set_yticks([])
    return figure


def _save(figure, path) -> None:
    try:
        figure.savefig(path)
    except (OSError, ValueError) as exc:  # a folder that does not exist, a suffix matplotlib cannot write
        raise ShapecheckError("tune.png_write", path=str(path), reason=str(exc).split("\n")[0]) from None


# --- the report's rich view -------------------------------------------------------------------------


def verdict_text(run, say=msg) -> str:
    text = say(f"tune.verdict_{run.verdict}")
    if run.reason in ("collapsed", "stalled", "hardly_moved", "not_finite", "ended_higher"):
        text += " " + say(f"tune.reason_{run.reason}")
    return text


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _cost(run) -> str:
    cost = run.final_cost
    if run.stopped_at is not None:
        return msg("tune.stopped_at", iteration=run.stopped_at)
    return f"{cost:.4g}" if abs(cost) < 1e4 else f"{cost:.2e}"


def report_view(report):
    from rich import box
    from rich.console import Group
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from shapecheck.views.wrap import unbroken

    title = msg("tune.title", data=report.data, m_train=report.m_train, m_test=report.m_test,
                iterations=report.iterations, init=report.init, seed=report.seed)
    parts: list = [Text(title, style="bold")]
    parts.append(CostChart(report))  # plotext in a terminal, matplotlib in a notebook, else how to install one
    _, cap = series(report, report.log_scale)
    if cap is not None:
        parts.append(Text(msg("tune.clipped", cap=cap), style="dim"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1))
    table.add_column(escape(msg("tune.col_setting")), no_wrap=True)
    table.add_column(escape(msg("tune.col_final_cost")), justify="right", no_wrap=True)
    table.add_column(escape(msg("tune.col_train")), justify="right", no_wrap=True)
    if report.m_test:
        table.add_column(escape(msg("tune.col_test")), justify="right", no_wrap=True)
    table.add_column(escape(msg("tune.col_verdict")))
    best = report.best
    for run in report.runs:
        cells = [Text(run.label + (" ◀" if run.index == best else ""), style="bold" if run.index == best else ""),
                 Text(_cost(run)), Text(_percent(run.train_accuracy))]
        if report.m_test:
            cells.append(Text(_percent(run.test_accuracy)))
        cells.append(Text(verdict_text(run), style=VERDICT_STYLE[run.verdict]))
        table.add_row(*cells)
    parts.append(table)
    parts += [unbroken(line, style="bold") for line in advice_text(report)]
    parts.append(unbroken(msg("tune.rule"), style="dim"))
    return Group(*parts)


def progress_bar() -> Callable[[int, int], None]:
    """The sweep's bar: iterations of all runs, as a percentage; silent once full."""
    from shapecheck.views.progress import progress_bar as bar

    return bar(msg("tune.progress"), once=True)


VERDICT_STYLE = {"good": "bold green", "slow": "yellow", "oscillates": "bold red", "diverged": "bold red"}


def advice_text(report) -> list[str]:
    """The sentences under the table: the suggested α for each network, or what to try next."""
    lines = []
    if "learning_rate" not in report.swept:  # one α per network: nothing to suggest about α
        report_advice = ()
    else:
        report_advice = report.advice
    for advice in report_advice:
        if advice.reason == "best_good":
            line = msg("tune.suggest_best", alpha=advice.alpha)
        elif advice.reason == "none":
            line = msg("tune.suggest_none")
        else:
            line = msg(f"tune.suggest_{advice.reason}", alpha=advice.alpha)
        # several networks: say whose advice it is, through the catalogue, so that in a right-to-left
        # language the network's name ("[2, 20, 1] relu") sits in an isolate and the line stays RTL
        lines.append(msg("tune.advice_for", network=advice.network, advice=line) if len(report.advice) > 1 else line)
    if report.best is not None and len(report.advice) > 1:
        lines.append(msg("tune.best_setting", setting=report.runs[report.best].label))
    return lines
