"""A file of an assignment diagnose has no plug-in for yet is named for what it is, never misread as an
assignment that shares a function name (a correct Dinosaurus optimize was failed as logistic regression's)."""

from __future__ import annotations

from pathlib import Path

import pytest

import shapecheck as sc
from cli_helpers import assert_one_line_error, run
from shapecheck.diagnosis.assignments import ASSIGNMENTS, NOT_YET

CORRECT = Path(__file__).parent / "gallery" / "correct"
NOT_YET_FILES = sorted(p for p in CORRECT.glob("*.py") if p.name.split("_")[0] in NOT_YET)


def test_the_gallery_has_files_of_each_assignment_without_a_plug_in():
    assert {p.name.split("_")[0] for p in NOT_YET_FILES} == set(NOT_YET)


@pytest.mark.parametrize("path", NOT_YET_FILES, ids=lambda p: p.name)
def test_a_correct_file_of_an_unchecked_assignment_is_one_line_and_exit_2(path):
    result = run("diagnose", path)
    assert_one_line_error(result, path.name, "does not check yet")


def test_the_python_api_says_the_same_in_an_error():
    with pytest.raises(sc.ShapecheckError, match="Dinosaurus"):
        sc.diagnose(CORRECT / "dinos_course.py")


def test_no_plug_in_claims_the_telling_functions_of_an_unchecked_assignment():
    """Meta-test: once planar or Dinosaurus gets its plug-in, NOT_YET must lose its entry (or files of
    that assignment would still be refused)."""
    checked = {c.name for a in ASSIGNMENTS.values() for c in a.contracts}
    for _, telling in NOT_YET.values():
        assert not set(telling) <= checked
