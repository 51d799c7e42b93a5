"""The convolution assignment's plug-in (assignments/conv): its cases hide no mistake, the errors only
convolutions raise are read in the course's terms, both editions' conv_single_step pass, the assignment is
recognised from its function names, and a class of its files is graded."""

import shutil

import numpy as np
import pytest

from shapecheck.diagnosis.assignments import get, recognise
from shapecheck.diagnosis.compare import compare
from shapecheck.diagnosis.hints import exception_hint
from shapecheck.grade.run import grade

from gallery_manifest import GALLERY

CONV = get("conv")
NAMES = [c.name for c in CONV.contracts]


def first_case(function, where=lambda case: True):
    return next(case for case in CONV.cases[function](0) if where(case))


def raised(function, *args) -> tuple[str, str]:
    """The exception type and numpy's own message of a call, as a student's code raises it."""
    with pytest.raises(Exception) as error:
        function(*args)
    return type(error.value).__name__, str(error.value)


# --- the cases ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", ["conv_forward", "conv_backward", "pool_forward", "pool_backward"])
def test_the_windowed_cases_are_never_square_and_hide_no_stride_or_padding_mistake(function):
    cases = CONV.cases[function](0)
    sizes = [c.sizes for c in cases]
    assert all(s["n_H"] != s["n_W"] and s["n_H_prev"] != s["n_W_prev"] for s in sizes)
    assert {1} < {s["stride"] for s in sizes} and any(s["f"] != s["stride"] for s in sizes)
    assert any(s["f"] > s["stride"] > 1 for s in sizes)  # overlapping windows with a real stride
    for n in ("n_H_prev", "n_W_prev"):  # the last rows, and the last columns, dropped somewhere
        assert any((s[n] + 2 * s.get("pad", 0) - s["f"]) % s["stride"] for s in sizes), n
    assert {1} < {s["m"] for s in sizes}
    if function.startswith("conv"):
        assert {0, 1, 2} <= {s["pad"] for s in sizes} and all(s["n_C"] != s["n_C_prev"] for s in sizes)
    else:
        assert {c.args[-1] for c in cases} == {"max", "average"}


def test_every_mistake_changes_an_output_on_some_case_of_every_function_it_is_written_in():
    from shapecheck.diagnosis.mutants import run_mutants

    for mistake in CONV.mistakes:
        for function in mistake.where:
            shown = False
            for case in CONV.cases[function](0):
                right = CONV.reference[function](*case.fresh_args())
                wrong = run_mutants(function, case.fresh_args(), kind="conv").get(mistake.name)
                right, wrong = (right, wrong) if isinstance(right, tuple) else ((right,), (wrong,))
                if wrong[0] is not None and any(np.shape(a) != np.shape(b) or not np.allclose(a, b)
                                                for a, b in zip(right, wrong) if a is not None and not isinstance(a, tuple)):
                    shown = True
                    break
            assert shown, (mistake.name, function)


# --- errors only convolutions raise ---------------------------------------------------------------------


def test_a_size_computed_with_a_slash_is_named_for_what_it_is():
    case = first_case("conv_forward")
    for n_H in (2.5, np.float64(2.0)):
        exc_type, message = raised(np.zeros, (2, n_H, 3, 4))
        assert exception_hint("conv_forward", exc_type, message, case)[0] == "float_size"
        exc_type, message = raised(range, n_H)
        assert exception_hint("pool_forward", exc_type, message, case)[0] == "float_size"


def test_a_window_stride_wide_and_a_window_cut_at_the_edge_are_told_apart():
    case = first_case("conv_forward", lambda c: c.sizes["f"] != c.sizes["stride"])
    f, stride, n_C_prev = case.sizes["f"], case.sizes["stride"], case.sizes["n_C_prev"]
    W = np.ones((f, f, n_C_prev))
    exc_type, message = raised(np.multiply, np.ones((stride, stride, n_C_prev)), W)  # vert_end = vert_start + stride
    hint_id, text = exception_hint("conv_forward", exc_type, message, case)
    assert hint_id == "window_size" and "vert_end = vert_start + f" in text
    exc_type, message = raised(np.multiply, np.ones((f - 1, f, n_C_prev)), W)  # sliced from the unpadded A_prev
    assert exception_hint("conv_forward", exc_type, message, case)[0] == "window_cut"
    dW = np.zeros((f, f, n_C_prev))
    with pytest.raises(ValueError) as error:
        dW += np.ones((f, f - 1, n_C_prev))
    assert exception_hint("conv_backward", "ValueError", str(error.value), first_case("conv_backward"))[0] == "window_cut"


def test_pad_minus_pad_with_pad_0_is_read_as_such():
    case = first_case("conv_backward", lambda c: c.sizes["pad"] == 0)
    s = case.sizes
    dA_prev = np.zeros((s["m"], s["n_H_prev"], s["n_W_prev"], s["n_C_prev"]))
    da_prev_pad = np.zeros(dA_prev.shape[1:])
    pad = 0
    with pytest.raises(ValueError) as error:
        dA_prev[0, :, :, :] = da_prev_pad[pad:-pad, pad:-pad, :]
    hint_id, text = exception_hint("conv_backward", "ValueError", str(error.value), case)
    assert hint_id == "unpad_minus_zero" and "pad:pad + n_H_prev" in text


@pytest.mark.parametrize("exc_type, message", [
    ("TypeError", "only 0-dimensional arrays can be converted to Python scalars"),  # float(b), b (1, 1, 1)
    ("ValueError", "setting an array element with a sequence."),  # Z[i, h, w, c] = Z + b
])
def test_numpy_2s_refusals_of_the_numpy_1_notebook_are_explained(exc_type, message):
    hint_id, text = exception_hint("conv_single_step", exc_type, message, first_case("conv_single_step"))
    assert hint_id == "numpy2_scalar" and "b.item()" in text


def test_a_broadcast_error_elsewhere_is_not_read_as_a_window():
    case = first_case("conv_forward")
    exc_type, message = raised(np.add, np.ones((2, 7)), np.ones((3, 5)))
    assert (exception_hint("conv_forward", exc_type, message, case) or ("",))[0] not in ("window_size", "window_cut")


# --- editions, recognition, grading -------------------------------------------------------------------------


def test_conv_single_step_may_return_one_number_as_either_edition_does():
    case = first_case("conv_single_step")
    right = CONV.reference["conv_single_step"](*case.fresh_args())
    for edition in (float(right), np.float64(right), np.array(right).reshape(1, 1, 1)):
        assert compare("conv_single_step", case, edition, right) == []
    wrong = compare("conv_single_step", case, np.full((2,), right), right)
    assert wrong and wrong[0].kind == "shape"


def test_the_assignment_is_recognised_from_its_function_names():
    assert recognise(NAMES) == "conv"
    assert recognise(["conv_forward", "pool_forward", "relu"]) == "conv"  # the graded forward half alone


def test_a_class_of_convolution_files_is_graded(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    files = {"amal": "correct/conv_vectorised.py", "badr": "conv/conv_backward_stride_ignored.py"}
    for student, path in files.items():
        shutil.copy(GALLERY / path, root / f"{student}.py")
    report = grade([root], out=tmp_path / "grades", jobs=2, kind="conv")
    scores = {r["id"]: (r["score"], r["max_score"]) for r in report.records}
    assert scores == {"amal": (len(NAMES), len(NAMES)), "badr": (len(NAMES) - 1, len(NAMES))}
    assert grade([root], out=tmp_path / "auto", jobs=2).records[0]["report"]["kind"] == "conv"
