"""``shapecheck diagnose --list``: every assignment diagnose knows, with its functions."""

import json

from typer.testing import CliRunner

from shapecheck.cli.app import app
from shapecheck.diagnosis.contract import KINDS

runner = CliRunner()


def test_list_names_every_assignment_and_its_functions_in_json():
    result = runner.invoke(app, ["diagnose", "--list", "--json"])
    assert result.exit_code == 0
    listed = {a["kind"]: a["functions"] for a in json.loads(result.stdout)["assignments"]}
    assert listed == {kind: [c.name for c in contracts] for kind, contracts in KINDS.items()}
    assert "L_model_backward" in listed["dnn"] and "lstm_backward" in listed["rnn"]


def test_list_shows_a_table_with_the_kinds():
    result = runner.invoke(app, ["diagnose", "--list"], terminal_width=200)
    assert result.exit_code == 0
    assert "--kind" in result.stdout and "initialize_parameters_deep" in result.stdout


def test_diagnose_without_a_file_is_one_line_and_exit_2():
    result = runner.invoke(app, ["diagnose"])
    assert result.exit_code == 2
    assert "--list" in result.stderr and result.stderr.count("\n") == 1
