"""diagnose as students and graders meet it: notebooks, isolation, the CLI's exit codes and JSON."""

import json
import shutil
from pathlib import Path

import pytest

import shapecheck as sc
from cli_helpers import run

GALLERY = Path(__file__).resolve().parent / "gallery"


def notebook_from(code: str, path: Path) -> Path:
    """A notebook as students hand it in: the solution split into cells, with magics, shell lines and test calls."""
    blocks = code.split("\ndef ")
    cells = ["%matplotlib inline\n%load_ext autoreload\n!pip install numpy\n" + blocks[0]]
    cells += ["def " + block for block in blocks[1:]]
    cells.insert(2, "%%time\nprint('a cell magic owns its cell')\n")
    cells.append("parameters = initialize_parameters_deep([5, 4, 3])\nprint(parameters['W1'])\nlinear_forward_test(linear_forward)\n")
    notebook = {"cells": [{"cell_type": "markdown", "source": ["# Building your Deep Neural Network"]}]
                + [{"cell_type": "code", "source": cell.splitlines(keepends=True), "metadata": {}, "outputs": []} for cell in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))
    return path


def functions(report):
    return [(f["name"], f["status"], f["inherited_from"], [p["hint_id"] for p in f["problems"]]) for f in report.to_json()["functions"]]


@pytest.mark.parametrize("name", ["correct/dnn_course.py", "dnn/dW_missing_1_over_m.py", "dnn/linear_forward_W_transposed.py"])
def test_a_notebook_is_diagnosed_exactly_as_the_same_code_in_a_py_file(tmp_path, name):
    code = (GALLERY / name).read_text()
    py = tmp_path / "solution.py"
    py.write_text(code)
    nb = notebook_from(code, tmp_path / "solution.ipynb")
    from_py, from_nb = sc.diagnose(py), sc.diagnose(nb)
    assert functions(from_nb) == functions(from_py)
    assert from_nb.passed == from_py.passed
    dropped = " ".join(from_nb.notes)
    assert "magics" in dropped and "shell commands" in dropped and "test calls" in dropped


def test_notebook_lines_are_reported_as_cells(tmp_path):
    nb = notebook_from((GALLERY / "dnn/linear_forward_W_transposed.py").read_text(), tmp_path / "s.ipynb")
    problem = sc.diagnose(nb).function("linear_forward").problems[0]
    assert "s.ipynb cell" in problem.message and ", line " in problem.message


def test_a_loop_an_exit_and_a_huge_allocation_are_findings_and_the_rest_is_still_checked():
    loops = sc.diagnose(GALLERY / "dnn/loops_at_import.py", timeout=1.0)
    assert any(p.hint_id == "timeout" for p in loops.findings)
    assert loops.function("linear_forward").status == "pass"
    exits = sc.diagnose(GALLERY / "dnn/exit_at_import.py", timeout=1.0)
    assert any(p.hint_id == "exit_at_import" for p in exits.findings) and exits.function("L_model_backward").status == "pass"


@pytest.mark.parametrize("name, function, status, hint", [
    ("dnn/compute_cost_infinite_loop.py", "compute_cost", "timeout", "timeout"),
    ("dnn/unbounded_allocation.py", None, "error", "memory"),
])
def test_runaway_functions_are_stopped_with_their_line(name, function, status, hint):
    report = sc.diagnose(GALLERY / name, timeout=1.0, memory_mb=1024)
    result = report.function(function) if function else next(f for f in report.functions if f.status == status)
    assert result.status == status and result.problems[0].hint_id == hint
    assert sum(f.status == "pass" for f in report.functions) >= 5


def test_cli_exit_codes_and_json_keys(tmp_path):
    good = run("diagnose", GALLERY / "correct/dnn_course.py")
    assert good.exit_code == 0 and "✔" in good.stdout
    bad = run("diagnose", GALLERY / "dnn/dW_missing_1_over_m.py", "--json")
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert data["kind"] == "dnn" and data["passed"] is False
    row = next(f for f in data["functions"] if f["name"] == "linear_backward")
    assert set(row) >= {"name", "status", "inherited_from", "problems"}
    assert set(row["problems"][0]) >= {"kind", "tensor", "expected", "actual", "message", "hint"}
    assert next(f for f in data["functions"] if f["name"] == "L_model_backward")["inherited_from"] == "linear_backward"


@pytest.mark.parametrize("args, words", [
    (["diagnose", "no/such/student.py"], ["No such file"]),
    (["diagnose", "README.md"], ["not a Python file"]),
    (["diagnose", "class"], ["class is a folder", "shapecheck diagnose class/my_solution.py", "shapecheck grade class"]),
    (["diagnose", "class.py"], ["class.py is a folder"]),  # read by its type, not its name
    (["diagnose", "x.py", "--kind", "cnn"], ["--kind", "dnn"]),
])
def test_cli_bad_input_is_one_line_and_exit_2(args, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("# not python")
    (tmp_path / "x.py").write_text("")
    (tmp_path / "class").mkdir()
    (tmp_path / "class.py").mkdir()
    result = run(*args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    for word in words:
        assert word in result.stderr


def test_a_folder_is_called_a_folder_in_python_too(tmp_path):  # it exists: "No such file" sent students looking
    with pytest.raises(sc.ShapecheckError, match="is a folder: diagnose reads one .py file"):
        sc.diagnose(tmp_path)


def test_a_file_with_none_of_the_functions_fails_and_says_so(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("import numpy as np\n")
    report = sc.diagnose(path)
    assert report.passed is False and "defines none" in report.conclusion()


def test_partial_files_report_the_rest_as_missing():
    report = sc.diagnose(GALLERY / "correct/dnn_partial_forward.py")
    assert report.passed is True
    assert report.function("L_model_backward").status == "missing"


@pytest.mark.parametrize("code, line", [("def f(:\n    pass\n", 1), ("import numpy as np\ndef f():\n  x = 1\n    y = 2\n", 4),
                                        ("def f():\n\tx = 1\n        return x\n", 3)])
def test_a_file_python_cannot_read_gets_the_syntax_fix_not_the_top_level_code_one(tmp_path, code, line):
    path = tmp_path / "student.py"
    path.write_text(code)
    [finding] = sc.diagnose(path).findings
    assert finding.line == line and "Error" in finding.actual
    assert "Correct the line it names" in finding.hint and "Top-level code" not in finding.hint


def test_a_top_level_exception_keeps_the_top_level_code_fix(tmp_path):  # meta: the two fixes are told apart
    path = tmp_path / "student.py"
    path.write_text("import numpy as np\nnp.zeros(3).reshape(2, 2)\n")
    [finding] = sc.diagnose(path).findings
    assert finding.actual == "ValueError" and "Top-level code runs on import" in finding.hint


@pytest.mark.parametrize("data, words", [(b"", "the file is empty"), (b"  \n", "the file is empty"),
                                         (b'{"cells": [', "line 1, column 12"), (b"print(1)", "line 1, column 1")])
def test_an_empty_or_truncated_notebook_says_so_not_jsons_expecting_value(tmp_path, data, words):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(data)
    result = run("diagnose", path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert words in result.stderr and "Expecting value" not in result.stderr and "char 0" not in result.stderr
