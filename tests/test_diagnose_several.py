"""A file that holds functions of several assignments is diagnosed for each, and `grade --kind auto` grades a
folder that mixes assignments, saying which assignment each file was (issue 14)."""

import json
import shutil
from pathlib import Path

import pytest

import shapecheck as sc
from shapecheck.diagnosis.assignments import recognise_all
from cli_helpers import run, run_json

GALLERY = Path(__file__).parent / "gallery"


def both(tmp_path: Path, rnn_file: str) -> Path:
    """The deep network's functions, then the RNN's (its imports left out), in one file."""
    rnn = (GALLERY / rnn_file).read_text().split("\n", 4)[4]
    path = tmp_path / "both.py"
    path.write_text((GALLERY / "correct/dnn_matmul_dicts.py").read_text() + "\n\n" + rnn)
    return path


def test_each_assignment_of_the_file_is_diagnosed_and_the_json_lists_them(tmp_path):
    result, data = run_json("diagnose", str(both(tmp_path, "correct/rnn_course.py")))
    assert result.exit_code == 0 and data["passed"] is True
    assert data["assignments"] == ["dnn", "rnn"] and [p["kind"] for p in data["parts"]] == ["rnn"]
    assert {f["status"] for f in data["parts"][0]["functions"]} == {"pass"}
    text = " ".join(run("diagnose", str(both(tmp_path, "correct/rnn_course.py"))).output.split())  # as wrapped
    assert text.count("Diagnosis of") == 2 and "(deep network, step by step" in text and "(RNN and LSTM, step by step" in text


def test_a_fault_in_the_second_assignment_fails_the_file_and_is_the_conclusion(tmp_path):
    report = sc.diagnose(both(tmp_path, "rnn/rnn_cell_forward_sigmoid.py"))
    assert report.kinds == ["dnn", "rnn"] and not report.passed
    assert all(f.status == "pass" for f in report.functions)
    assert report.parts[0].root_causes[0].name == "rnn_cell_forward"
    assert "rnn_cell_forward" in report.conclusion()


def test_only_functions_an_assignment_alone_grades_with_its_arguments_make_it_one_of_the_files():
    assert recognise_all(["linear_forward", "linear_backward", "lstm_forward", "lstm_backward"]) == ["dnn", "rnn"]
    assert recognise_all(["linear_forward", "linear_backward", "lstm_forward"]) == ["dnn"]  # one RNN function: a helper
    # planar's forward_propagation(X, parameters) and backward_propagation(...) are not gradient checking's:
    # with planar's arguments they are planar's, and the file holds both assignments (two functions each)
    signatures = {"forward_propagation": ("X", "parameters"), "backward_propagation": ("parameters", "cache", "X", "Y")}
    held = recognise_all(["linear_forward", "linear_backward", "forward_propagation", "backward_propagation"], signatures)
    assert sorted(held) == ["dnn", "planar"] and "gradcheck" not in held


@pytest.fixture(scope="module")
def mixed_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    folder = root / "submissions"
    folder.mkdir()
    for student, name in {"ana": "correct/dnn_matmul_dicts.py", "ben": "logreg/sigmoid_wrong_sign.py",
                          "chen": "correct/optim_old_edition.py"}.items():
        shutil.copy(GALLERY / name, folder / f"{student}.py")
    result = run("grade", str(folder), "--kind", "auto", "--out", str(root / "out"), "--html", str(root / "class.html"))
    return result, root


def test_grade_auto_grades_a_folder_of_several_assignments_and_says_which_each_file_was(mixed_class):
    result, root = mixed_class
    assert result.exit_code == 1, result.output  # ben's sigmoid is wrong
    assert "Assignment" in result.output and "deep network, step by step" in result.output  # a column, when mixed
    records = {p.stem: json.loads(p.read_text()) for p in (root / "out" / "submissions").glob("*.json")}
    assert {k: r["kind"] for k, r in records.items()} == {"ana": "dnn", "ben": "logreg", "chen": "optimization"}
    html = (root / "class.html").read_text()
    assert 'class="kind">optimization methods' in html and 'class="kind">deep network, step by step' in html


def test_a_2017_20_file_is_not_scored_on_functions_only_the_2021_notebook_has(mixed_class):
    _, root = mixed_class
    chen = json.loads((root / "out" / "submissions" / "chen.json").read_text())
    assert chen["report"]["edition"] == "2017-20"
    assert (chen["score"], chen["max_score"], chen["passed"]) == (6, 6, True)
    assert {f["name"] for f in chen["functions"]}.isdisjoint({"update_lr", "schedule_lr_decay"})


def test_grade_takes_every_assignment_as_its_kind(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(GALLERY / "correct/logreg_course.py", folder / "dana.py")
    result = run("grade", str(folder), "--kind", "logreg", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
