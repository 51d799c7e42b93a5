"""``shapecheck grade`` as an instructor and an autograder run it: exit codes, JSON, JUnit, Gradescope."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shapecheck.cli.app import app
from test_grade_class import build_class

if not any(command.name == "grade" for command in app.registered_commands):  # until the lead registers it
    from shapecheck.cli.grade import register

    register(app)

from cli_helpers import run  # noqa: E402 - after the command exists

GALLERY = Path(__file__).resolve().parent / "gallery"


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    return build_class(tmp_path_factory.mktemp("cli") / "submissions",
                       {"ada": "correct/dnn_course.py", "eve": "dnn/dW_missing_1_over_m.py"})


def test_json_is_the_class_summary_and_a_failing_student_exits_1(submissions, tmp_path):
    result = run("grade", submissions, "--out", tmp_path / "out", "--jobs", "2", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(s["id"], s["score"], s["max_score"]) for s in data["submissions"]] == [("ada", 9.0, 9.0), ("eve", 8.0, 9.0)]
    stored = json.loads((tmp_path / "out/class.json").read_text())
    assert data["graded_now"] == 2 and {k: data[k] for k in stored} == stored  # class.json, plus how the run went


def test_summary_shows_root_causes_and_the_histogram(submissions, tmp_path):
    result = run("grade", submissions, "--out", tmp_path / "out", "--summary")
    assert result.exit_code == 1
    assert "missing 1/m in linear_backward: 1 student(s), e.g. eve" in result.stdout
    assert "90-100% ████" in result.stdout


def test_a_passing_class_exits_0_and_junit_goes_to_stdout(submissions, tmp_path):
    result = run("grade", submissions / "ada.py", "--out", tmp_path / "out", "--format", "junit")
    assert result.exit_code == 0
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite.get("name") == "ada" and suite.get("tests") == "9" and suite.get("failures") == "0"


def test_gradescope_writes_results_json_where_told(submissions, tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "Building_your_Deep_Neural_Network.py").write_bytes((submissions / "eve.py").read_bytes())
    results = tmp_path / "results" / "results.json"
    result = run("grade", folder, "--gradescope", "--results", results)
    assert result.exit_code == 1
    data = json.loads(results.read_text())
    assert data["score"] == 8.0 and len(data["tests"]) == 9
    assert next(t for t in data["tests"] if t["name"] == "linear_backward")["status"] == "failed"


@pytest.mark.parametrize("args, words", [
    (["nowhere/"], "No such file or folder: nowhere"),
    (["{sub}", "--format", "xml"], "--format 'xml'"),
    (["{sub}", "--jobs", "0"], "--jobs 0"),
    (["{sub}", "--kind", "cnn"], "--kind 'cnn'"),
    (["{sub}", "--rubric", "{rubric}"], "line 2"),
    (["{sub}", "{sub}", "--gradescope"], "one student"),
    ([], "at least one submission"),
    (["{empty}"], "No submissions in"),
])
def test_bad_input_is_one_line_and_exit_2(submissions, tmp_path, args, words):
    rubric = tmp_path / "rubric.toml"
    rubric.write_text("[points]\nlinear_fwd = 1\n")
    (tmp_path / "empty").mkdir()
    filled = [a.format(sub=submissions, rubric=rubric, empty=tmp_path / "empty") for a in args]
    result = run("grade", *filled, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert words in result.stderr and result.stderr.count("\n") == 1


def test_the_progress_bar_counts_done_failed_and_timed_out(capsys):
    from shapecheck.cli.grade import _Progress

    with _Progress(enabled=True) as progress:
        progress.update({"total": 3, "done": 1, "failed": 0, "timed_out": 0})
        progress.update({"total": 3, "done": 2, "failed": 1, "timed_out": 1})
    assert "2/3 done, 1 failed, 1 timed out" in capsys.readouterr().err
    assert progress.done == 2
