"""Which edition of the notebook a file matches (issue 14): said in the table and the JSON, from the functions
whose editions differ (returned tuples, signatures, L_model_backward's keys), never guessed from the others."""

import ast
from pathlib import Path

import pytest

from shapecheck.diagnosis import edition
from shapecheck.diagnosis.assignments import get
from cli_helpers import run, run_json

GALLERY = Path(__file__).parent / "gallery"


@pytest.mark.parametrize("path, expected, telling", [
    ("correct/optim_old_edition.py", "2017-20", {"update_parameters_with_adam"}),
    ("correct/optim_course.py", "2021+", {"update_parameters_with_adam"}),
    ("correct/gradcheck_old_edition.py", "2017-20", {"gradient_check", "gradient_check_n"}),
])
def test_the_json_names_the_edition_and_the_functions_that_told(path, expected, telling):
    result, data = run_json("diagnose", str(GALLERY / path))
    assert result.exit_code == 0 and data["edition"] == expected
    assert set(data["editions"]) == telling and set(data["editions"].values()) == {expected}


def test_the_table_says_the_edition_and_a_file_that_does_not_tell_says_none():
    assert "the 2017–20 edition" in run("diagnose", str(GALLERY / "correct/dnn_old_edition.py")).output
    result, data = run_json("diagnose", str(GALLERY / "correct/init_course.py"))
    assert data["edition"] is None and data["editions"] == {}
    assert "edition" not in run("diagnose", str(GALLERY / "correct/init_course.py")).output.split("\n")[0]


def test_evidence_from_returned_values_and_signatures():
    adam = get("optimization").contract("update_parameters_with_adam")
    assert edition.from_arity(adam, (1, 2, 3)) == edition.OLD and edition.from_arity(adam, (1, 2, 3, 4, 5)) == edition.CURRENT
    assert edition.from_arity(adam, (1, 2)) is None and edition.from_arity(get("dnn").contracts[0], {}) is None
    check = get("gradcheck").contract("gradient_check")
    tree = ast.parse("def gradient_check(x, theta, epsilon=1e-7):\n    pass\n"
                     "def gradient_check_new(x, theta, epsilon=1e-7, print_msg=False):\n    pass\n")
    old, new = tree.body
    assert edition.from_signature(check, old) == edition.OLD and edition.from_signature(check, new) == edition.CURRENT


def test_functions_that_disagree_make_a_mixed_file_and_the_older_case_wins_within_one_function():
    evidence = edition.Evidence()
    evidence.saw("f", edition.OLD)
    evidence.saw("f", edition.CURRENT)
    assert evidence.to_json() == {"f": edition.OLD}
    evidence.saw("g", edition.CURRENT)
    assert evidence.edition == "mixed"
