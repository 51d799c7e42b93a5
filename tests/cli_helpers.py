"""Run the real ``shapecheck`` application in-process, as a user's shell would."""

import json

from typer.testing import CliRunner

from shapecheck.cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def run_json(*args: str):
    result = run(*args, "--json")
    return result, json.loads(result.stdout)


def assert_one_line_error(result, *words: str) -> None:
    """Bad input: exit code 2, nothing on stdout, one line on stderr naming ``words``."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert all(word in result.stderr for word in words), result.stderr
