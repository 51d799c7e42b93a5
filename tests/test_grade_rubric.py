"""Scores by the rubric, on reports made by hand: every status, every policy for inherited failures."""

import pytest

from shapecheck.grade import Rubric, collect
from shapecheck.grade.summary import histogram_lines, score_statistics


def report(**statuses):
    functions = []
    for name, status in statuses.items():
        status, _, callee = status.partition("<")
        functions.append({"name": name, "status": status, "inherited_from": callee or None, "problems": []})
    return {"kind": "dnn", "functions": functions}


@pytest.mark.parametrize("policy, inherited_points", [("full", 4.0), ("half", 2.0), ("none", 0.0)])
def test_only_a_pass_or_an_inherited_failure_earns_points(policy, inherited_points):
    rubric = Rubric(points={"linear_forward": 1, "linear_backward": 2, "linear_activation_backward": 4,
                            "L_model_backward": 8, "compute_cost": 16, "update_parameters": 32}, inherited=policy)
    score = rubric.score(report(linear_forward="pass", linear_backward="fail", linear_activation_backward="error<linear_backward",
                                L_model_backward="timeout", compute_cost="missing", update_parameters="error"))
    assert {f.name: f.points for f in score.functions} == {
        "linear_forward": 1.0, "linear_backward": 0.0, "linear_activation_backward": inherited_points,
        "L_model_backward": 0.0, "compute_cost": 0.0, "update_parameters": 0.0}
    assert (score.score, score.max_score) == (1.0 + inherited_points, 63.0)


def test_the_default_rubric_gives_every_function_of_the_assignment_one_point():
    assert Rubric().points_for("dnn") == dict.fromkeys(
        ["initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward", "compute_cost",
         "linear_backward", "linear_activation_backward", "L_model_backward", "update_parameters"], 1.0)
    assert Rubric().max_score("rnn") == 8


def test_a_folder_with_two_solutions_is_ambiguous_and_helpers_are_not_solutions(tmp_path):
    for student, files in {"amy": ["a.py", "b.py"], "bo": ["dnn_utils_v2.py", "testCases_v4.py", "hw.ipynb"]}.items():
        (tmp_path / student).mkdir()
        for name in files:
            (tmp_path / student / name).write_text("def linear_forward(A, W, b):\n    pass\n")
    found = {s.id: s for s in collect([tmp_path])}
    assert found["amy"].fault.id == "ambiguous" and "a.py, b.py" in found["amy"].fault.message
    assert found["bo"].fault is None and found["bo"].path.name == "hw.ipynb"


def test_scores_fall_in_tenths_of_their_own_maximum():
    records = [{"score": s, "max_score": m} for s, m in [(0, 9), (0.9, 9), (4.5, 9), (9, 9), (8, 8), (7.9, 8)]]
    bins = [b["count"] for b in score_statistics(records)["histogram"]]
    assert bins == [1, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    lines = histogram_lines(score_statistics(records), width=6)
    assert lines[-1] == " 90-100% ██████ 3" and lines[0] == "  0-10 % ██ 1"


def test_the_example_rubric_is_valid_and_the_one_the_readme_shows():
    from pathlib import Path

    from shapecheck.grade import load_rubric

    root = Path(__file__).resolve().parent.parent
    example = root / "examples" / "rubric.toml"
    rubric = load_rubric(example)
    assert (rubric.kind, rubric.inherited, rubric.max_score("dnn")) == ("dnn", "half", 100.0)
    assert rubric.unscored("dnn") == []
    assert "```toml\n" + example.read_text() + "```" in (root / "README.md").read_text()


def test_zero_points_leave_a_function_out_on_purpose_and_forgotten_ones_are_named():
    rubric = Rubric(points={"linear_forward": 2.0, "linear_backward": 0.0}, kind="dnn")
    assert list(rubric.points_for("dnn")) == ["linear_forward"]
    assert "linear_backward" not in rubric.unscored("dnn") and "compute_cost" in rubric.unscored("dnn")
    score = rubric.score(report(linear_forward="pass", linear_backward="fail"))
    assert (score.score, score.max_score) == (2.0, 2.0)


def test_a_crash_earns_nothing_and_an_inherited_crash_follows_the_policy():
    rubric = Rubric(points={"linear_forward": 1, "linear_activation_forward": 2}, inherited="half")
    score = rubric.score(report(linear_forward="crash", linear_activation_forward="crash<linear_forward"))
    assert [f.points for f in score.functions] == [0.0, 1.0]
