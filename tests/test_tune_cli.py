"""``shapecheck tune`` as a user meets it: chart and table, JSON, the other sweeps, pictures, one-line errors."""

import importlib
import json
import re
import sys

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from shapecheck.cli.tune import register
from shapecheck.engine.data import make_moons

from shapecheck.cli.app import app  # the real application: its error boundary, its conventions
from cli_helpers import assert_one_line_error


runner = CliRunner()
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
QUICK = ["--iterations", "200", "--every", "20", "-m", "100"]


def run(*args):
    return runner.invoke(app, ["tune", *[str(a) for a in args]])


def test_the_issues_example_shows_the_table_the_verdicts_and_the_suggested_alpha():
    result = run(2, 8, 4, 1, "--data", "moons", "--alphas", "0.0001,0.1,50", *QUICK)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Sweep on moons" in text and "α=0.0001" in text and "α=50" in text
    assert "too small: slow" in text and "Suggested α = 0.1" in text


def test_json_is_alone_on_stdout_with_every_run():
    result = run(2, 6, 1, "--data", "circles", "--alphas", "0.01,0.5", "--json", *QUICK)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["learning_rate"] for r in data["runs"]] == [0.01, 0.5]
    assert data["data"]["name"] == "circles" and data["iterations"] == 200
    assert all(r["checked"][:2] == ["W1", "b1"] for r in data["runs"])


def test_dims_list_and_activations_sweep_every_combination():
    result = run("--dims-list", "2 4 1; 2 4 3 1", "--activations", "relu,tanh", "--alphas", "0.1", "--json", *QUICK)
    assert result.exit_code == 0, result.output
    settings = [r["setting"] for r in json.loads(result.stdout)["runs"]]
    assert settings == ["[2, 4, 1] relu", "[2, 4, 1] tanh", "[2, 4, 3, 1] relu", "[2, 4, 3, 1] tanh"]


def test_the_same_seed_gives_the_same_json_and_another_seed_does_not():
    args = (2, 5, 1, "--alphas", "0.1", "--json", *QUICK)
    first, again, other = run(*args, "--seed", 3), run(*args, "--seed", 3), run(*args, "--seed", 4)
    assert first.stdout == again.stdout and first.stdout != other.stdout


def test_the_users_npz_trains(tmp_path):
    X, Y = make_moons(m=60)
    np.savez(tmp_path / "mine.npz", X=X, Y=Y)
    result = run(2, 4, 1, "--data", tmp_path / "mine.npz", "--alphas", "0.1", "--json", *QUICK)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"] == {"name": "mine.npz", "m_train": 48, "m_test": 12}


def test_a_transposed_npz_is_one_line_and_exit_2(tmp_path):
    X, Y = make_moons(m=60)
    np.savez(tmp_path / "mine.npz", X=X.T, Y=Y)
    assert_one_line_error(run(2, 4, 1, "--data", tmp_path / "mine.npz"), "mine.npz", "X has shape (60, 2)", "transposed")


@pytest.mark.parametrize("args, words", [
    ((2, 4, 1, "--alphas", "0.1,fast"), ["--alphas", "'0.1,fast'"]),
    ((2, 4, 1, "--alphas", "0.1,-1"), ["learning_rate = -1.0"]),
    ((2, 0, 1,), ["n1"]),
    ((), ["No network"]),
    ((2, 4, 1, "--dims-list", "2 3 1"), ["given twice"]),
    ((2, 4, 1, "--dims-list", " ; "), ["--dims-list"]),
    ((2, 4, 1, "--data", "petals"), ["Unknown data 'petals'"]),
    ((2, 4, 1, "--activations", "relu,swish"), ["swish"]),
    ((2, 4, 1, "--init", "glorot"), ["glorot"]),
    ((3, 4, 1, "--data", "moons"), ["n0 = 2"]),
    ((2, 4, 1, "--iterations", "0"), ["iterations = 0"]),
    ((2, 4, 1, "--nope"), ["--nope"]),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(args, words):
    assert_one_line_error(run(*args), *words)


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib is not installed: pip install matplotlib")
def test_png_and_boundary_are_written_and_named_on_stderr(tmp_path):
    costs, regions = tmp_path / "costs.png", tmp_path / "regions.png"
    result = run(2, 5, 1, "--alphas", "0.01,0.3", "--png", costs, "--boundary", regions, "--log", "--json", *QUICK)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the pictures leave stdout to the JSON
    assert costs.read_bytes()[:4] == b"\x89PNG" and regions.read_bytes()[:4] == b"\x89PNG"
    assert f"Saved {costs}" in result.stderr and f"Saved {regions}" in result.stderr


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib is not installed: pip install matplotlib")
def test_in_arabic_an_english_labelled_png_is_announced_on_stderr(monkeypatch, tmp_path):
    from shapecheck.core.language import set_language
    from shapecheck.core.messages import msg
    from shapecheck.views import figures

    monkeypatch.setattr(figures, "matplotlib_shapes_text", lambda: False)
    set_language("ar")
    try:
        result = run(2, 5, 1, "--alphas", "0.1", "--png", tmp_path / "c.png", *QUICK)
        note = msg("tune.png_in_english")
    finally:
        set_language(None)
    assert result.exit_code == 0, result.output
    assert note in result.stderr and "matplotlib" in note
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_png_without_matplotlib_fails_before_training_with_the_install_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    trained = []
    sweep_module = importlib.import_module("shapecheck.tune.sweep")
    monkeypatch.setattr(sweep_module, "train_stack", lambda *a, **k: trained.append(a) or [])
    assert_one_line_error(run(2, 5, 1, "--png", tmp_path / "c.png"), "pip install 'matplotlib>=3.7'")
    assert trained == [] and not (tmp_path / "c.png").exists()


def test_a_boundary_picture_of_a_wide_network_is_refused_before_training(tmp_path):
    if not HAS_MATPLOTLIB:
        pytest.skip("matplotlib is not installed: pip install matplotlib")
    assert_one_line_error(run(3, 4, 1, "--data", "linear", "--boundary", tmp_path / "r.png"), "n0 = 3")


PROBE = """
import sys
import typer
from shapecheck.cli.tune import register
register(typer.Typer())
{more}
sys.exit(3 if "numpy" in sys.modules else 0)
"""


def probe(more: str = "") -> int:
    import subprocess
    import tempfile

    result = subprocess.run([sys.executable, "-c", PROBE.format(more=more)], capture_output=True, text=True,
                            cwd=tempfile.gettempdir())  # away from the checkout's bare folders
    assert result.returncode in (0, 3), result.stderr
    return result.returncode


def test_registering_the_command_imports_no_numpy():
    assert probe() == 0  # the shape commands start as fast with tune registered


def test_meta_the_probe_sees_numpy_once_the_command_runs_its_library():
    assert probe("import shapecheck.tune") == 3


def paragraph_direction(line: str) -> str | None:
    """The Unicode bidi algorithm's rules P2-P3: the first strong letter outside isolates decides a line's direction."""
    import unicodedata

    depth = 0
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(0, depth - 1)
        elif depth == 0 and kind == "L":
            return "ltr"
        elif depth == 0 and kind in ("R", "AL"):
            return "rtl"
    return None


def test_with_several_networks_each_arabic_advice_line_stays_right_to_left():
    from shapecheck.core.language import set_language

    set_language("ar")
    try:
        result = run("--dims-list", "2 4 1; 2 4 3 1", "--alphas", "0.01,0.1", *QUICK)
    finally:
        set_language(None)
    assert result.exit_code == 0, result.output
    # the advice, one line per network, and the best setting: Arabic sentences naming a network (not the
    # chart's legend, not the table's indented rows)
    arabic = re.compile("[\u0600-\u06FF]")
    advice = [line for line in result.stdout.splitlines()
              if "[2, 4" in line and arabic.search(line) and not line.startswith(" ")]
    assert len(advice) >= 2, result.stdout
    assert [paragraph_direction(line) for line in advice] == ["rtl"] * len(advice), advice
    assert paragraph_direction("[2, 4, 1] relu: القيمة المقترحة") == "ltr"  # meta: what the old prefix did
