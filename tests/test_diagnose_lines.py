"""A finding points at a line (issue 14, item 3): the student's line that made the value a finding is about,
read from the syntax of their function in the trusted process (locate.py), in the table and the JSON."""

import ast
import json
import textwrap

import pytest

import shapecheck as sc
from shapecheck.diagnosis import locate


def line(code: str, function: str, outputs: tuple, tensor: str | None) -> int | None:
    tree = ast.parse(textwrap.dedent(code))
    return locate.line_of(locate.function_node(tree, function), outputs, tensor)


BACKWARD = """
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""


@pytest.mark.parametrize("tensor, expected", [("dW", 5), ("db", 6), ("dA_prev", 7), (None, 8)])
def test_each_output_of_a_tuple_points_at_its_assignment_and_the_whole_return_at_the_return(tensor, expected):
    assert line(BACKWARD, "linear_backward", ("dA_prev", "dW", "db"), tensor) == expected


def test_a_cost_squeezed_or_converted_points_at_the_line_that_computed_it():
    code = """
    def compute_cost(AL, Y):
        m = Y.shape[1]
        cost = -np.sum(Y * np.log(AL)) / m
        cost = np.squeeze(cost)
        return float(cost)
    """
    assert line(code, "compute_cost", ("cost",), "cost") == 4


def test_dict_entries_point_at_the_entry_the_loop_writes_or_the_literal_that_holds_it():
    loop = """
    def update_parameters(params, grads, learning_rate):
        parameters = params.copy()
        L = len(parameters) // 2
        for l in range(L):
            parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
            parameters[f"b{l + 1}"] = parameters[f"b{l + 1}"] - learning_rate * grads[f"db{l + 1}"]
        return parameters
    """
    assert line(loop, "update_parameters", ("parameters",), "W2") == 6
    assert line(loop, "update_parameters", ("parameters",), "b1") == 7
    literal = """
    def propagate(w, b, X, Y):
        A = sigmoid(w.T @ X + b)
        dw = X @ (A - Y).T / X.shape[1]
        db = np.mean(A - Y)
        cost = 0.0
        grads = {"dw": dw,
                 "db": db}
        return grads, cost
    """
    assert line(literal, "propagate", ("grads", "cost"), "grads[dw]") == 4
    assert line(literal, "propagate", ("grads", "cost"), "grads[db]") == 5


def test_an_array_filled_step_by_step_points_at_the_step_that_fills_it():
    code = """
    def rnn_forward(x, a0, parameters):
        a = np.zeros((n_a, m, T_x))
        for t in range(T_x):
            a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
            a[:, :, t] = a_next
        return a, y_pred, caches
    """
    assert line(code, "rnn_forward", ("a", "y_pred", "caches"), "a") == 6


def test_no_return_points_at_the_def_and_no_function_at_nothing():
    assert line("def f(x):\n    y = x\n", "f", ("y",), "y") == 1
    assert line("def g(x):\n    return x\n", "f", ("y",), "y") is None


def test_a_mutation_points_at_the_write_even_inside_the_students_own_helper_through_an_alias():
    code = """
    def relu_backward(dA, cache):
        Z = cache
        dZ = dA
        dZ[Z <= 0] = 0
        return dZ

    def linear_activation_backward(dA, cache, activation):
        linear_cache, activation_cache = cache
        dZ = relu_backward(dA, activation_cache)
        return linear_backward(dZ, linear_cache)
    """
    tree = ast.parse(textwrap.dedent(code))
    function = locate.function_node(tree, "linear_activation_backward")
    assert locate.mutation_line(function, "dA", tree) == 5
    assert locate.mutation_line(function, "activation", tree) == function.lineno  # nothing writes it: the def


WRONG_DW = """import numpy as np


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(A_prev, dZ.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
"""


def test_the_json_and_the_table_name_the_line(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(WRONG_DW)
    report = sc.diagnose(path, kind="dnn")
    problem = report.to_json()["functions"][[f.name for f in report.functions].index("linear_backward")]["problems"][0]
    assert (problem["line"], problem["cell"], problem["code"]) == (12, None, "dW = np.dot(A_prev, dZ.T) / m")
    text = report.to_text(160)
    assert "student.py:12" in text and "dW = np.dot(A_prev, dZ.T) / m" in text
    passing = report.to_json()["functions"][[f.name for f in report.functions].index("linear_forward")]
    assert passing["status"] == "pass" and passing["problems"] == []


def test_in_a_notebook_the_finding_names_the_cell_and_the_line_in_it(tmp_path):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Deep network"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "import numpy as np\n"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": WRONG_DW.split("\n\n\n", 1)[1]}]
    path = tmp_path / "student.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    report = sc.diagnose(path, kind="dnn")
    problem = report.function("linear_backward").problems[0]
    assert (problem.cell, problem.line, problem.code) == (2, 9, "dW = np.dot(A_prev, dZ.T) / m")
    assert "student.ipynb cell 2, line 9" in report.to_text(160)


def test_an_exception_keeps_the_line_it_was_raised_at(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(WRONG_DW.replace("dW = np.dot(A_prev, dZ.T) / m", "dW = np.dot(dZ, A_prev) / m"))
    problem = sc.diagnose(path, kind="dnn").function("linear_backward").problems[0]
    assert (problem.kind, problem.line) == ("exception", 12)
