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
