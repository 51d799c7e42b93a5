"""The conventions people know from git, pip and pytest, on every command (cli/app.py, cli/common.py)."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_helpers import run
from shapecheck import __version__

COMMANDS = [["shapes"], ["summary"], ["params"], ["gradcheck"], ["diagnose"], ["tune"], ["grade"],
            ["demo", "lstm"], ["demo", "dense"], ["examples"], ["examples", "write"]]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_version_and_exits_0(flag):
    result = run(flag)
    assert result.exit_code == 0 and result.stdout.startswith(f"shapecheck {__version__} (Python 3.")


@pytest.mark.parametrize("args", [[], ["demo"]])
def test_the_bare_command_is_a_short_overview_with_exit_0(args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    names = ["shapes", "summary", "params", "gradcheck", "diagnose", "tune", "grade", "demo", "examples"] if not args else ["lstm", "dense"]
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert listed == names
    assert len(result.stdout.splitlines()) <= len(names) + 6 and "error" not in result.output.lower()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_help_lists_lang_and_ends_with_examples_of_that_command(command, flag):
    result = run(*command, flag)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "--lang [en|ar]" in text and "-h, --help" in text
    head, _, examples = text.rpartition("\nExamples:\n")
    assert head and "Options:" in head  # the examples come last, after the options
    lines = [line.strip() for line in examples.strip().splitlines()]
    assert lines and all(line.startswith("shapecheck ") for line in lines), lines
    assert any(line.startswith("shapecheck " + " ".join(command)) for line in lines)


def test_help_speaks_the_language_asked_for():
    assert "أمثلة" in run("shapes", "--help", "--lang", "ar").stdout
    assert "Examples" in run("shapes", "--help", "--lang", "en").stdout


@pytest.mark.parametrize("command, option, names", [
    (["shapes"], "--hidden", "[relu|leaky_relu|tanh|sigmoid|linear|softmax]"),
    (["gradcheck"], "--mode", "[full|sample|directional]"),
    (["tune"], "--data", "[flower|moons|circles|linear|FILE]"),
    (["demo", "dense"], "--data", "[flower|moons|circles|linear]"),
])
def test_options_with_fixed_choices_list_them(command, option, names):
    assert f"{option} {names}" in run(*command, "--help").stdout


@pytest.mark.parametrize("command", [["gradcheck"], ["tune"], ["demo", "dense"]], ids=" ".join)
def test_one_default_init_everywhere_with_its_reason(command):
    text = " ".join(run(*command, "--help").stdout.split())
    assert "--init [he|xavier|course]" in text and "[default: he]" in text and "ReLU" in text


@pytest.mark.parametrize("args", [["5", "4", "1"], ["5,4,1"], ["--dims", "5 4 1"], ["--dims", "5", "4", "1"],
                                  ["--dims=5,4,1"]])
def test_layer_sizes_are_positional_with_dims_kept_as_an_alias(args):
    result = run("shapes", *args, "--json")
    assert result.exit_code == 0, result.output
    assert [row["shape"] for row in json.loads(result.stdout)["rows"] if row["tensor"] == "W1"] == [[4, 5]]


def test_params_takes_its_sizes_the_same_two_ways(tmp_path):
    import numpy as np

    path = tmp_path / "w.npz"
    np.savez(path, W1=np.zeros((4, 5)), b1=np.zeros((4, 1)), W2=np.zeros((1, 4)), b2=np.zeros((1, 1)))
    for args in (["5", "4", "1"], ["--dims", "5 4 1"], ["--dims", "5", "4", "1"]):
        assert run("params", path, *args).exit_code == 0
    wrong = run("params", path, "5", "3", "1")
    assert wrong.exit_code == 1 and "W1" in wrong.stdout


@pytest.mark.parametrize("args, code", [
    (["shapes", "5", "0", "1"], "spec.dim_not_positive"),
    (["shapes", "5", "4", "--frobnicate"], "usage"),
    (["summary", "no/such/file.toml"], None),
    (["gradcheck", "5", "4", "1", "--seed", "-1"], "input"),
])
def test_json_errors_are_json_on_stderr_with_code_message_and_hint(args, code):
    result = run(*args, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert set(error) == {"code", "message", "hint"} and error["message"] and error["hint"]
    assert code is None or error["code"] == code
    assert "--help" in error["hint"] or error["code"] not in ("usage",)


def test_a_negative_seed_is_one_line_and_exit_2():
    result = run("gradcheck", "5", "4", "1", "--seed", "-1")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--seed -1" in result.stderr


def test_control_characters_in_a_file_name_never_reach_the_terminal(tmp_path):
    result = run("summary", tmp_path / "evil\x1b[2J\x07name.toml")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\\x1b[2J" in result.stderr


def test_shell_completion_completes_commands_and_options():
    env = {**os.environ, "_SHAPECHECK_COMPLETE": "source_bash"}
    exe = [sys.executable, "-c", "from shapecheck.cli.app import main; main()"]
    script = subprocess.run(exe, env=env, capture_output=True, text=True, timeout=60).stdout
    assert "complete " in script and "_SHAPECHECK_COMPLETE=complete_bash" in script
    for words, cword, expected in (("shapecheck sh", "1", "shapes"), ("shapecheck shapes 3 --hid", "3", "--hidden")):
        env = {**os.environ, "_SHAPECHECK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
        out = subprocess.run(exe, env=env, capture_output=True, text=True, timeout=60).stdout
        assert out.split() == [expected]


@pytest.mark.parametrize("args", [["--version", "--json"], ["--json", "--version"], ["--json", "-V"]])
def test_the_version_as_json_whichever_comes_first(args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"version": __version__, "python": ".".join(map(str, sys.version_info[:3])),
                                         "lang": "en"}


@pytest.mark.parametrize("command", [["shapes", "12", "5", "1", "-m", "3"], ["shapes", "12", "0", "1"],
                                     ["gradcheck", "3", "2", "1", "-m", "4"]], ids=" ".join)
def test_json_before_the_command_is_json_after_it(command):
    before, after = run("--json", *command), run(*command, "--json")
    assert (before.exit_code, before.stdout, before.stderr) == (after.exit_code, after.stdout, after.stderr)
    json.loads(after.stdout or after.stderr)


def test_json_before_a_group_alone_or_nothing_is_the_overview():
    assert run("--json", "demo").stdout == run("demo").stdout
    assert run("--json").stdout == run().stdout


@given(lead=st.lists(st.sampled_from(["--json", "-V", "--help", "-h"]), max_size=4),
       command=st.sampled_from([[], ["shapes"], ["demo"], ["demo", "lstm"]]),
       tail=st.lists(st.sampled_from(["3", "-m", "--", "x.toml", "--hidden"]), max_size=5))
def test_json_after_command_only_moves_a_leading_json(lead, command, tail):
    from shapecheck.cli import common

    args = [*lead, *command, *tail]
    moved = common.json_after_command(args)
    assert [a for a in moved if a != "--json"] == [a for a in args if a != "--json"]   # nothing else changes
    if "--json" not in lead:
        assert moved == args
    elif "--json" in moved:                                       # once, after the command's name, before a "--"
        at, name = moved.index("--json"), next(k for k, a in enumerate(moved) if not a.startswith("-"))
        assert moved.count("--json") == 1 and name < at and "--" not in moved[name:at]
    else:                                                         # dropped: no command named, or a group alone
        assert not command or command == ["demo"] and not any(not a.startswith("-") for a in tail)
