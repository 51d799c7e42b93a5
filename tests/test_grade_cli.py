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
    (["{sub}", "--memory", "100"], "from 256"),
    (["{sub}", "--seed", "-1"], "--seed -1"),
    (["{sub}", "--timeout", "0"], "--timeout 0"),
    (["{sub}", "--timeout", "nan"], "--timeout nan"),
    (["{sub}", "--rubric", "{huge}"], "line 2"),
    (["{sub}", "--kind", "cnn"], "--kind 'cnn'"),
    (["{sub}", "--rubric", "{rubric}"], "line 2"),
    (["{sub}", "{sub}", "--gradescope"], "one student"),
    ([], "at least one submission"),
    (["{empty}"], "No submissions in"),
])
def test_bad_input_is_one_line_and_exit_2(submissions, tmp_path, args, words):
    rubric = tmp_path / "rubric.toml"
    rubric.write_text("[points]\nlinear_fwd = 1\n")
    huge = tmp_path / "huge.toml"
    huge.write_text("[points]\nlinear_forward = 1e400\n")
    (tmp_path / "empty").mkdir()
    filled = [a.format(sub=submissions, rubric=rubric, empty=tmp_path / "empty", huge=huge) for a in args]
    result = run("grade", *filled, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert words in result.stderr and result.stderr.count("\n") == 1


def test_out_that_is_a_file_is_refused_before_grading_and_the_file_is_left_alone(submissions, tmp_path):
    mine = tmp_path / "weights.npz"
    mine.write_bytes(b"not results")
    result = run("grade", submissions, "--out", mine)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "--out" in result.stderr and "is a file, not a folder" in result.stderr and "free some space" not in result.stderr
    assert mine.read_bytes() == b"not results"


def test_gradescope_leaves_no_temporary_folder_behind(submissions, tmp_path):
    import tempfile

    before = set(Path(tempfile.gettempdir()).iterdir())
    results = tmp_path / "results.json"
    assert run("grade", submissions / "ada.py", "--gradescope", "--results", results).exit_code == 0
    assert json.loads(results.read_text())["score"] == 9.0
    assert set(Path(tempfile.gettempdir()).iterdir()) == before


def test_functions_a_rubric_forgets_are_warned_about_and_zero_is_on_purpose(submissions, tmp_path):
    rubric = tmp_path / "rubric.toml"
    rubric.write_text('kind = "dnn"\n[points]\nlinear_forward = 2\nlinear_backward = 3\n')
    result = run("grade", submissions, "--out", tmp_path / "out", "--rubric", rubric, "--json")
    data = json.loads(result.stdout)
    assert data["warnings"] and "initialize_parameters_deep" in result.stderr and "update_parameters" in result.stderr
    assert "linear_forward," not in data["warnings"][0]
    others = ["initialize_parameters_deep", "linear_activation_forward", "L_model_forward", "compute_cost",
              "linear_activation_backward", "L_model_backward", "update_parameters"]
    rubric.write_text(rubric.read_text() + "".join(f"{name} = 0\n" for name in others))
    result = run("grade", submissions, "--out", tmp_path / "out", "--rubric", rubric, "--json")
    assert json.loads(result.stdout)["warnings"] == [] and result.stderr == ""
    assert [s["max_score"] for s in json.loads(result.stdout)["submissions"]] == [5.0, 5.0]


def test_the_progress_bar_counts_done_failed_and_timed_out(capsys):
    from shapecheck.cli.grade import _Progress

    with _Progress(enabled=True) as progress:
        progress.update({"total": 3, "done": 1, "failed": 0, "timed_out": 0})
        progress.update({"total": 3, "done": 2, "failed": 1, "timed_out": 1})
    assert "2/3 done, 1 failed, 1 timed out" in capsys.readouterr().err
    assert progress.done == 2
