"""A file of an assignment diagnose has no plug-in for yet is named for what it is, never misread as an
assignment that shares a function name (a correct Dinosaurus optimize was once failed as logistic
regression's). Every assignment of the specialization has its plug-in now: the refusal is tested with an
assignment made up for the test (the convolution assignment comes with its own issue)."""

from __future__ import annotations

import pytest

import shapecheck as sc
from cli_helpers import assert_one_line_error, run
from shapecheck.diagnosis.assignments import ASSIGNMENTS, NOT_YET

UNCHECKED = {"made_up": ("A made-up assignment", ("zero_pad_made_up", "conv_step_made_up"))}


@pytest.fixture
def unchecked_file(tmp_path, monkeypatch):
    for kind, entry in UNCHECKED.items():
        monkeypatch.setitem(NOT_YET, kind, entry)
    path = tmp_path / "made_up.py"
    # it also defines logistic regression's predict: without the refusal it would be checked as logreg
    path.write_text("def zero_pad_made_up(X, pad):\n    return X\n\n\ndef conv_step_made_up(a, W, b):\n    return a\n\n\n"
                    "def predict(w, b, X):\n    return X\n")
    return path


def test_a_file_of_an_unchecked_assignment_is_one_line_and_exit_2(unchecked_file):
    result = run("diagnose", str(unchecked_file))
    assert_one_line_error(result, unchecked_file.name, "does not check yet", "A made-up assignment")


def test_the_python_api_says_the_same_in_an_error(unchecked_file):
    with pytest.raises(sc.ShapecheckError, match="made-up"):
        sc.diagnose(unchecked_file)


def test_a_forced_kind_is_checked_as_asked(unchecked_file):
    report = sc.diagnose(unchecked_file, kind="logreg")
    assert report.kind == "logreg"


def test_no_plug_in_claims_the_telling_functions_of_an_unchecked_assignment():
    """Meta-test: once an assignment gets its plug-in, NOT_YET must lose its entry (or files of that assignment
    would still be refused)."""
    checked = {c.name for a in ASSIGNMENTS.values() for c in a.contracts}
    for _, telling in {**NOT_YET, **UNCHECKED}.values():
        assert not set(telling) <= checked


def test_planar_and_dinosaurus_have_their_plug_ins():
    assert {"planar", "dinos"} <= set(ASSIGNMENTS) and not {"planar", "dinos"} & set(NOT_YET)
