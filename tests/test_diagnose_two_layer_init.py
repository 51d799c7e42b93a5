"""The deep network's two-layer initialize_parameters(n_x, n_h, n_y) (issue 14): graded in the dnn plug-in,
with the notebook's np.random.seed(1) and scale 0.01, while planar's function of the same name and signature
(seed 2, another edition convention) stays planar's: a file is recognised by its other functions."""

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gallery_manifest
import shapecheck as sc
from shapecheck.cli.app import app
from shapecheck.diagnosis.assignments import recognise_all
from shapecheck.diagnosis.cases import cases_for, reference_result
from shapecheck.diagnosis.mutants import run_mutants

GALLERY = Path(__file__).parent / "gallery"


def definitions(path: Path) -> dict[str, tuple[str, ...]]:
    tree = ast.parse(path.read_text())
    return {n.name: tuple(a.arg for a in n.args.args) for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_diagnose_list_names_the_two_layer_initializer_for_dnn():
    result = CliRunner().invoke(app, ["diagnose", "--list", "--json"])
    listed = {a["kind"]: a["functions"] for a in json.loads(result.stdout)["assignments"]}
    assert listed["dnn"][:2] == ["initialize_parameters", "initialize_parameters_deep"]
    assert "initialize_parameters" in listed["planar"]


@pytest.mark.parametrize("entry", [e for e in gallery_manifest.all_entries() if e["path"].endswith(".py")
                                   and e["kind"] in ("dnn", "planar")], ids=lambda e: e["path"])
def test_every_dnn_and_planar_gallery_file_is_recognised_as_its_own_assignment(entry):
    defs = definitions(GALLERY / entry["path"])
    assert recognise_all(list(defs), defs)[0] == entry["kind"]


def test_the_same_name_and_signature_goes_by_the_file_s_other_functions():
    init = {"initialize_parameters": ("n_x", "n_h", "n_y")}
    assert recognise_all([*init, "linear_forward", "L_model_forward"], init)[0] == "dnn"
    planar = {**init, "forward_propagation": ("X", "parameters"), "layer_sizes": ("X", "Y")}
    assert recognise_all(list(planar), planar)[0] == "planar"


def test_the_cases_are_seeded_elsewhere_so_a_missing_seed_shows_and_the_reference_is_seed_1():
    for case in cases_for("initialize_parameters", kind="dnn"):
        n_x, n_h, n_y = case.args
        assert len({n_x, n_h, n_y}) == 3 and case.global_seed not in (None, 1)
        right = reference_result(case)
        assert right["W1"].shape == (n_h, n_x) and right["W2"].shape == (n_y, n_h) and right["b1"].shape == (n_h, 1)
        mutants = run_mutants("initialize_parameters", case.fresh_args(), "dnn", global_seed=case.global_seed)
        assert not (mutants["two_layer_no_seed"]["W1"] == right["W1"]).all()
        assert abs(mutants["two_layer_no_scale"]["W1"] / right["W1"] - 100).max() < 1e-9


@pytest.mark.parametrize("name, hint", [("init_two_layer_no_seed.py", "missing_seed"), ("init_two_layer_seed_3.py", "missing_seed"),
                                        ("init_two_layer_no_scale.py", "init_scale"), ("init_two_layer_random_bias.py", "nonzero_bias")])
def test_each_two_layer_mistake_is_the_root_cause_with_its_hint(name, hint):
    report = sc.diagnose(GALLERY / "dnn" / name)
    assert report.kinds[0] == "dnn" and not report.passed
    (cause,) = report.root_causes
    assert cause.name == "initialize_parameters"
    hints = [p.hint_id for p in cause.problems]
    assert hint in hints
    if name == "init_two_layer_random_bias.py":
        assert "missing_seed" not in hints  # the seed is there: a random bias moved the stream


def test_a_correct_two_layer_file_passes_and_a_file_without_it_is_not_told_it_misses_one():
    report = sc.diagnose(GALLERY / "correct" / "dnn_course_two_layer_init.py")
    assert report.passed and {f.name: f.status for f in report.functions}["initialize_parameters"] == "pass"
    without = sc.diagnose(GALLERY / "correct" / "dnn_course.py")
    assert without.passed and "initialize_parameters" not in {f.name for f in without.functions}
    assert "not written" not in without.conclusion()
