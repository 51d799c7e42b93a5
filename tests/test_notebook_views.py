"""What a notebook shows, tested without a kernel: wrapping, HTML, the pictures, the notebook's own file."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, Group
from typer.testing import CliRunner

import shapecheck as sc
from shapecheck.cli.app import app
from shapecheck.views.wrap import guarded, hanging, unbroken

SENTENCE = ("W2 has shape (20, 7) but must be (7, 20): W[l] is (n[l], n[l-1]); fix it with "
            "np.random.randn(7, 20) * 0.01 or np.sum(dZ, axis=1, keepdims=True), then (n_a + n_x, m).")
WHOLE = ["(20, 7)", "(7, 20)", "(n[l], n[l-1])", "np.random.randn(7, 20)", "np.sum(dZ, axis=1, keepdims=True)",
         "(n_a + n_x, m)"]


def lines_of(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"), force_jupyter=False)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


@given(st.integers(36, 120))
def test_shapes_and_calls_never_break_across_lines(width):
    text = "\n".join(lines_of(Group(unbroken(SENTENCE)), width))  # as a report prints it: inside a Group
    for piece in WHOLE:
        assert piece in text


def test_the_same_sentence_breaks_inside_shapes_without_the_guard():
    """Meta-test: plain rich wrapping does split them, so the test above can fail."""
    from rich.text import Text

    broken = [w for w in range(36, 121) if any(p not in "\n".join(lines_of(Group(Text(SENTENCE)), w)) for p in WHOLE)]
    assert broken


def test_a_parenthesised_phrase_may_break_but_a_shape_may_not():
    assert guarded("x.py (deep network, step by step) is (5, 4)") == "x.py (deep network, step by step) is (5,\u00a44)"


@given(st.integers(30, 100))
def test_a_hanging_line_continues_under_its_text_not_under_its_label(width):
    lines = lines_of(hanging("Fix:", SENTENCE, indent=2), width)
    assert lines[0].startswith("  Fix: W2")
    assert all(line.startswith(" " * 7) for line in lines[1:] if line.strip())


def test_arabic_text_keeps_each_shape_whole():
    sc.set_language("ar")
    try:
        report = sc.check_params(sc.dense_net([5, 4, 1]), {"W1": np.ones((5, 4)), "b1": np.zeros((4, 1)),
                                                          "W2": np.ones((1, 4)), "b2": np.zeros((1, 1))})
        for width in range(40, 90, 7):
            text = report.to_text(width)
            assert "(4, 5)" in text and "(5, 4)" in text, width
        assert 'dir="rtl"' in report.to_html() and "(4,\u00a05)" in report.to_html()
    finally:
        sc.set_language(None)


def test_the_first_finding_is_never_cut():
    report = sc.diagnose("tests/gallery/dnn/db_missing_keepdims.py")
    first = " ".join(report.function("linear_backward").problems[0].message.split())
    for width in (72, 90, 120):
        text = report.to_text(width)
        assert "…" not in text
        rows = [line.split("✘ fail", 1)[1] for line in text.splitlines() if "✘ fail" in line]
        assert rows  # the finding column starts on the failing row and is wrapped, whole, below it
    assert first.split(" (case")[0] in " ".join(report.to_text(200).split())


def test_text_follows_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "61")
    text = str(sc.trace(sc.dense_net([5, 4, 1]), m=3))
    assert max(map(len, text.splitlines())) == 61


def test_the_html_of_a_report_is_tables_not_a_terminal_picture():
    html = sc.trace(sc.dense_net([5, 4, 1]), m=3).to_html()
    assert html.count("<table") == 1 and "<pre" not in html and "\x1b" not in html
    assert html.startswith('<div class="shapecheck-report" dir="ltr" lang="en"')


def test_a_report_bundle_honours_include_and_exclude():
    report = sc.trace(sc.dense_net([5, 4, 1]))
    assert set(report._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(report._repr_mimebundle_(exclude=["text/plain"])) == {"text/html"}


# --- pictures ---------------------------------------------------------------------------------------


def test_the_layer_diagram_draws_a_box_per_layer_in_order():
    svg = sc.trace(sc.dense_net([5, 4, 3, 1], hidden="tanh"), m=10).diagram().svg
    assert svg.count("<rect") == 4 and svg.count("<line") == 3
    positions = [svg.index(f">{name}</tspan>") for name in ("X", "W1", "W2", "W3")]
    assert positions == sorted(positions) and "tanh" in svg and "(1, 10)  (n3, m)" in svg


def test_a_sequential_diagram_uses_keras_names():
    model = sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1, activation="linear")])
    svg = sc.trace(model).diagram().svg
    assert svg.count("<rect") == 2 and ">recurrent_kernel</tspan>" in svg and "(10, 40)" in svg


def test_a_conv_nets_diagram_has_a_box_per_layer():
    from shapecheck.spec.conv_net import conv_net

    network = conv_net("64x64x3", ["conv f=7 s=1 p=3 c=32 relu", "pool f=2 s=2", "flatten", "dense n=1 sigmoid"])
    svg = sc.trace(network, m="m").diagram().svg
    assert svg.count("<rect") == 4 and "(7, 7, 3, 32)" in svg and "channels last" in svg


def test_shapes_svg_writes_the_diagram_and_a_bad_path_is_one_line(tmp_path):
    runner = CliRunner()
    target = tmp_path / "net.svg"
    result = runner.invoke(app, ["shapes", "5", "4", "3", "1", "-m", "10", "--svg", str(target)])
    assert result.exit_code == 0 and target.read_text().count("<rect") == 4
    result = runner.invoke(app, ["shapes", "5", "4", "1", "--svg", str(tmp_path / "missing" / "net.svg")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "missing" in result.stderr


def test_the_gradcheck_plot_shows_each_tensor_against_the_line_on_a_log_scale():
    spec = sc.dense_net([3, 4, 1])
    params = sc.init_params(spec, seed=1)
    X = np.random.default_rng(0).standard_normal((3, 5))
    Y = (X[:1] > 0).astype(float)
    AL, caches = sc.forward(spec, params, X)
    grads = sc.backward(spec, AL, Y, caches)
    grads["dW1"] = 1.1 * grads["dW1"]
    report = sc.gradcheck(lambda p: sc.compute_cost(sc.forward(spec, p, X)[0], Y), params, grads)
    axes = report.plot().axes[0]
    assert axes.get_yscale() == "log"
    assert [t.get_text() for t in axes.get_xticklabels()] == [t.name for t in report.tensors]
    (line,) = axes.get_lines()
    assert set(line.get_ydata()) == {2e-7}
    red = [bar.get_facecolor()[0] > 0.7 for bar in axes.patches]
    assert red == [not t.passed for t in report.tensors] and any(red)


def test_a_sweeps_plot_has_one_curve_per_setting_with_its_verdict():
    report = sc.sweep([2, 6, 1], "moons", learning_rates=[0.001, 0.1, 40.0], iterations=60, every=20, m=60,
                      progress=False)
    figure = report.plot()
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert len(labels) == 3 and all(run.label in label for run, label in zip(report.runs, labels))
    assert figure._repr_png_()[:4] == b"\x89PNG"
    assert len(report.plot_boundary().axes) == 3


# --- the notebook's own file, and watch's follow-up -------------------------------------------------


def test_a_message_about_the_generated_file_names_the_cell():
    from shapecheck.notebook import Listing, _in_cells

    listing = Listing()
    listing.add("import numpy as np")
    listing.add("def f():\n    return 1", cell=7, first=3)
    assert _in_cells("raised at notebook.py:3", listing) == "raised at cell [7], line 4"
    assert _in_cells("raised at notebook.py:1", listing) == "raised at notebook.py:1"  # our own import line


def test_rewatch_wraps_a_redefined_function_and_unwatch_restores_it():
    # from the module: once shapecheck.watch is imported, the package attribute sc.watch is that module
    from shapecheck.validate.watch import WatchError, original, rewatch, unwatch, watch

    def linear_forward(A, W, b):
        return W @ A + b, (A, W, b)

    namespace = {"linear_forward": linear_forward}
    watch(namespace)
    first = namespace["linear_forward"]

    def linear_forward(A, W, b):  # noqa: F811 - the student runs the cell again
        return W @ A + b, (A, W, b)

    namespace["linear_forward"] = linear_forward
    rewatch(namespace)
    assert namespace["linear_forward"] is not linear_forward and original(namespace["linear_forward"]) is linear_forward
    assert original(first) is not linear_forward
    with pytest.raises(WatchError, match=re.escape("rank-1 (3,)")):
        namespace["linear_forward"](np.ones((5, 2)), np.ones((3, 5)), np.zeros(3))
    unwatch(namespace)
    assert namespace["linear_forward"] is linear_forward


def test_import_shapecheck_offers_the_extension_without_loading_numpy_or_ipython():
    code = ("import sys, shapecheck; assert callable(shapecheck.load_ipython_extension); "
            "sys.exit(sorted(m for m in ('numpy', 'rich', 'typer', 'IPython') if m in sys.modules) != [])")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
