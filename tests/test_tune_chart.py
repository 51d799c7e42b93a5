"""The pictures of a sweep (terminal chart, PNG, decision boundaries) and its report: rendered text and JSON."""

import importlib
import json
import math
import re
import sys
import warnings

import pytest

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.language import set_language
from shapecheck.tune import chart, sweep
from shapecheck.views import figures

HAS_PLOTEXT = importlib.util.find_spec("plotext") is not None
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
needs_plotext = pytest.mark.skipif(not HAS_PLOTEXT, reason="plotext is not installed: pip install plotext")
needs_matplotlib = pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib is not installed: pip install matplotlib")


@pytest.fixture(scope="module")
def report():
    return sweep([2, 6, 1], "moons", learning_rates=[0.001, 0.1, 40.0], iterations=200, every=20, m=100, progress=False)


@needs_plotext
def test_the_terminal_chart_has_a_curve_and_a_legend_entry_per_run(report):
    text = chart.terminal_chart(report, width=80, height=18)
    lines = text.splitlines()
    assert "Cost J every 20 iterations" in lines[0]
    assert max(len(line) for line in lines) <= 80 and "\x1b[" not in text  # plain text unless asked for colour
    for run, marker in zip(report.runs, chart.MARKERS):
        assert f"{marker} {run.label}" in text  # the legend: marker, then setting
        plotted = sum(line.count(marker) for line in lines) - 1  # minus the legend's own sample
        assert plotted >= 2, (run.label, text)  # the curve itself is drawn
    assert "iteration" in lines[-1]


@needs_plotext
def test_the_log_scale_chart_says_so_and_colour_is_there_when_asked(report):
    assert "(log scale)" in chart.terminal_chart(report, log=True)
    assert "\x1b[" in chart.terminal_chart(report, color=True)


@needs_plotext
def test_the_report_shows_chart_table_verdicts_and_the_suggested_alpha_at_width_80(report):
    text = report.to_text(width=80)
    assert "Cost J every 20 iterations" in text
    assert "too small: slow" in text and "good" in text
    assert "Suggested α = 0.1" in text
    assert text.index("Cost J") < text.index("Final J") < text.index("Suggested")  # chart, then table, then advice


def test_without_plotext_the_table_still_prints_with_one_install_line(report, monkeypatch):
    monkeypatch.setattr(chart, "_plotext", lambda: None)
    text = report.to_text(width=100)
    assert "pip install 'plotext>=5.2'" in text
    assert "Cost J every" not in text
    assert "too small: slow" in text and "Final J" in text
    with pytest.raises(ShapecheckError, match="plotext"):
        chart.terminal_chart(report)


def test_a_spike_is_drawn_at_the_cap_so_it_does_not_flatten_the_others(report):
    curves, cap = chart.series(report, log=False)
    starts = [r.costs[0][1] for r in report.runs]
    assert max(c for _, _, ys in curves for c in ys) <= 1.5 * max(starts)
    assert max(c for _, c in report.runs[-1].costs if math.isfinite(c)) > 1.5 * max(starts)  # α = 40 blew up
    assert cap == pytest.approx(1.5 * max(starts))
    assert "Costs above" in report.to_text(width=100)


@pytest.mark.parametrize("last, ticks", [(3000, [0, 500, 1000, 1500, 2000, 2500, 3000]), (200, [0, 50, 100, 150, 200]),
                                         (7, [0, 2, 4, 6]), (1, [0, 1]), (0, [0])])
def test_the_iteration_axis_has_round_whole_ticks(last, ticks):
    assert chart.iteration_ticks(last) == ticks


@needs_matplotlib
def test_the_png_is_written(report, tmp_path):
    path = tmp_path / "costs.png"
    chart.save_png(report, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


@needs_matplotlib
def test_the_decision_boundary_png_is_written_for_a_2d_set(report, tmp_path):
    path = tmp_path / "regions.png"
    chart.save_boundary_png(report, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_matplotlib
def test_the_decision_boundary_needs_a_2d_set(tmp_path):
    wide = sweep([3, 4, 1], "linear", learning_rates=[0.1], iterations=10, m=30, progress=False)
    with pytest.raises(ShapecheckError, match="n0 = 3"):
        chart.save_boundary_png(wide, tmp_path / "r.png")


@needs_matplotlib
def test_a_png_that_cannot_be_written_is_one_line(report, tmp_path):
    with pytest.raises(ShapecheckError, match="Cannot write"):
        chart.save_png(report, tmp_path / "no" / "such" / "folder" / "c.png")


RIGHT_TO_LEFT_OR_ISOLATE = re.compile("[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u2066-\u2069]")


def figure_texts(figure) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


@pytest.fixture
def arabic():
    set_language("ar")
    yield
    set_language(None)


@needs_matplotlib
def test_arabic_pictures_are_labelled_in_english_when_matplotlib_cannot_shape_arabic(report, arabic, monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "matplotlib_shapes_text", lambda: False)  # matplotlib < 3.11: no libraqm
    assert chart.png_in_english()
    for figure in (chart.cost_figure(report), chart.boundary_figure(report, resolution=20)):
        texts = figure_texts(figure)
        assert texts and [t for t in texts if RIGHT_TO_LEFT_OR_ISOLATE.search(t)] == []
    assert "Cost J on moons: m = 80, 200 iterations" in figure_texts(chart.cost_figure(report))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font": a box in the picture
        chart.save_png(report, tmp_path / "costs.png")
        chart.save_boundary_png(report, tmp_path / "regions.png", resolution=20)


@needs_matplotlib
def test_arabic_pictures_keep_arabic_labels_where_matplotlib_shapes_them(report, arabic, tmp_path):
    if not chart.matplotlib_shapes_text():
        pytest.skip("this matplotlib has no libraqm (3.11 and later have it)")
    assert not chart.png_in_english()
    assert any(RIGHT_TO_LEFT_OR_ISOLATE.search(t) for t in figure_texts(chart.cost_figure(report)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.save_png(report, tmp_path / "costs.png")


def test_english_pictures_are_english_whatever_matplotlib_can_do(monkeypatch):
    monkeypatch.setattr(figures, "matplotlib_shapes_text", lambda: False)
    set_language("en")
    try:
        assert not chart.png_in_english()
    finally:
        set_language(None)


def test_without_matplotlib_the_png_asks_for_the_extra(report, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    with pytest.raises(ShapecheckError, match=r"pip install 'matplotlib>=3.7'"):
        chart.save_png(report, tmp_path / "c.png")


def test_the_json_has_every_run_with_its_curve_and_verdict(report):
    data = json.loads(report.json_text())
    assert set(data) >= {"data", "iterations", "every", "seed", "runs", "best", "suggested_alpha", "advice"}
    assert data["data"] == {"name": "moons", "m_train": 80, "m_test": 20}
    assert [r["learning_rate"] for r in data["runs"]] == [0.001, 0.1, 40.0]
    first = data["runs"][0]
    assert first["costs"][0]["iteration"] == 0 and first["costs"][-1]["iteration"] == 200
    assert len(first["costs"]) == 200 // 20 + 1
    assert {r["verdict"] for r in data["runs"]} <= {"slow", "good", "oscillates", "diverged"}
    assert data["suggested_alpha"] == 0.1 and data["runs"][data["best"]]["learning_rate"] == 0.1


def test_the_notebook_view_is_the_same_report(report):
    bundle = report._repr_mimebundle_()
    assert "Final J" in bundle["text/plain"] and "<table" in bundle["text/html"]
    assert "data:image/png;base64," in bundle["text/html"]  # the course's cost plot, not the ASCII chart
