"""Every `$ shapecheck ...` of the README runs as written, in a folder where `shapecheck examples write` ran
(what a new user has after following the README), and prints what the README shows."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CLI = [sys.executable, "-c", "from shapecheck.cli.app import main; main()"]
# `console` blocks: the command after "$ ", then what it prints, up to the block's end
SESSIONS = re.findall(r"```console\n\$ (shapecheck [^\n]*)\n(.*?)```", README, flags=re.S)


def test_the_readme_has_its_sessions():
    assert {shlex.split(command)[1] for command, _ in SESSIONS} >= {"shapes", "summary", "params", "diagnose"}


@pytest.fixture(scope="module")
def examples_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new_user")
    written = subprocess.run([*CLI, "examples", "write"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr
    return folder


@pytest.mark.parametrize("command, shown", SESSIONS, ids=[c for c, _ in SESSIONS])
def test_a_readme_session_runs_as_written_and_prints_what_it_shows(examples_folder, command, shown):
    env = {**os.environ, "COLUMNS": "100", "SHAPECHECK_LANG": "en"}
    result = subprocess.run([*CLI, *shlex.split(command)[1:]], cwd=examples_folder, capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode in (0, 1), result.stderr  # a check may fail (that is the example); input never does
    words = lambda text: " ".join(text.split())  # noqa: E731 - wrapping and centring differ with the terminal
    assert words(result.stdout) == words(shown), result.stdout  # all of it: a README that shows less is stale


def test_the_readme_names_every_file_examples_write_writes():
    from shapecheck.cli.examples import FILES

    listed = re.search(r"shapecheck examples write +# (.*)", README).group(1)
    assert sorted(listed.split(", ")) == sorted(FILES)
