"""Defects a second holdout found (issue 14): a caller that is right given its wrong collaborator is inherited,
never a root cause; a notebook's data-loading cell that the checker skips does not make later cells' NameError a
finding; the numpy-2 warning names the array's real shape. Each with files of our own, not the holdout's."""

import ast
import json
from pathlib import Path

import shapecheck as sc
from shapecheck.diagnosis import numpy2
from shapecheck.diagnosis.source import load_source, stays

GALLERY = Path(__file__).parent / "gallery"


# --- a caller that is right given what it got -----------------------------------------------------------------

def test_gradient_check_that_reports_a_wrong_backward_inherits_it():
    report = sc.diagnose(GALLERY / "gradcheck" / "backward_returns_theta.py")
    status = {f.name: f for f in report.functions}
    assert status["backward_propagation"].status == "fail" and status["backward_propagation"].inherited_from is None
    assert status["gradient_check"].inherited_from == "backward_propagation"
    assert [f.name for f in report.root_causes] == ["backward_propagation"]
    assert "wrong_variable" in {p.hint_id for p in status["backward_propagation"].problems}


def test_a_gradient_check_that_ignores_the_backward_is_still_its_own_root_cause():
    report = sc.diagnose(GALLERY / "gradcheck" / "gradient_check_grad_is_x.py")
    assert [f.name for f in report.root_causes] == ["gradient_check"]


# --- a notebook's data cells ----------------------------------------------------------------------------------

def notebook(path: Path, cells: list[str]) -> Path:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c} for c in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))
    return path


def planar_cells() -> tuple[list[str], list[str]]:
    source = (GALLERY / "correct" / "planar_course.py").read_text()
    tree = ast.parse(source)
    lines = source.splitlines()
    imports = [ast.get_source_segment(source, n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    defs = ["\n".join(lines[n.lineno - 1:n.end_lineno]) for n in tree.body if isinstance(n, ast.FunctionDef)]
    return imports, defs


def test_cells_that_use_a_skipped_data_cell_are_skipped_quietly_in_a_real_notebook(tmp_path):
    imports, defs = planar_cells()
    cells = ["\n".join(imports + ["from planar_utils import load_planar_dataset"]),
             "X, Y = load_planar_dataset()",
             "shape_X = X.shape\nshape_Y = Y.shape\nm = Y.shape[1]  # training set size\nn_x = shape_X[0]",
             *defs,
             "parameters = nn_model(X, Y, n_h=4, num_iterations=10000, print_cost=True)"]
    report = sc.diagnose(notebook(tmp_path / "planar.ipynb", cells))
    assert report.kind == "planar" and report.passed
    assert [p for p in report.findings if p.hint_id != "numpy2"] == []
    assert any("Dropped from the notebook" in note for note in report.notes)


def test_a_name_no_skipped_cell_would_have_bound_is_still_a_finding(tmp_path):
    imports, defs = planar_cells()
    cells = ["\n".join(imports), "n_x = number_of_features.shape[0]", *defs]
    report = sc.diagnose(notebook(tmp_path / "typo.ipynb", cells))
    assert any(p.hint_id == "exception" and "number_of_features" in p.message for p in report.findings)


def test_stays_follows_what_the_dropped_statements_would_have_bound():
    unset: set[str] = set()
    tree = ast.parse("X, Y = load()\nm = X.shape[1]\nk = 3\nn = m + k\nX = 2\nz = X\n")
    assert [stays(node, unset) for node in tree.body] == [False, False, True, False, True, True]
    assert unset == {"Y", "m", "n"}


def test_an_exported_notebook_skips_the_same_way(tmp_path):
    path = tmp_path / "exported.py"
    path.write_text("get_ipython().run_line_magic('matplotlib', 'inline')\nX, Y = load_planar_dataset()\nm = X.shape[1]\n"
                    "def f(x):\n    return x\n")
    source = load_source(path)
    assert "m = X.shape[1]" not in source.code and "def f(x):" in source.code


# --- numpy 2: the real shape ----------------------------------------------------------------------------------

def test_float_of_a_1_1_1_bias_names_that_shape(tmp_path):
    path = tmp_path / "conv.py"
    text = (GALLERY / "correct" / "conv_course.py").read_text()
    assert "Z = Z + b.item()" in text
    path.write_text(text.replace("Z = Z + b.item()", "Z = Z + float(b)"))
    report = sc.diagnose(path, kind="conv")
    (warning,) = [p for p in report.findings if p.hint_id == "numpy2" and p.actual == "float(b)"]
    assert "(1, 1, 1)" in warning.message and "(1, 1) array" not in warning.message
    assert report.passed


def test_shapes_text_is_the_shape_of_a_one_element_array_of_each_rank():
    assert numpy2.shapes_text([3]) == "(1, 1, 1)" and numpy2.shapes_text([2, 1, 2]) == "(1,) or (1, 1)"
    code = "y = float(x)\n"
    (use,) = numpy2.scalar_calls([1], ast.parse(code), code, [(1, 3)])
    assert use.shape == "(1, 1, 1)"


# --- hints fire only where their evidence holds -----------------------------------------------------------------

from shapecheck.diagnosis.cases import cases_for  # noqa: E402
from shapecheck.diagnosis.hints import exception_hint  # noqa: E402


def _case(function, kind, **wanted):
    return next(c for c in cases_for(function, kind=kind) if all(c.sizes.get(k) == v for k, v in wanted.items()))


def test_window_cut_needs_a_window_of_the_same_rank_and_channels():
    case = next(c for c in cases_for("conv_forward", kind="conv") if c.sizes.get("f", 0) >= 3)
    f, n_C = case.sizes["f"], case.sizes["n_C_prev"]
    cut = f"operands could not be broadcast together with shapes ({f - 1},{f},{n_C}) ({f},{f},{n_C})"
    assert exception_hint("conv_forward", "ValueError", cut, case)[0] == "window_cut"
    reduced = f"operands could not be broadcast together with shapes ({f},{n_C}) ({f},{f},{n_C})"  # a mean over one axis
    assert (exception_hint("conv_forward", "ValueError", reduced, case) or ("",))[0] != "window_cut"


def test_an_allocation_is_blamed_only_when_the_slot_has_another_course_size():
    case = cases_for("rnn_forward", kind="rnn")[0]
    n_y, n_a, m = case.sizes["n_y"], case.sizes["n_a"], case.sizes["m"]
    other = f"could not broadcast input array from shape ({n_y},{m}) into shape ({n_a},{m})"
    assert exception_hint("rnn_forward", "ValueError", other, case)[0] == "wrong_allocation"
    sliced = f"could not broadcast input array from shape ({n_y},{m}) into shape ({n_y},{m + 7})"
    assert exception_hint("rnn_forward", "ValueError", sliced, case)[0] == "slot_mismatch"


def test_a_model_whose_update_meets_two_layers_parameters_swapped_a_gradient():
    case = cases_for("two_layer_model", kind="dnn_app")[0]
    n_x, n_h, n_y = case.args[2]
    swapped = f"operands could not be broadcast together with shapes ({n_h},{n_x}) ({n_y},{n_h})"
    assert exception_hint("two_layer_model", "ValueError", swapped, case)[0] == "swapped_gradients"
    mask = f"boolean index did not match indexed array along axis 0; size of axis is {n_h} but size of corresponding boolean axis is {n_y}"
    assert exception_hint("two_layer_model", "IndexError", mask, case)[0] == "off_by_one_cache"
