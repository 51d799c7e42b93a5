"""Code written for the course's numpy 1 that numpy 2 refuses (issue 14, item 4): each use said apart, with its
line, that numpy 1 accepted it and the numpy-2 spelling; the functions judged on their mathematics; not counted."""

import ast
from pathlib import Path

import numpy as np
import pytest

import shapecheck as sc
from shapecheck.diagnosis import numpy2
from cli_helpers import run_json

NUMPY1_LOGREG = '''import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def initialize_with_zeros(dim):
    w = np.zeros((dim, 1), dtype=np.float)
    b = np.float_(0)
    return w, b


def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
    cost = float(cost)
    dw = np.dot(X, (A - Y).T) / m
    db = np.asscalar(np.sum(A - Y, keepdims=True)) / m
    return {"dw": dw, "db": db}, cost


def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    A = sigmoid(np.dot(w.reshape(X.shape[0], 1).T, X) + b)
    for i in range(A.shape[1]):
        Y_prediction[0, i] = A[:, i] > 0.5
    return Y_prediction
'''


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("numpy1") / "student.py"
    path.write_text(NUMPY1_LOGREG)
    return sc.diagnose(path, kind="logreg")


def test_numpy_1_code_is_judged_on_its_mathematics_and_passes(report):
    present = {f.name: f.status for f in report.functions if f.status != "missing"}
    assert present == dict.fromkeys(["sigmoid", "initialize_with_zeros", "propagate", "predict"], "pass")
    assert report.passed and report.to_json()["passed"] is True


def test_every_numpy_1_spelling_is_named_with_its_line_and_its_numpy_2_spelling(report):
    found = [(p.line, p.actual, p.expected) for p in report.findings]
    assert found == [(9, "np.float", "float"), (10, "np.float_", "np.float64"), (18, "float(cost)", "cost.item()"),
                     (20, "np.asscalar", "a.item()"), (29, "Y_prediction[0, i] = A[:, i] > 0.5", "Y_prediction[0, i] = (A[:, i] > 0.5).item()")]
    for p in report.findings:
        assert p.hint_id == "numpy2" and "numpy 1" in p.message and "numpy 2" in p.message and f"student.py:{p.line}" in p.message
        assert p.expected in p.hint
    assert report.to_json()["findings"][2]["code"] == "cost = float(cost)"


def test_a_real_mistake_next_to_numpy_1_code_is_still_found_and_counted(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(NUMPY1_LOGREG.replace("dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)"))
    report = sc.diagnose(path, kind="logreg")
    assert not report.passed and report.function("propagate").status == "fail"
    assert report.function("propagate").problems[0].line == 19
    assert any(p.hint_id == "numpy2" for p in report.findings)


def test_the_cli_exits_0_for_numpy_1_code_and_says_so_in_json(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(NUMPY1_LOGREG)
    result, data = run_json("diagnose", str(path), "--kind", "logreg")
    assert result.exit_code == 0, result.output
    findings = data["findings"]
    assert {f["hint_id"] for f in findings} == {"numpy2"} and [f["line"] for f in findings] == [9, 10, 18, 20, 29]


def test_what_the_worker_reports_is_kept_only_where_the_source_agrees():
    code = "x = 1\ny = float(x)\nz = [0]\nz[0] = y\n"
    tree = ast.parse(code)
    assert [u.line for u in numpy2.scalar_calls([1, 2, 3, 99, -4], tree, code)] == [2]
    assert [u.line for u in numpy2.item_stores([1, 2, 4, 10**9], tree, code)] == [4]


def test_spellings_follow_the_files_own_name_for_numpy_and_from_imports():
    code = "import numpy\nfrom numpy import product\nimport numpy as npy\na = numpy.Inf\nb = npy.array([1], copy=False)\nc = product([1])\n"
    found = [(u.line, u.old, u.new) for u in numpy2.spellings(ast.parse(code))]
    assert found == [(2, "from numpy import product", "np.prod"), (4, "numpy.Inf", "np.inf"),
                     (5, "npy.array(..., copy=False)", "npy.asarray(...)")]
    assert numpy2.spellings(ast.parse("import math\nx = math.Inf\n")) == []


def test_a_store_numpy_1_could_not_make_either_still_fails_with_a_numpy_2_hint():
    from shapecheck.diagnosis.hints import exception_hint

    hint_id, text = exception_hint("predict", "ValueError", "setting an array element with a sequence.")
    assert hint_id == "numpy2" and "numpy 1" in text and ".item()" in text


@pytest.mark.parametrize("function, exc_type, message", [
    ("pool_forward", "ValueError", "setting an array element with a sequence."),  # A[i, h, w, c] = np.mean(a, axis=0)
    ("conv_single_step", "TypeError", "only 0-dimensional arrays can be converted to Python scalars"),  # float(vector)
    ("predict", "ValueError", "setting an array element with a sequence."),
])
def test_one_number_refused_from_several_values_is_a_shape_mistake_not_numpy_2(function, exc_type, message):
    from shapecheck.diagnosis.cases import cases_for
    from shapecheck.diagnosis.hints import exception_hint

    case = cases_for(function)[0] if function != "predict" else None
    hint_id, text = exception_hint(function, exc_type, message, case, elements=3)
    assert hint_id == "several_values" and "3" in text and "numpy 1 as well" in text
    assert exception_hint(function, exc_type, message, case, elements=1)[0] in ("numpy2", "numpy2_scalar")
    assert exception_hint(function, exc_type, message, case)[0] in ("numpy2", "numpy2_scalar")  # unknown: as before


def test_the_worker_counts_the_values_and_a_forged_count_is_dropped():
    from shapecheck.diagnosis.sandbox import Outcome
    from shapecheck.diagnosis.worker import ELEMENTS, _mark_elements

    error = ValueError("setting an array element with a sequence.")
    _mark_elements(error, np.ones((2, 3)))
    assert getattr(error, ELEMENTS) == 6
    reply = {"status": "exception", "type": "ValueError", "message": "m", "elements": 4}
    assert Outcome.of(reply).elements == 4
    assert Outcome.of({**reply, "elements": "4"}).elements is None and Outcome.of({**reply, "elements": -1}).elements is None


# --- numpy-1 code the worker once left to numpy 2: x[i] += v, np.float(x), a math function of a (1, 1) array ---

GRADCHECK = Path(__file__).resolve().parent / "gallery" / "correct" / "gradcheck_course.py"


def gradcheck_with_math_sqrt() -> str:
    """gradient_check_n's norms written with math.sqrt of a (1, 1) product, as numpy 1 allowed."""
    source = GRADCHECK.read_text()
    numerator = "    numerator = np.linalg.norm(grad - gradapprox)\n    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)\n"
    assert source.count(numerator) == 1  # gradient_check_n's (gradient_check's lines carry comments)
    return "import math\n" + source.replace(numerator, "    numerator = math.sqrt(np.dot((grad - gradapprox).T, grad - gradapprox))\n"
                                                       "    denominator = math.sqrt(np.dot(grad.T, grad)) + np.linalg.norm(gradapprox)\n")


ONE_VALUE = [  # (edit, kind, the warnings expected on the edited lines: (line, as written, the numpy-2 spelling))
    (lambda s: s.replace("cost = float(cost)", "cost = np.float(cost)"), "logreg",
     [(18, "np.float(cost)", "cost.item()")]),  # one warning, not also the spelling's "float" (refused there too)
    (lambda s: s.replace("Y_prediction[0, i] = A[:, i] > 0.5", "Y_prediction[0, i] += A[:, i] > 0.5"), "logreg",
     [(29, "Y_prediction[0, i] += A[:, i] > 0.5", "Y_prediction[0, i] += (A[:, i] > 0.5).item()")]),
    (lambda s: "import math\n" + s.replace("cost = float(cost)", "cost = math.exp(math.log(cost))"), "logreg",
     [(19, "math.log(cost)", "math.log(cost.item())")]),  # the outer call took a number
    (lambda s: gradcheck_with_math_sqrt(), "gradcheck",
     [(125, "math.sqrt(np.dot((grad - gradapprox).T, grad - gradapprox))", "math.sqrt(np.dot((grad - gradapprox).T, grad - gradapprox).item())"),
      (126, "math.sqrt(np.dot(grad.T, grad))", "math.sqrt(np.dot(grad.T, grad).item())")]),
]


@pytest.mark.parametrize("edit, kind, expected", ONE_VALUE, ids=["np.float", "augmented_store", "math.log", "math.sqrt"])
def test_numpy_1_code_numpy_2_refuses_passes_with_a_warning_the_class_report_does_not_count(tmp_path, edit, kind, expected):
    from shapecheck.grade.summary import root_causes

    path = tmp_path / "student.py"
    path.write_text(edit(NUMPY1_LOGREG))
    report = sc.diagnose(path, kind=kind)
    assert report.passed, report.to_text(140)
    edited = {line for line, _, _ in expected}
    assert [(p.line, p.actual, p.expected) for p in report.findings if p.line in edited] == expected
    assert all(p.hint_id == "numpy2" and "numpy 1" in p.message and "numpy 2" in p.message for p in report.findings)
    assert root_causes({"report": report.to_json()}) == []  # said, never counted


SEVERAL_VALUES = [  # the same spellings given several values: numpy 1 refused them too, a shape mistake
    (lambda s: s.replace("cost = float(cost)", "cost = np.float(-(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)"), "propagate", 18),
    (lambda s: s.replace("Y_prediction[0, i] = A[:, i] > 0.5", "Y_prediction[0, i] += A > 0.5"), "predict", 29),
    (lambda s: "import math\n" + s.replace("return 1 / (1 + np.exp(-z))", "return 1 / (1 + math.exp(-z))"), "sigmoid", 6),
]


@pytest.mark.parametrize("edit, function, line", SEVERAL_VALUES, ids=["np.float", "augmented_store", "math.exp"])
def test_the_same_code_given_several_values_is_a_shape_mistake_not_numpy_2(tmp_path, edit, function, line):
    from shapecheck.grade.summary import root_causes

    path = tmp_path / "student.py"
    path.write_text(edit(NUMPY1_LOGREG))
    report = sc.diagnose(path, kind="logreg")
    result = report.function(function)
    assert result.status == "error" and result.inherited_from is None
    assert [(p.hint_id, p.line) for p in result.problems] == [("several_values", line)], [p.message for p in result.problems]
    assert "numpy 1 as well" in result.problems[0].hint
    assert root_causes({"report": report.to_json()}) == [(function, "several_values")]  # counted, as a shape mistake


@pytest.mark.parametrize("hint_id", ["numpy2", "numpy2_scalar", "several_values"])
def test_the_class_report_names_each_numpy_2_cause_in_words_not_by_its_id(hint_id):
    from shapecheck.grade.summary import cause_label

    assert cause_label(hint_id) != hint_id.replace("_", " ")


def test_an_augmented_store_is_python_s_own_for_lists_dicts_and_slices():
    from shapecheck.diagnosis.worker import Worker

    code = ("import numpy as np\nd = {'a': np.ones(2)}\nalias = d['a']\nd['a'] += 1\nlst = [1, [2]]\nlst[0] -= 3\n"
            "lst[1] += [4]\nx = np.zeros(4)\nx[1:3] += np.array([5.0])\nx[0] += np.array([[7.0]])\n")
    worker = Worker()
    worker.setup(code, "student.py", {})
    for index in range(len(worker.body)):
        assert worker.load(index, 5.0)["status"] == "ok"
    ns = worker.namespace
    assert ns["alias"] is ns["d"]["a"] and ns["alias"].tolist() == [2.0, 2.0]  # in place, as Python's +=
    assert ns["lst"] == [-2, [2, 4]]
    assert ns["x"].tolist() == [7.0, 5.0, 5.0, 0.0]
    assert sorted(worker.numpy1_items) == [10]  # only the one-element array stored into one element
