"""The tracer and checker run before any math: they import no numpy, so shape commands start fast."""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROBE = """
import sys
{setup}
sys.exit(3 if "numpy" in sys.modules else 0)
"""

TRACE = """
import shapecheck as sc
sc.trace(sc.dense_net([12288, 20, 7, 5, 1]), m=209).to_json()
sc.trace(sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1)])).summary().to_json()
sc.check_params(sc.dense_net([3, 2]), {"W1": (2, 3), "b1": (2,)})
sc.check_params(None, {"Wf": (5, 8), "bf": (5, 1)})
"""

CLI = """
import contextlib, io
from shapecheck.cli.app import app
with contextlib.redirect_stdout(io.StringIO()):
    for args in (["shapes", "12288", "20", "7", "5", "1"], ["summary", {lesson!r}]):
        code = app(args, standalone_mode=False)
        assert code in (0, None), code
"""


CLI = CLI.replace("{lesson!r}", repr(str(Path(__file__).resolve().parent.parent / "examples" / "lstm_lesson.toml")))


def probe(setup: str) -> int:
    # run away from the checkout: its bare shapecheck/ folder would shadow the installed package
    result = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], capture_output=True, text=True, cwd=tempfile.gettempdir())
    assert result.returncode in (0, 3), result.stderr
    return result.returncode


@pytest.mark.parametrize("setup", [TRACE, CLI], ids=["library", "cli"])
def test_shapes_need_no_numpy(setup):
    assert probe(setup) == 0


def test_meta_the_probe_sees_numpy_when_it_is_imported():
    # If this fails, the test above could never fail.
    assert probe(TRACE + "\nimport shapecheck.strategies") == 3
