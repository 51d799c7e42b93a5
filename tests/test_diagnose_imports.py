"""Imports the checker lacks (issue 14, item 5): the course's environment is not a mistake. Definitions are
checked without them, a function that uses one when it runs is "not checked" (never blamed), one line says
so, and only a real fault of the student's own code counts."""

import ast

import pytest

import shapecheck as sc
from shapecheck.diagnosis import imports
from cli_helpers import run_json

NOTEBOOK_ENVIRONMENT = '''import numpy as np
import h5py
import matplotlib.pyplot as plt
from PIL import Image
from scipy import ndimage
import tensorflow as tf
from tensorflow.keras.layers import Dense
import seaborn as sns
import my_own_helpers
from testCases_v4a import *
from public_tests import *

plt.rcParams["figure.figsize"] = (5.0, 4.0)
tf.random.set_seed(1)


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(tf.squeeze(cost))


def linear_backward(dZ, cache):
    my_own_helpers.log("backward")
    A_prev, W, b = cache
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / A_prev.shape[1], np.sum(dZ, axis=1, keepdims=True) / A_prev.shape[1]


class Classifier(tf.keras.Model):
    head = Dense(1)
'''


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("environment") / "student.py"
    path.write_text(NOTEBOOK_ENVIRONMENT)
    return sc.diagnose(path, kind="dnn")


def test_the_environment_is_not_a_fault_and_the_students_own_code_is_checked(report):
    assert report.function("linear_forward").status == "pass"
    assert report.findings == [] and report.passed


@pytest.mark.parametrize("name, package, line", [("compute_cost", "tensorflow", 25), ("linear_backward", "my_own_helpers", 29)])
def test_a_function_that_uses_a_missing_package_is_not_checked_and_says_which_and_where(report, name, package, line):
    result = report.function(name)
    assert result.status == "missing" and result.problems == []
    assert f"uses {package} (student.py:{line})" in result.notes[0] and "not checked" in result.notes[0]


def test_one_line_says_what_the_definitions_were_checked_without(report):
    note = next(n for n in report.notes if n.startswith("Checked without"))
    assert "h5py, matplotlib, PIL, scipy, tensorflow, seaborn, my_own_helpers, testCases_v4a, public_tests" in note
    assert "\n" not in note


def test_the_cli_exits_0_and_the_json_carries_the_note(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(NOTEBOOK_ENVIRONMENT)
    result, data = run_json("diagnose", str(path), "--kind", "dnn")
    assert result.exit_code == 0 and data["passed"] is True
    assert any(n.startswith("Checked without") for n in data["notes"])


def test_a_real_fault_next_to_the_environment_is_still_the_students(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(NOTEBOOK_ENVIRONMENT.replace("Z = np.dot(W, A) + b", "Z = np.dot(W, A)"))
    report = sc.diagnose(path, kind="dnn")
    assert not report.passed and report.function("linear_forward").status == "fail"


def test_a_package_the_checker_has_cannot_be_claimed_missing(tmp_path):
    """The worker's words are checked: a student's own ModuleNotFoundError naming numpy is their exception."""
    path = tmp_path / "student.py"
    path.write_text("import numpy as np\n\n\ndef linear_forward(A, W, b):\n"
                    "    raise ModuleNotFoundError(\"No module named 'numpy'\")\n")
    result = sc.diagnose(path, kind="dnn").function("linear_forward")
    assert result.status == "error" and result.problems[0].line == 5


def test_absent_lists_every_package_level_and_leaves_what_the_sandbox_has():
    tree = ast.parse("import numpy\nimport os.path\nfrom tensorflow.keras import layers\nimport h5py\nfrom . import sibling\n")
    assert imports.absent(imports.imported(tree), {"h5py": ["", []]}) == ["tensorflow", "tensorflow.keras"]
    assert imports.stood_in(imports.imported(tree), {"h5py": ["", []]}) == ["tensorflow", "h5py"]
    assert imports.absent(["numpyy", "mathh", "tensorflow"], {}) == ["tensorflow"]  # a typo stays the student's
    assert imports.missing_package("ModuleNotFoundError", "No module named 'tensorflow'", ["tensorflow"]) == "tensorflow"
    assert imports.missing_package("ModuleNotFoundError", "No module named 'numpy'", ["tensorflow"]) is None
    assert imports.missing_package("ImportError", "No module named 'tensorflow'", ["tensorflow"]) is None


def test_a_function_that_could_not_be_checked_is_not_scored(report):
    from shapecheck.grade.rubric import Rubric

    score = Rubric().score(report.to_json())
    assert {f.name for f in score.functions}.isdisjoint({"compute_cost", "linear_backward"})
    functions = {f["name"]: f for f in report.to_json()["functions"]}
    assert score.max_score == len(report.functions) - 2 and functions["compute_cost"]["checked"] is False


# --- `from <absent> import *` then a use of one of its names (issue 14, third stop) ---

STAR_ENVIRONMENT = '''import numpy as np
from tensorflow.keras.layers import *
from testCases_v4a import *

X, parameters = L_model_forward_test_case_2hidden()
print(X.shape)


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = Activation(activation)(Z)
    return A, (linear_cache, Z)


def compute_cost(AL, Y):
    m_examples = Y.shape[1]
    return np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m_exmaples)


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m_of_the_notebook
'''


@pytest.fixture(scope="module")
def star_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("star") / "student.py"
    path.write_text(STAR_ENVIRONMENT)
    return sc.diagnose(path, kind="dnn")


def test_a_name_from_a_star_import_of_the_environment_is_not_checked_never_a_name_error(star_report):
    result = star_report.function("linear_activation_forward")
    assert result.status == "missing" and result.problems == [] and result.checked is False
    assert "uses Activation (student.py:16)" in result.notes[0] and "(tensorflow.keras.layers: `from" in result.notes[0]
    assert star_report.function("linear_forward").status == "pass"


def test_a_top_level_use_of_a_star_imported_test_case_and_what_follows_from_it_are_not_findings(star_report):
    assert star_report.findings == []  # L_model_forward_test_case_2hidden(), then X.shape on the X it would have made


def test_a_near_miss_of_a_name_the_file_defines_stays_the_students_name_error(star_report):
    result = star_report.function("compute_cost")
    assert result.status == "error" and result.problems[0].hint_id == "undefined_name" and result.problems[0].line == 22


def test_without_a_star_import_an_undefined_name_is_the_students(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(STAR_ENVIRONMENT.replace("from tensorflow.keras.layers import *\n", "import tensorflow\n")
                    .replace("from testCases_v4a import *\n", "").replace("X, parameters = L_model_forward_test_case_2hidden()\nprint(X.shape)\n", ""))
    report = sc.diagnose(path, kind="dnn")
    assert report.function("linear_activation_forward").status == "error"
    assert report.function("linear_activation_forward").problems[0].hint_id == "undefined_name"


def test_a_star_import_of_a_course_helper_whose_names_are_known_leaves_an_undefined_name_the_students(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(STAR_ENVIRONMENT.replace("from tensorflow.keras.layers import *\n", "from dnn_utils import *\n")
                    .replace("from testCases_v4a import *\n", "").replace("X, parameters = L_model_forward_test_case_2hidden()\nprint(X.shape)\n", ""))
    report = sc.diagnose(path, kind="dnn")
    assert report.function("linear_activation_forward").status == "error"  # dnn_utils has no Activation


def test_opaque_stars_and_star_source_read_the_syntax():
    tree = ast.parse("from tensorflow.keras.layers import *\nfrom dnn_utils import *\nfrom os.path import *\n"
                     "def f(activation):\n    return Dense(3), m_exmaples\nm_examples = 1\n")
    given = {"dnn_utils": ["def relu(Z): ...", ["relu"]], "tensorflow.keras.layers": [None, []]}
    stars = imports.opaque_stars(tree, given)
    assert stars == ["tensorflow.keras.layers"]
    bound = imports.bound_names(tree)
    assert imports.star_source("Dense", stars, bound) == "tensorflow.keras.layers"
    assert imports.star_source("Activation", stars, bound) == "tensorflow.keras.layers"  # `activation` differs only in case
    assert imports.star_source("m_exmaples", stars, bound) is None  # a typo of m_examples
    assert imports.star_source("Dense", [], bound) is None and imports.star_source("f", stars, bound) is None
    assert imports.star_source("linear_forward_test_case", ["public_tests"], bound) == "public_tests"
    assert imports.star_source("train_x", ["public_tests", "testCases_v4a"], bound) is None  # a notebook global: the student's


def test_a_notebook_global_next_to_a_star_import_of_the_course_s_tests_stays_the_students(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(STAR_ENVIRONMENT.replace("from tensorflow.keras.layers import *\n", "")
                    .replace("Activation(activation)(Z)", "Z * layers_dims[0]"))
    result = sc.diagnose(path, kind="dnn").function("linear_activation_forward")
    assert result.status == "error" and result.problems[0].hint_id == "undefined_name"
