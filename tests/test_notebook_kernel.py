"""Reports, watch, the magics and the pictures, executed in a real Jupyter kernel and judged by their outputs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

import shapecheck as sc  # noqa: E402
from notebook_kernel import ANSI, ROOT, KernelRunner, plain_of  # noqa: E402

GALLERY = ROOT / "tests" / "gallery"

COURSE_BACKWARD = '''
import numpy as np

def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * dZ @ A_prev.T
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db
'''

RANK1_BACKWARD = '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * dZ @ A_prev.T
    db = (1 / m) * np.sum(dZ, axis=1)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db
'''

CALL_BACKWARD = '''
rng = np.random.default_rng(0)
A_prev, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 5)), np.zeros((3, 1))
dA_prev, dW, db = linear_backward(rng.standard_normal((3, 4)), (A_prev, W, b))
db.shape
'''


@pytest.fixture(scope="module")
def kernel():
    runner = KernelRunner().start()
    yield runner
    runner.stop()


@pytest.fixture(scope="module")
def reports(kernel):
    """One notebook showing every report as a cell's value, printing one, and an Arabic one."""
    return kernel.run([
        "import numpy as np\nspec = sc.dense_net([5, 4, 3, 1])\ntrace = sc.trace(spec, m=10)\ntrace",
        "print(trace)",
        "params = sc.init_params(spec, seed=0)\nparams['b2'] = params['b2'].ravel()\nsc.check_params(spec, params)",
        f"sc.diagnose({str(GALLERY / 'dnn' / 'db_missing_keepdims.py')!r})",
        "X = np.random.default_rng(1).standard_normal((5, 6)); Y = (X[:1] > 0).astype(float)\n"
        "def cost(p):\n    return sc.compute_cost(sc.forward(spec, p, X)[0], Y)\n"
        "AL, caches = sc.forward(spec, params | {'b2': params['b2'].reshape(3, 1)}, X)\n"
        "grads = sc.backward(spec, AL, Y, caches); grads['dW1'] = 1.1 * grads['dW1']\n"
        "check = sc.gradcheck(cost, params | {'b2': params['b2'].reshape(3, 1)}, grads)\ncheck",
        "sweep = sc.sweep([2, 6, 1], 'moons', learning_rates=[0.001, 0.1, 40.0], iterations=200, every=20, m=100, "
        "progress=False)\nsweep",
        "sweep.plot()",
        "sweep.plot_boundary()",
        "check.plot()",
        "trace.diagram()",
        "sc.set_language('ar')\nsc.trace(sc.dense_net([5, 4, 1]), m=3)",
    ])


def _only_output(cell):
    assert len(cell.outputs) == 1, [o.output_type for o in cell.outputs]
    return cell.outputs[0]


@pytest.mark.parametrize("index, marker", [(0, "W1"), (2, "b2"), (3, "linear_backward"), (4, "dW1"), (5, "α = 0.1")])
def test_a_report_as_a_cells_value_is_one_html_output_with_plain_text_free_of_ansi(reports, index, marker):
    output = _only_output(reports.cells[index])
    assert output.output_type == "execute_result"
    assert set(output.data) == {"text/plain", "text/html"}
    assert not ANSI.search(output.data["text/plain"]) and marker in output.data["text/plain"]
    assert "<table" in output.data["text/html"] and marker in output.data["text/html"]


def test_print_report_gives_stream_output_only(reports):
    cell = reports.cells[1]
    assert {o.output_type for o in cell.outputs} == {"stream"}
    text = "".join(o.text for o in cell.outputs)
    assert "W[l] is (n[l], n[l-1])" in text and not ANSI.search(text)


def test_the_diagnose_table_keeps_the_first_finding_whole(reports):
    html = _only_output(reports.cells[3]).data["text/html"]
    assert "…" not in html  # nothing cut ("tolerance 4.8e-…")
    assert "(3,\u00a01)" in html  # a shape's space cannot break


def test_a_sweep_in_a_notebook_draws_the_course_plot_not_an_ascii_chart(reports):
    html = _only_output(reports.cells[5]).data["text/html"]
    assert html.count("data:image/png;base64,") == 1 and "⠀" not in html and "<pre" not in html


@pytest.mark.parametrize("index, mime", [(6, "image/png"), (7, "image/png"), (8, "image/png"), (9, "image/svg+xml")])
def test_pictures_show_inline(reports, index, mime):
    output = _only_output(reports.cells[index])
    assert mime in output.data and output.output_type == "execute_result"


def test_the_layer_diagram_has_a_box_per_layer_with_its_shapes(reports):
    svg = _only_output(reports.cells[9]).data["image/svg+xml"]
    assert svg.count("<rect") == 4  # the input and three layers
    assert ">W2</tspan>" in svg and "(3, 4)  (n2, n1)" in svg and "sigmoid" in svg


def test_an_arabic_report_reads_right_to_left(reports):
    html = _only_output(reports.cells[10]).data["text/html"]
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "(4,\u00a05)" in html  # the shape stays whole and left to right inside the Arabic text


# --- watch -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def watched(kernel):
    return kernel.run([
        COURSE_BACKWARD,  # 0
        "names = sc.watch(globals())\nnames",  # 1
        CALL_BACKWARD,  # 2: right
        RANK1_BACKWARD,  # 3: the student runs a new version of the cell
        "# raises\n" + CALL_BACKWARD,  # 4
        "def linear_forward(A, W, b):\n    return W @ A + b, (A, W, b)",  # 5: defined after watch
        "# raises\nlinear_forward(np.ones((5, 2)), np.ones((3, 5)), np.zeros(3))",  # 6
        "restored = sc.unwatch(globals())\nsorted(restored)",  # 7
        CALL_BACKWARD,  # 8: unwatched, the rank-1 db goes through
        "def linear_forward(A, W, b):\n    return W @ A + b, (A, W, b)",  # 9: not followed any more
        "hasattr(linear_forward, '__wrapped__'), hasattr(linear_backward, '__wrapped__')",  # 10
    ])


def _error(cell):
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, cell.outputs
    return errors[0]


def test_watch_catches_a_rank1_db_after_the_student_redefined_linear_backward(watched):
    assert plain_of(_only_output(watched.cells[2])) == "(3, 1)"
    error = _error(watched.cells[4])
    assert error.ename == "WatchError"
    assert "db" in error.evalue and "rank-1 (3,)" in error.evalue and "keepdims=True" in error.evalue


def test_watch_names_the_cell_that_defines_the_function(watched):
    count = watched.cells[3].execution_count
    error = _error(watched.cells[4])
    assert f"defined in cell [{count}], line 1" in error.evalue
    call = watched.cells[4]
    line = next(i for i, text in enumerate(call.source.splitlines(), 1) if "= linear_backward(" in text)
    assert f"called in cell [{call.execution_count}], line {line}" in error.evalue
    # the error names the cells itself: the student sees it, not our wrapper's frames
    assert "watch.py" not in "".join(error.traceback)


def test_a_function_defined_after_watch_is_watched_and_the_call_names_its_cell(watched):
    error = _error(watched.cells[6])
    assert error.ename == "WatchError" and "b is rank-1 (3,)" in error.evalue
    assert f"called in cell [{watched.cells[6].execution_count}], line 2" in error.evalue


def test_unwatch_restores_everything_and_stops_following(watched):
    assert "linear_backward" in plain_of(_only_output(watched.cells[7]))
    assert plain_of(_only_output(watched.cells[8])) == "(3,)"
    assert plain_of(_only_output(watched.cells[10])) == "(False, False)"


# --- watch on the other assignments (issue 14) -----------------------------------------------------------

OPTIMIZATION = GALLERY / "correct" / "optim_course.py"


@pytest.fixture(scope="module")
def watched_assignments(kernel):
    """Logistic regression, cell by cell as the notebook has it; then, reset, an optimization notebook."""
    logreg = _cells_of(GALLERY / "correct" / "logreg_course.py")
    batches = next(c for c in _cells_of(OPTIMIZATION) if c.startswith("def random_mini_batches"))
    first = kernel.run([
        *logreg,
        "names = sc.watch(globals())\nsorted(names)",
        "sigmoid(np.array([0, 2]))",  # the notebook's own test cell: an entrywise function takes any shape
        "w, b = initialize_with_zeros(2)\nX = np.array([[1., 2., -1.], [3., 4., -3.2]]); Y = np.array([[1, 0, 1]])\n"
        "grads, cost = propagate(w, b, X, Y)\ngrads['dw'].shape, float(cost)",
        "def initialize_with_zeros(dim):\n    w = np.zeros(dim)\n    b = 0.0\n    return w, b",  # the student's next try
        "# raises\nw, b = initialize_with_zeros(2)",
    ])
    second = kernel.run([
        "import math\nimport numpy as np",
        batches.replace("if m % mini_batch_size != 0:", "if False:"),  # the last, smaller mini-batch dropped
        "sc.watch(globals())",
        "# raises\nbatches = random_mini_batches(np.ones((3, 148)), np.ones((1, 148)), 64)",
    ])
    return first, second


def test_watch_recognises_logistic_regression_and_stops_a_rank1_w_in_the_cell_that_made_it(watched_assignments):
    first, _ = watched_assignments
    n = len(_cells_of(GALLERY / "correct" / "logreg_course.py"))
    watched = eval(plain_of(_only_output(first.cells[n])))
    assert watched == ["initialize_with_zeros", "model", "optimize", "predict", "propagate", "sigmoid"]
    assert plain_of(_only_output(first.cells[n + 1])).startswith("array([0.5")
    assert plain_of(_only_output(first.cells[n + 2])).startswith("((2, 1), ")
    error = _error(first.cells[n + 4])
    assert error.ename == "WatchError"
    text = " ".join(error.evalue.split())
    assert "initialize_with_zeros" in text and "w is rank-1 (2,)" in text and "(2, 1)" in text
    assert f"defined in cell [{first.cells[n + 3].execution_count}]" in text


def test_watch_says_which_examples_the_mini_batches_lost_in_a_notebook(watched_assignments):
    _, second = watched_assignments
    assert "random_mini_batches" in plain_of(_only_output(second.cells[2]))
    error = _error(second.cells[3])
    text = " ".join(error.evalue.split())
    assert error.ename == "WatchError" and "128 examples" in text and "m = 148" in text and "last mini-batch" in text


# --- the magics ---------------------------------------------------------------------------------------


def _cells_of(path: Path) -> list[str]:
    """A gallery file as a student's notebook: one cell per top-level statement (imports, each def)."""
    source = path.read_text()
    lines = source.splitlines()
    nodes = ast.parse(source).body
    starts = [n.lineno - 1 - len(getattr(n, "decorator_list", [])) for n in nodes] + [len(lines)]
    return ["\n".join(lines[a:b]).strip() for a, b in zip(starts, starts[1:]) if "\n".join(lines[a:b]).strip()]


GALLERY_NOTEBOOK = GALLERY / "dnn" / "db_missing_keepdims.py"


@pytest.fixture(scope="module")
def magics(kernel):
    return kernel.run([
        "%load_ext shapecheck",
        *_cells_of(GALLERY_NOTEBOOK),
        "%shapecheck diagnose",
        "report = _\nprint(report.root_causes[0].name, report.passed)",
        "%shapecheck watch",
        "%shapecheck nonsense",
    ])


def test_magic_diagnose_finds_the_same_root_cause_as_the_file(magics):
    expected = sc.diagnose(GALLERY_NOTEBOOK).root_causes[0].name
    diagnose_cell = magics.cells[-4]
    output = _only_output(diagnose_cell)
    assert output.output_type == "execute_result" and "<table" in output.data["text/html"]
    assert magics.cells[-3].outputs[0].text.split() == [expected, "False"]


def test_magic_diagnose_names_the_cell_of_the_root_cause(magics):
    plain = _only_output(magics.cells[-4]).data["text/plain"]
    cell = next(c for c in magics.cells if c.source.startswith("def linear_backward"))
    assert f"linear_backward is defined in cell [{cell.execution_count}], line 1" in " ".join(plain.split())
    assert "this notebook" in plain


def test_magic_watch_says_what_it_watches_and_a_wrong_word_gets_one_line(magics):
    assert "linear_backward" in magics.cells[-2].outputs[0].text
    (line,) = magics.cells[-1].outputs
    assert line.name == "stderr" and line.text.count("\n") == 1 and "%shapecheck diagnose" in line.text
