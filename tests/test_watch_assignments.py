"""sc.watch on every assignment: the notebook's own calls of correct files run unchanged, mistakes stop where made.

The gallery's files import the course's helper modules (reg_utils, gc_utils, ...); here their functions
come from the plug-ins' course files, put in the namespace the way ``from reg_utils import *`` would.
"""

from __future__ import annotations

import ast
import tomllib
import warnings
from pathlib import Path

import numpy as np

import pytest

from shapecheck.diagnosis.assignments import ASSIGNMENTS
from shapecheck.validate.watch import WatchError, contracts_for, unwatch, watch

GALLERY = Path(__file__).parent / "gallery"
KEEP_IMPORTS = {"numpy", "math", "copy"}


class Plots:
    """matplotlib.pyplot as far as the older editions' models use it: every call draws nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def notebook(path: str, kind: str, replace: tuple = (), also: str = "") -> dict:
    """A gallery file's definitions in a notebook-like namespace: the course's helpers imported, its functions defined
    (``also``: a second file's, as one student's file of two assignments)."""
    source = (GALLERY / path).read_text() + ("\n" + (GALLERY / also).read_text() if also else "")
    for old, new in replace:
        assert old in source, old  # the edit must apply, or the test would test nothing
        source = source.replace(old, new)
    tree = ast.parse(source)
    tree.body = [node for node in tree.body if isinstance(node, ast.FunctionDef) or (
        isinstance(node, (ast.Import, ast.ImportFrom)) and
        {(a.name if isinstance(node, ast.Import) else node.module or "").split(".")[0] for a in node.names} <= KEEP_IMPORTS)]
    assignment = ASSIGNMENTS[kind]
    namespace: dict = {"__name__": "__main__", "plt": Plots()}
    for module, names in assignment.modules.items():
        namespace.update({name: getattr(assignment.course, name) for name in names if hasattr(assignment.course, name)})
    exec(compile(tree, path, "exec"), namespace)
    return namespace


def data(n_x=4, m=10, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, (X[:1] + 0.3 * rng.standard_normal((1, m)) > 0).astype(float)


def dense(layers, seed=0):
    rng = np.random.default_rng(seed)
    return {k: rng.standard_normal((layers[l], layers[l - 1]) if k[0] == "W" else (layers[l], 1)) * 0.5
            for l in range(1, len(layers)) for k in (f"W{l}", f"b{l}")}


def logreg(ns):
    X, Y = data()
    ns["sigmoid"](np.array([0, 2]))  # the notebook's own test: a rank-1 array is fine for an entrywise function
    w, b = ns["initialize_with_zeros"](4)
    grads, cost = ns["propagate"](w + 0.1, 0.5, X, Y)
    params, grads, costs = ns["optimize"](w, b, X, Y, num_iterations=150, learning_rate=0.05)
    prediction = ns["predict"](params["w"], params["b"], X)
    d = ns["model"](X, Y, X[:, :6], Y[:, :6], num_iterations=120, learning_rate=0.05)
    return [grads["dw"], cost, params["w"], prediction, d["w"], d["Y_prediction_test"]]


def init(ns):
    return [ns[name]([4, 3, 2, 1])["W2"] for name in
            ("initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he")]


def regularization(ns):
    X, Y = data(n_x=2, m=12)
    parameters = dense([2, 5, 3, 1])
    A3, cache = ns["forward_propagation"](X, parameters)
    cost = ns["compute_cost_with_regularization"](A3, Y, parameters, 0.7)
    grads = ns["backward_propagation_with_regularization"](X, Y, cache, 0.7)
    np.random.seed(1)
    A3, cache = ns["forward_propagation_with_dropout"](X, parameters, keep_prob=0.8)
    dropout = ns["backward_propagation_with_dropout"](X, Y, cache, 0.8)
    return [cost, grads["dW1"], A3, dropout["dW2"]]


def gradcheck(ns):
    X, Y = data(n_x=4, m=3)
    parameters = dense([4, 5, 3, 1])
    difference = ns["gradient_check"](2, 4)
    cost, cache = ns["forward_propagation_n"](X, Y, parameters)
    gradients = ns["backward_propagation_n"](X, Y, cache)
    return [difference, cost, gradients["dW1"], ns["gradient_check_n"](parameters, gradients, X, Y)]


def optimization(ns):
    X, Y = data(n_x=3, m=148)
    parameters, grads = dense([3, 4, 1]), {"d" + k: v for k, v in dense([3, 4, 1], seed=1).items()}
    batches = ns["random_mini_batches"](X, Y, 64, seed=0)
    out = [ns["update_parameters_with_gd"](dict(parameters), grads, 0.01)["W1"], batches[-1][0]]
    v = ns["initialize_velocity"](parameters)
    out.append(ns["update_parameters_with_momentum"](dict(parameters), grads, v, 0.9, 0.01)[0]["W2"])
    v, s = ns["initialize_adam"](parameters)
    out.append(ns["update_parameters_with_adam"](dict(parameters), grads, v, s, 2, 0.01, 0.9, 0.999, 1e-8)[0]["b1"])
    if "update_lr" in ns:
        out += [ns["update_lr"](0.5, 2, 1), ns["schedule_lr_decay"](0.5, 2000, 1, 1000)]
    return out


def dnn_app(ns):
    X, Y = data(n_x=5, m=8)
    two = ns["two_layer_model"](X, Y, (5, 3, 1), num_iterations=3)
    deep = ns["L_layer_model"](X, Y, [5, 4, 3, 1], num_iterations=3)
    first = lambda result: result[0] if isinstance(result, tuple) else result  # noqa: E731 - the older edition: parameters alone
    return [first(two)["W1"], first(deep)["W3"]]


FLOWS = {"logreg": logreg, "init": init, "regularization": regularization, "gradcheck": gradcheck,
         "optimization": optimization, "dnn_app": dnn_app}
# files written for numpy 1 (manifest label "numpy2") raise on numpy 2 when run here: diagnose gives them numpy 1's
# meaning in its sandbox, watch runs the student's own process and cannot
NUMPY1_ONLY = {e["path"] for e in tomllib.loads((GALLERY / "manifest.toml").read_text())["file"] if "numpy2" in e.get("labels", [])}
CORRECT = [(kind, path.relative_to(GALLERY).as_posix()) for kind, prefix in
           (("logreg", "logreg"), ("init", "init"), ("regularization", "reg"), ("gradcheck", "gradcheck"),
            ("optimization", "optim"), ("dnn_app", "dnn_app")) for path in sorted((GALLERY / "correct").glob(f"{prefix}_*.py"))
           if path.relative_to(GALLERY).as_posix() not in NUMPY1_ONLY]


def run(flow, ns):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # print_cost, overflow in an exp of the older editions
        np.random.seed(3)
        return flow(ns)


@pytest.mark.parametrize("kind, path", CORRECT)
def test_a_correct_file_runs_the_notebook_s_calls_under_watch_with_the_same_numbers(kind, path):
    plain = run(FLOWS[kind], notebook(path, kind))
    ns = notebook(path, kind)
    names = watch(ns)
    assert set(names) == {c.name for c in ASSIGNMENTS[kind].contracts} & set(ns), names
    watched = run(FLOWS[kind], ns)
    assert all(np.array_equal(a, b) for a, b in zip(plain, watched, strict=True))
    assert set(unwatch(ns)) == set(names)


def test_the_assignment_is_recognised_from_what_the_namespace_defines_not_from_what_it_imports():
    ns = notebook("correct/reg_course.py", "regularization")
    # reg_utils' forward_propagation and compute_cost are imported: not the gradient-checking or deep network's
    assert {c.kind for c in contracts_for(ns).values()} == {"regularization"}
    assert set(watch(ns)) == {c.name for c in ASSIGNMENTS["regularization"].contracts}
    assert not hasattr(ns["forward_propagation"], "__wrapped__")
    # the same names defined by the student of the gradient-checking notebook are theirs
    assert contracts_for(notebook("correct/gradcheck_course.py", "gradcheck"))["forward_propagation"].kind == "gradcheck"


def test_kind_forces_an_assignment_and_an_unknown_one_is_one_clear_error():
    ns = {"compute_cost": lambda AL, Y: 0.0}
    assert contracts_for(ns, "dnn")["compute_cost"].kind == "dnn"
    with pytest.raises(Exception, match="logreg"):
        watch(ns, kind="no_such_assignment")


def test_a_file_of_two_assignments_watches_both():
    ns = notebook("correct/logreg_course.py", "logreg", also="correct/optim_course.py")
    assert {c.kind for c in contracts_for(ns).values()} == {"logreg", "optimization"}
    names = watch(ns)
    assert {"propagate", "random_mini_batches", "update_parameters_with_adam"} <= set(names)
    run(logreg, ns), run(optimization, ns)  # raises at the first misfit


def stopped(kind, path, replace, flow=None) -> WatchError:
    ns = notebook(path, kind, replace)
    watch(ns)
    with pytest.raises(WatchError) as info:
        run(flow or FLOWS[kind], ns)
    return info.value


@pytest.mark.parametrize("kind, path, replace, function, words", [
    ("logreg", "correct/logreg_course.py", (("w = np.zeros((dim, 1))", "w = np.zeros(dim)"),),
     "initialize_with_zeros", ["w", "rank-1 (4,)", "(4, 1)", "one weight per feature"]),
    ("logreg", "correct/logreg_course.py", (("db = 1 / m * np.sum(A - Y)", "db = 1 / m * np.sum(A - Y, axis=1, keepdims=True)"),),
     "propagate", ["db", "(1, 1)", "one number", ".item()"]),
    ("logreg", "correct/logreg_course.py", (("return s", "return s.sum()"),), "sigmoid", ["sigmoid returned", "entry"]),
    ("optimization", "correct/optim_course.py", (("if m % mini_batch_size != 0:", "if False:"),),
     "random_mini_batches", ["128 examples", "m = 148", "last mini-batch"]),
    ("optimization", "correct/optim_course.py", (('v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)\n\n    return v',
                                                  'v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape[0])\n\n    return v'),),
     "initialize_velocity", ["v['db2']", "rank-1", "np.zeros(parameters['b2'].shape)"]),
    ("regularization", "correct/reg_course.py", (("db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)",
                                                  "db3 = 1. / m * np.sum(dZ3, axis=1)"),),
     "backward_propagation_with_regularization", ["db3", "rank-1"]),
    ("init", "correct/init_course.py", (("np.zeros((layers_dims[l], 1))", "np.zeros((layers_dims[l],))"),),
     "initialize_parameters_zeros", ["b1", "rank-1"]),
    ("dnn_app", "correct/dnn_app_course.py", (("return parameters, costs", "return costs, parameters"),),
     "two_layer_model", ["parameters"]),
])
def test_a_shape_mistake_stops_in_the_function_that_made_it(kind, path, replace, function, words):
    error = stopped(kind, path, replace)
    assert error.function == function, str(error)
    text = " ".join(str(error).split())
    assert all(w in text for w in words), text


def test_a_size_given_as_an_argument_binds_its_symbol_and_a_list_of_indices_is_not_layer_sizes():
    """nn_model(X, Y, n_h, ...) that builds its net with the notebook's n_h = 4 is stopped; optimize(X, Y, ...) of
    Dinosaurus takes lists of character indices, where a 0 is no layer size."""
    from shapecheck.diagnosis.plugin import Contract
    from shapecheck.validate.watch import Checker, Violation

    model = Contract("nn_model", "test", "update", {"X": ("n_x", "m"), "n_h": "int"}, {"W1": ("n_h", "n_x")})
    checker = Checker("nn_model")
    checker.inputs(model, [("X", np.ones((3, 7))), ("n_h", 5)])
    with pytest.raises(Violation) as info:
        checker.outputs(model, np.ones((4, 3)))
    assert "n_h is 5 in n_h (nn_model)" in " ".join(info.value.problem.message.split())
    right = Checker("nn_model")
    right.inputs(model, [("X", np.ones((3, 7))), ("n_h", 5)])
    right.outputs(model, np.ones((5, 3)))
    indices = Contract("optimize", "test", "update", {"X": "list", "a_prev": ("n_a", 1)}, {"a_last": ("n_a", 1)})
    Checker("optimize").inputs(indices, [("X", [None, 0, 5, 3]), ("a_prev", np.zeros((4, 1)))])
