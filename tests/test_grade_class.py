"""A class built from the gallery, graded once: every score, the class summary, Gradescope, JUnit, CSV.

The expected scores and counts come from tests/gallery/manifest.toml (which functions fail, which only
inherit, which are missing), never from a diagnosis.
"""

import csv
import io
import ast
import json
import shutil
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from shapecheck.diagnosis.contract import KINDS
from shapecheck.grade import grade
from shapecheck.grade.gradescope import results_json
from shapecheck.grade.junit import junit_xml
from shapecheck.grade.rubric import POLICIES, Rubric

GALLERY = Path(__file__).resolve().parent / "gallery"
MANIFEST = {f["path"]: f for f in tomllib.loads((GALLERY / "manifest.toml").read_text())["file"]}
# students -> gallery file; two students made the same mistake, so a root cause is counted twice
CLASS = {
    "ada": "correct/dnn_course.py",
    "ben": "correct/dnn_partial_forward.py",
    "cleo": "correct/rnn_course.py",
    "dan": "correct/rnn_forward_only.py",
    "eve": "dnn/dW_missing_1_over_m.py",
    "finn": "dnn/dW_missing_1_over_m.py",
    "gus": "dnn/linear_forward_W_transposed.py",
    "hana": "dnn/db_missing_keepdims.py",
    "ivo": "dnn/compute_cost_missing_minus.py",
    "jo": "dnn/exit_at_import.py",
    "kim": "dnn/linear_backward_unfinished.py",
    "lev": "rnn/rnn_cell_forward_sigmoid.py",
    "mia": "rnn/lstm_backward_no_state_backprop.py",
    "ned": "dnn/undefined_name.py",
}
FOLDER_STUDENT = "zoe"  # a folder holding the solution and the course's own helper file
FAULTS = {"notes": "not_python", "empty": "no_python"}


def build_class(root: Path, students: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for student, name in students.items():
        shutil.copy(GALLERY / name, root / f"{student}.py")
    return root


def expected_points(name: str, policy: str = "full") -> dict[str, float]:
    """Each function's points for a gallery file, from the manifest alone (1 point per function)."""
    entry = MANIFEST[name]
    points = {}
    for contract in KINDS[entry["kind"]]:
        if contract.notes.get("optional"):
            continue  # the default rubric scores only the functions every file must have
        if contract.name in entry.get("missing", []):
            points[contract.name] = 0.0
        elif contract.name in entry.get("failing", []):
            points[contract.name] = POLICIES[policy] if contract.name in entry.get("inherited", []) else 0.0
        else:
            points[contract.name] = 1.0
    return points


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = build_class(tmp_path_factory.mktemp("class") / "submissions", CLASS)
    (root / FOLDER_STUDENT).mkdir()
    shutil.copy(GALLERY / "dnn/db_wrong_axis.py", root / FOLDER_STUDENT / "my_solution.py")
    (root / FOLDER_STUDENT / "dnn_utils.py").write_text("def relu(Z):\n    return Z\n")
    (root / "notes.txt").write_text("not a submission")
    (root / "empty").mkdir()
    (root / "empty" / "README.md").write_text("nothing here")
    out = tmp_path_factory.mktemp("grades")
    report = grade([root], out=out, jobs=2)
    return root, out, report


def gallery_of(student: str) -> str:
    return CLASS.get(student) or "dnn/db_wrong_axis.py"


def test_every_score_is_what_the_manifest_implies(graded):
    _, _, report = graded
    graded_ids = {r["id"] for r in report.records if r["status"] == "graded"}
    assert graded_ids == set(CLASS) | {FOLDER_STUDENT}
    for student in sorted(graded_ids):
        record = report.record(student)
        points = {f["name"]: f["points"] for f in record["functions"]}
        assert points == expected_points(gallery_of(student)), student
        assert record["score"] == sum(points.values())
        assert record["max_score"] == len([c for c in KINDS[MANIFEST[gallery_of(student)]["kind"]] if not c.notes.get("optional")])


@pytest.mark.parametrize("policy", ["half", "none"])
def test_a_rubric_rescores_the_stored_diagnoses_without_grading_again(graded, tmp_path, policy):
    root, out, _ = graded
    copy = tmp_path / "grades"
    shutil.copytree(out, copy)
    report = grade([root], out=copy, jobs=2, rubric=Rubric(inherited=policy))
    assert report.graded_now == 0 and report.reused == len(CLASS) + 1
    for student in CLASS:
        points = {f["name"]: f["points"] for f in report.record(student)["functions"]}
        assert points == expected_points(CLASS[student], policy), student


def test_explicit_points_weigh_the_functions(graded, tmp_path):
    root, out, _ = graded
    shutil.copytree(out, tmp_path / "grades")
    rubric = Rubric(points={"linear_backward": 20.0, "linear_forward": 10.0}, kind="dnn")
    report = grade([root], out=tmp_path / "grades", rubric=rubric)
    eve = report.record("eve")  # linear_backward misses 1/m: linear_forward passes
    assert (eve["score"], eve["max_score"]) == (10.0, 30.0)
    assert [f["name"] for f in eve["functions"]] == ["linear_forward", "linear_backward"]


def test_faults_are_reported_for_their_submission_and_score_zero(graded):
    _, _, report = graded
    for student, fault in FAULTS.items():
        record = report.record(student)
        assert record["status"] == "fault" and record["fault"]["id"] == fault
        assert record["score"] == 0 and record["max_score"] == 9  # the class is mostly the deep network
    assert {f["id"] for f in report.summary["faults"]} == set(FAULTS)


def test_class_counts_per_function_are_the_manifests(graded):
    _, out, report = graded
    expected = {c.name: Counter() for kind in KINDS.values() for c in kind}
    for student in list(CLASS) + [FOLDER_STUDENT]:
        entry = MANIFEST[gallery_of(student)]
        unfinished = entry.get("root_cause") if entry.get("hint") == "unfinished_template" else None
        defined = {n.name for n in ast.parse((GALLERY / gallery_of(student)).read_text()).body if isinstance(n, ast.FunctionDef)}
        for contract in KINDS[entry["kind"]]:
            if contract.notes.get("optional") and contract.name not in defined:
                continue  # a function nothing calls, absent from the file: not reported (the two-layer init)
            if contract.name in entry.get("missing", []) or contract.name == unfinished:  # a None template line: unfinished
                expected[contract.name]["missing"] += 1
            elif contract.name in entry.get("inherited", []):
                expected[contract.name]["inherited"] += 1
            elif contract.name in entry.get("failing", []):
                expected[contract.name]["not passed"] += 1
            else:
                expected[contract.name]["passed"] += 1
    summary = json.loads((out / "class.json").read_text())
    assert summary == report.summary
    for row in summary["functions"]:
        got = {"passed": row["passed"], "inherited": row["inherited"], "missing": row["missing"],
               "not passed": row["failed"] + row["error"] + row["timeout"]}
        assert got == {k: expected[row["name"]][k] for k in got}, row["name"]
    assert summary["students"] == len(CLASS) + 1 + len(FAULTS)
    full = [name for name in list(CLASS.values()) + [gallery_of(FOLDER_STUDENT)] if all(expected_points(name).values())]
    assert summary["passed"] == len(full)  # passed is full marks: a half-written file (ben) does not pass


def test_root_causes_are_counted_per_student_with_an_example(graded):
    _, _, report = graded
    causes = {(c["function"], c["hint_id"]): c for c in report.summary["root_causes"]}
    top = report.summary["root_causes"][0]
    assert (top["function"], top["hint_id"], top["count"], top["example"]) == ("linear_backward", "missing_1_over_m", 2, "eve")
    assert top["label"] == "missing 1/m"
    for student in ("gus", "hana", "ivo", "lev", "mia"):
        entry = MANIFEST[CLASS[student]]
        assert causes[(entry["root_cause"], entry["hint"])]["count"] == 1, student
    assert causes[(None, "exit_at_import")]["example"] == "jo"


def test_histogram_counts_every_student_by_tenths_of_the_maximum(graded):
    _, _, report = graded
    bins = report.summary["scores"]["histogram"]
    assert sum(b["count"] for b in bins) == report.summary["students"]
    fractions = [r["score"] / r["max_score"] for r in report.records]
    assert bins[-1]["count"] == sum(f >= 0.9 for f in fractions)
    assert bins[0]["count"] == sum(f < 0.1 for f in fractions) == len(FAULTS)
    drawn = replace(report, detailed=True).to_text(100)
    assert "90-100% █" in drawn and "missing 1/m in linear_backward: 2 student(s), e.g. eve" in drawn
    assert "Per function" not in report.to_text(100)


def test_csv_has_a_row_per_student_and_a_column_per_function(graded):
    _, out, report = graded
    rows = list(csv.DictReader(io.StringIO((out / "class.csv").read_text())))
    assert [r["student"] for r in rows] == sorted(r["id"] for r in report.records)
    eve = next(r for r in rows if r["student"] == "eve")
    assert (eve["linear_backward"], eve["L_model_backward"], eve["linear_forward"]) == ("fail", "inherited", "pass")
    assert eve["lstm_forward"] == "" and float(eve["score"]) == 8.0  # inherited: full points
    assert next(r for r in rows if r["student"] == "ben")["update_parameters"] == "missing"


# Gradescope's autograder specification ("Output format"): a score at the top or on every test; each
# test's fields, and the values status may take.
GRADESCOPE_TOP = {"score": (int, float), "tests": list, "output": str}
GRADESCOPE_TEST = {"name": str, "score": (int, float), "max_score": (int, float), "status": str, "output": str}


def test_gradescope_results_have_the_required_keys_and_the_scores(graded):
    _, _, report = graded
    for student in ("ada", "eve", "notes"):
        data = json.loads(json.dumps(results_json(report.record(student))))
        for key, kind in GRADESCOPE_TOP.items():
            assert isinstance(data[key], kind), (student, key)
        for test in data["tests"]:
            for key, kind in GRADESCOPE_TEST.items():
                assert isinstance(test[key], kind), (student, key)
            assert test["status"] in ("passed", "failed") and 0 <= test["score"] <= test["max_score"]
            assert (test["status"] == "passed") == (test["score"] == test["max_score"]), (student, test["name"])
        assert data["score"] == sum(t["score"] for t in data["tests"]) == report.record(student)["score"]
    eve = {t["name"]: t for t in results_json(report.record("eve"))["tests"]}
    assert eve["linear_backward"]["status"] == "failed" and "1/m" in eve["linear_backward"]["output"]
    assert "fix linear_backward first" in eve["L_model_backward"]["output"] and eve["L_model_backward"]["score"] == 1.0


def test_junit_xml_parses_back_to_the_same_verdicts(graded):
    _, _, report = graded
    root = ET.fromstring(junit_xml(report.records))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {r["id"] for r in report.records}
    for record in report.records:
        suite = suites[record["id"]]
        cases = {c.get("name"): c for c in suite.iter("testcase")}
        if record["status"] != "graded":
            assert suite.get("errors") == "1" and cases["submission"].find("error") is not None
            continue
        for function in record["functions"]:
            tags = [child.tag for child in cases[function["name"]] if child.tag != "system-out"]
            if function["points"] == function["max_points"]:  # a pass, or an inherited failure paid in full
                want = []
            else:
                want = ["failure"] if function["status"] in ("fail", "missing") or function["inherited_from"] else ["error"]
            assert tags == want, (record["id"], function["name"])
        red = int(suite.get("failures")) + int(suite.get("errors"))
        assert (red == 0) == record["passed"] == (record["score"] == record["max_score"]), record["id"]
    assert int(root.get("tests")) == sum(len(r["functions"]) or 1 for r in report.records)
    assert int(root.get("skipped")) == 0  # a missing function is a failure, never a green "skipped"


def test_a_student_folder_is_graded_by_its_solution_not_the_course_helpers(graded):
    root, _, report = graded
    zoe = report.record(FOLDER_STUDENT)
    assert zoe["path"] == str(root / FOLDER_STUDENT / "my_solution.py")
    assert zoe["report"]["function" + "s"][0]["name"] == "initialize_parameters_deep"
