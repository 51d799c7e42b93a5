"""Planar data classification and Dinosaurus Island: what their plug-ins add to the diagnosis (the notebooks'
seeding, two editions' signatures and answers, arguments updated in place), on the gallery's real files."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import numpy as np
import pytest

import shapecheck as sc
from shapecheck.diagnosis import hints, mutants
from shapecheck.diagnosis.assignments import contract, recognise
from shapecheck.diagnosis.cases import cases_for, reference_result
from shapecheck.diagnosis.plugin import fit_arguments
from shapecheck.testing import assert_matches_reference

CORRECT = Path(__file__).resolve().parent / "gallery" / "correct"
PLANAR_2021 = (CORRECT / "planar_course.py").read_text()
PLANAR_2017 = (CORRECT / "planar_old_edition.py").read_text()


def namespace(source: str) -> dict:
    """The definitions of a gallery file, with the course's helper modules it imports."""
    from shapecheck.diagnosis.course_utils import course_modules

    kept = "\n".join(line for line in source.splitlines() if not line.startswith(("from testCases", "import sklearn", "import matplotlib")))
    ns: dict = {}
    with course_modules("planar"):
        exec(compile(kept, "<gallery>", "exec"), ns)  # noqa: S102 - our own gallery file
    return ns


# --- planar: seeds, signatures, editions ------------------------------------------------------------------


def test_initialize_parameters_is_the_notebooks_seed_2_draw_in_both_editions():
    """The 2017–20 function seeds itself; the 2021+ one draws from the stream the test cell seeded: same numbers."""
    for source in (PLANAR_2021, PLANAR_2017):
        assert_matches_reference("initialize_parameters", namespace(source)["initialize_parameters"], kind="planar")
    np.random.seed(2)
    expected = np.random.randn(5, 3) * 0.01
    [case] = [c for c in cases_for("initialize_parameters", kind="planar") if c.args == (3, 5, 1)]
    assert case.global_seed == 2 and np.array_equal(reference_result(case)["W1"], expected)


def test_a_draw_without_the_seed_fails():
    def unseeded(n_x, n_h, n_y):
        rs = np.random.RandomState(7)
        return {"W1": rs.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)), "W2": rs.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}

    with pytest.raises(AssertionError, match="W1 differs"):
        assert_matches_reference("initialize_parameters", unseeded, kind="planar")


def test_compute_cost_takes_the_parameters_in_the_older_edition_only():
    planar = contract("compute_cost", "planar")
    args = ("A2", "Y", "parameters")
    assert fit_arguments(planar, args, 2) == ("A2", "Y") and fit_arguments(planar, args, 3) == args
    assert fit_arguments(planar, args, None) == args and fit_arguments(planar, args, 1) == args  # not an edition: as it is
    assert fit_arguments(contract("compute_cost", "dnn"), ("AL", "Y"), 1) == ("AL", "Y")
    for source in (PLANAR_2021, PLANAR_2017):
        assert_matches_reference("compute_cost", namespace(source)["compute_cost"], kind="planar")


def test_nn_model_of_either_edition_is_right_and_a_third_answer_is_not():
    for source in (PLANAR_2021, PLANAR_2017):
        assert_matches_reference("nn_model", namespace(source)["nn_model"], kind="planar")
    wrong = functools.partial(mutants.course("nn_model", "planar"), bug="planar_model_n_h_from_layer_sizes")
    with pytest.raises(AssertionError, match="nn_model"):
        assert_matches_reference("nn_model", wrong, kind="planar")


def test_the_older_edition_is_named_in_the_report():
    report = sc.diagnose(CORRECT / "planar_old_edition.py")
    assert report.kind == "planar" and report.passed
    assert any("2017-20" in note for note in report.notes)  # nn_model gives the older notebook's answer
    # compute_cost(A2, Y, parameters) says it from the signature, nn_model from its numbers
    assert report.edition == "2017-20" and report.to_json()["editions"] == {"compute_cost": "2017-20", "nn_model": "2017-20"}
    assert "2017–20 edition" in report.title()


def test_the_newer_edition_s_compute_cost_signature_names_it():
    from shapecheck.diagnosis import edition
    from shapecheck.diagnosis.assignments import ASSIGNMENTS
    import ast

    contract = ASSIGNMENTS["planar"].contract("compute_cost")
    def seen(source):
        return edition.from_signature(contract, ast.parse(source).body[0])
    assert seen("def compute_cost(A2, Y): pass") == edition.CURRENT
    assert seen("def compute_cost(A2, Y, parameters): pass") == edition.OLD
    assert seen("def compute_cost(AL, Y): pass") is None
    report = sc.diagnose(CORRECT / "planar_course.py")
    assert report.passed and report.edition == "2021+"


def test_an_older_edition_nn_model_mistake_is_named_from_the_older_edition_s_mutant():
    report = sc.diagnose(CORRECT.parent / "planar" / "nn_model_old_edition_layer_sizes_hidden.py", kind="planar")
    result = report.function("nn_model")
    assert result.status == "fail" and {p.hint_id for p in result.problems} == {"ignored_argument"}
    assert report.edition == "2017-20"


def test_a_planar_file_is_recognised_by_its_signatures_where_names_are_shared():
    shared, update = ["compute_cost", "update_parameters"], ("parameters", "grads", "learning_rate")
    assert recognise(shared, {"compute_cost": ("A2", "Y"), "update_parameters": update}) == "planar"
    assert recognise(shared, {"compute_cost": ("AL", "Y"), "update_parameters": update}) == "dnn"
    assert recognise(["predict"], {"predict": ("parameters", "X")}) == "planar"
    assert recognise(["predict"], {"predict": ("w", "b", "X")}) == "logreg"


# --- Dinosaurus: in place, updates, one step off ----------------------------------------------------------


def test_optimize_is_judged_on_the_parameters_it_updates_in_place():
    """utils' update_parameters is how the notebook's optimize hands back its parameters: a step at the wrong
    learning rate changes nothing optimize returns, only the caller's parameters."""
    report = sc.diagnose(Path(__file__).resolve().parent / "gallery" / "dinos" / "optimize_fixed_learning_rate.py")
    [optimize] = [f for f in report.functions if f.name == "optimize"]
    assert optimize.status == "fail" and {p.tensor for p in optimize.problems} >= {"Wax", "by"}
    assert {p.hint_id for p in optimize.problems} == {"ignored_argument"}


def test_assert_matches_reference_checks_the_updated_parameters_too():
    right = mutants.course("optimize", "dinos")
    assert_matches_reference("optimize", right, kind="dinos")
    with pytest.raises(AssertionError, match="learning_rate"):
        assert_matches_reference("optimize", functools.partial(right, bug="dinos_optimize_notebook_rate"), kind="dinos")


def test_a_correct_dinosaurus_file_changes_the_callers_arrays_as_the_notebook_does_and_passes(tmp_path):
    report = sc.diagnose(CORRECT / "dinos_old_edition.py")
    assert report.kind == "dinos" and report.passed
    assert any("in place" in note and "clip" in note for note in report.notes)
    assert any("in place" in note and "optimize" in note for note in report.notes)


def test_grade_scores_correct_dinosaurus_and_planar_files_full_marks(tmp_path):
    """grade --kind auto on a folder that mixes the two assignments (and both editions of each)."""
    names = ("dinos_course.py", "dinos_old_edition.py", "planar_course.py", "planar_old_edition.py")
    for name in names:
        (tmp_path / "class" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "class" / name).write_bytes((CORRECT / name).read_bytes())
    from shapecheck.grade import grade

    report = grade([tmp_path / "class"], kind="auto", out=tmp_path / "grades", jobs=2)
    assert len(report.records) == len(names)
    for record in report.records:
        assert record["status"] == "graded" and record["passed"], record["id"]
        assert record["score"] == record["max_score"] == (3 if record["id"].startswith("dinos") else 8), record["id"]


def test_a_step_past_the_last_is_one_step_off():
    case = cases_for("optimize", kind="dinos")[0]
    T_x = case.sizes["T_x"]
    found = hints.exception_hint("optimize", "KeyError", str(T_x), case)
    assert found[0] == "off_by_one_step" and f"a[{T_x - 1}]" in found[1]
    assert hints.exception_hint("optimize", "KeyError", str(T_x - 1), case)[0] == "exception"


def test_the_mutants_of_optimize_each_get_their_own_parameters():
    """utils' update_parameters adds to its arguments: one mutant's step must not move the next one's start."""
    case = cases_for("optimize", kind="dinos")[0]
    args = case.fresh_args()
    before = copy.deepcopy(args)
    first = mutants.run_mutants("optimize", args, "dinos")
    again = mutants.run_mutants("optimize", args, "dinos")
    assert all(np.array_equal(a, b) for a, b in zip(np.ravel(args[3]["Wax"]), np.ravel(before[3]["Wax"])))
    assert first.keys() == again.keys() and all(np.isclose(first[k][0], again[k][0]) for k in first)


def test_the_notebooks_data_read_at_the_top_is_a_note_and_other_faults_stay_findings(tmp_path):
    report = sc.diagnose(CORRECT / "dinos_course.py")
    assert report.passed and not report.findings
    assert any("dinos.txt" in note and "4 that use" in note for note in report.notes)
    source = (CORRECT / "dinos_course.py").read_text().replace("import copy\n", "import copy\nnot_from_the_data = undefined_name\n", 1)
    (tmp_path / "dinos_extra.py").write_text(source)
    report = sc.diagnose(tmp_path / "dinos_extra.py")
    assert not report.passed and [f.actual for f in report.findings] == ["NameError"]


# --- for all sizes ----------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from shapecheck.diagnosis.cases import Case  # noqa: E402
from shapecheck.diagnosis.compare import compare  # noqa: E402


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.integers(2, 6), st.integers(2, 6), st.integers(0, 2**16))
def test_planar_backward_is_right_and_a_linear_tanh_derivative_is_named_for_any_sizes(n_x, n_h, m, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((n_x, m)), (rng.uniform(size=(1, m)) < 0.5).astype(float)
    parameters = {"W1": rng.standard_normal((n_h, n_x)), "b1": rng.standard_normal((n_h, 1)),
                  "W2": rng.standard_normal((1, n_h)), "b2": rng.standard_normal((1, 1))}
    _, cache = mutants.course("forward_propagation", "planar")(X, parameters)
    case = Case("backward_propagation", (parameters, cache, X, Y), "drawn", {"n_x": n_x, "n_h": n_h, "n_y": 1, "m": m}, kind="planar")
    right = reference_result(case)
    course = mutants.course("backward_propagation", "planar")
    assert compare("backward_propagation", case, course(*case.fresh_args()), right) == []
    wrong = course(*case.fresh_args(), bug="planar_tanh_derivative_linear")
    problems = compare("backward_propagation", case, wrong, right)
    assert problems and {p.hint_id for p in problems} == {"wrong_activation_derivative"}


@settings(max_examples=20, deadline=None)
@given(st.floats(0.1, 20), st.integers(1, 6), st.integers(0, 2**16))
def test_clip_is_right_and_swapped_bounds_are_named_for_any_bound(bound, n_a, seed):
    rng = np.random.default_rng(seed)
    shapes = {"dWax": (n_a, 27), "dWaa": (n_a, n_a), "dWya": (27, n_a), "db": (n_a, 1), "dby": (27, 1)}
    gradients = {k: rng.uniform(-3 * bound, 3 * bound, shape) for k, shape in shapes.items()}
    case = Case("clip", (gradients, bound), "drawn", {"n_a": n_a}, kind="dinos")
    right = reference_result(case)
    course = mutants.course("clip", "dinos")
    assert compare("clip", case, course(*case.fresh_args()), right) == []
    problems = compare("clip", case, course(*case.fresh_args(), bug="dinos_clip_bounds_swapped"), right)
    assert problems and {p.hint_id for p in problems} == {"clip_bounds"}
