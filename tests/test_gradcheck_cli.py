"""``shapecheck gradcheck`` as a user meets it: the table, JSON, --bug, --list-bugs, exit codes."""

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from shapecheck.gradients.bugs import BUG_NAMES
from shapecheck.cli.gradcheck import register

from shapecheck.cli.app import app  # the real application: its error boundary, its conventions
from cli_helpers import assert_one_line_error


runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["gradcheck", *[str(a) for a in args]])


def test_the_engine_passes_and_exits_0():
    result = run(5, 4, 3, 1, "-m", 10)
    assert result.exit_code == 0, result.output
    assert "PASS" in result.stdout and "dW3" in result.stdout and "db1" in result.stdout


@pytest.mark.parametrize("mode", ["sample", "directional"])
def test_the_other_modes_pass_too_and_say_what_they_cover(mode):
    result = run(5, 4, 3, 1, "--mode", mode, "-k", 3, "--seed", 4)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # the caption may wrap
    assert mode in text and "seed 4" in text


def test_an_injected_mistake_fails_with_exit_1_and_explains_itself():
    result = run(5, 4, 3, 1, "-m", 10, "--bug", "missing_1_over_m")
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.stdout and "missing_1_over_m" in result.stdout
    assert "dW3 is the first wrong gradient" in " ".join(result.stdout.split())


def test_json_is_alone_on_stdout_with_the_design_keys():
    result = run(5, 4, 3, 1, "-m", 10, "--bug", "wrong_sign_dAL", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {"passed", "difference", "threshold", "mode", "tensors"} <= set(data)
    assert data["passed"] is False and data["bug"] == "wrong_sign_dAL" and data["first_failure"] == "dW3"
    assert [t["name"] for t in data["tensors"]] == ["dW3", "db3", "dW2", "db2", "dW1", "db1"]
    assert data["tensors"][0]["pattern"]["kind"] == "opposite_sign"


def test_json_of_a_passing_check():
    result = run(3, 2, 1, "--json", "--init", "he")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["passed"] is True and data["network"] == "[3, 2, 1]"


def test_list_bugs_shows_every_mistake_with_what_it_does():
    result = run("--list-bugs")
    assert result.exit_code == 0
    for name in BUG_NAMES:
        assert name in result.stdout
    assert "dW[l]" in result.stdout  # brackets are text, not rich markup
    data = json.loads(run("--list-bugs", "--json").stdout)
    assert [b["name"] for b in data["bugs"]] == list(BUG_NAMES) and all(b["description"] for b in data["bugs"])


@pytest.mark.parametrize("args, words", [
    ((5, 0, 1), ["n1 = 0"]),
    ((5, -4, 1), ["n1 = -4"]),
    ((5, 4, 1, "--mode", "fast"), ["fast", "directional"]),
    ((5, 4, 1, "--bug", "nope"), ["nope", "--list-bugs"]),
    ((5, 4, 1, "-m", 0), ["m = 0"]),
    ((5, 4, 1, "-k", 0), ["k = 0"]),
    ((5, 4, 1, "--init", "zeros"), ["zeros", "course"]),
    ((), ["layer sizes"]),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(args, words):
    assert_one_line_error(run(*args), *words)


PROBE = "import sys; import {module}; sys.exit(3 if 'numpy' in sys.modules else 0)"


def test_the_command_module_does_not_import_numpy(tmp_path):
    # run outside the checkout: there `import shapecheck` would find the source tree, which has no cli/
    probe = lambda module: subprocess.run([sys.executable, "-c", PROBE.format(module=module)], cwd=tmp_path).returncode  # noqa: E731
    assert probe("shapecheck.cli.gradcheck") == 0
    # meta: the probe does see numpy when a module imports it
    assert probe("shapecheck.gradients.gradcheck") == 3
