"""sc.watch: every call of a watched function is checked before its body runs and after it returns."""

import copy
import doctest
import inspect
import re
import subprocess
import sys
import tomllib
import types
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gallery_manifest

import shapecheck.validate.watch as watch_module
from shapecheck import strategies as sst
from shapecheck.diagnosis import mutants, reference
from shapecheck.diagnosis.cases import cases_for, reference_result
from shapecheck.diagnosis.compare import tensors_of
from shapecheck.diagnosis.contract import DICT_LAYOUTS
from shapecheck.diagnosis.assignments import ASSIGNMENTS
from shapecheck.diagnosis.contract import KINDS
from shapecheck.diagnosis.plugin import given as given_stand_ins
from shapecheck.validate.watch import WATCHED, contracts_for
from shapecheck.core import tensors
from shapecheck.core.errors import ShapecheckError
from shapecheck.validate.watch import WatchError, WatchWarning, unwatch, watch, watching

GALLERY = Path(__file__).parent / "gallery"


def student(path: str = "correct/dnn_course.py", replace: tuple = ()) -> types.ModuleType:
    """A gallery file as a module (run in this process: only files that neither loop nor exit)."""
    source = (GALLERY / path).read_text()
    for old, new in replace:
        assert old in source, old  # the edit must apply, or the test would test nothing
        source = source.replace(old, new)
    module = types.ModuleType("student")
    exec(compile(source, f"student_{Path(path).stem}.py", "exec"), module.__dict__)
    return module


def data(n0=5, m=7, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n0, m)), (rng.random((1, m)) > 0.5).astype(float)


def train_step(mod, X, Y, layer_dims=(5, 4, 3, 1)):
    params = mod.initialize_parameters_deep(list(layer_dims))
    AL, caches = mod.L_model_forward(X, params)
    mod.compute_cost(AL, Y)
    grads = mod.L_model_backward(AL, Y, caches)
    return mod.update_parameters(params, grads, 0.1)


def sizes_rnn(seed=1, n_x=3, n_a=5, n_y=2, m=4, T_x=6):
    rng = np.random.default_rng(seed)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    env = {"n_x": n_x, "n_a": n_a, "n_y": n_y}
    draw = lambda layout: {k: rng.standard_normal(tensors.sizes(s, env)) for k, s in tensors.layout(layout).items()}  # noqa: E731
    return x, a0, draw("rnn_params"), draw("lstm_params"), rng.standard_normal((n_a, m, T_x))


def recurrent_steps(mod) -> dict:
    """Every recurrent function the file has, forward then backward: their outputs (caches left out), by name."""
    x, a0, rnn, lstm, da = sizes_rnn()
    out = {}
    if hasattr(mod, "rnn_forward"):
        *out["rnn_forward"], caches = mod.rnn_forward(x, a0, rnn)
        if hasattr(mod, "rnn_backward"):
            out["rnn_backward"] = mod.rnn_backward(da, caches)
    if hasattr(mod, "lstm_forward"):
        *out["lstm_forward"], caches = mod.lstm_forward(x, a0, lstm)
        if hasattr(mod, "lstm_backward"):
            out["lstm_backward"] = mod.lstm_backward(da, caches)
    return out


def same(a, b) -> bool:
    """Equal arrays, lists and dicts of arrays, all the way down."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    try:
        return np.array_equal(a, b, equal_nan=True)
    except TypeError:  # not numbers: strings, None, objects
        return np.array_equal(a, b)


def grads_of(params):
    return {"d" + k: np.zeros_like(v) for k, v in params.items()}


def raised(call) -> WatchError:
    with pytest.raises(WatchError) as info:
        call()
    return info.value


# --- wrapping and unwrapping ------------------------------------------------------------------------


def test_watch_wraps_exactly_the_contract_functions_and_unwatch_restores_the_same_objects():
    mod = student()
    originals = dict(vars(mod))
    names = watch(mod)
    assert set(names) == {c.name for c in KINDS["dnn"]} & set(originals)
    assert vars(mod).get("sigmoid", originals.get("sigmoid")) is originals.get("sigmoid")  # dnn_utils' pair, not logistic regression's
    assert all(vars(mod)[n] is not originals[n] for n in names)
    assert vars(mod)["relu_backward"] is originals["relu_backward"]  # a course helper, not a contract function
    assert set(unwatch(mod)) == set(names)
    assert all(vars(mod)[n] is originals[n] for n in originals)


def test_watching_twice_wraps_once():
    mod = student()
    original = mod.linear_forward
    watch(mod)
    wrapper = mod.linear_forward
    watch(mod)
    assert mod.linear_forward is wrapper
    assert wrapper.__wrapped__ is original  # one layer: the wrapper's original is the student's function
    unwatch(mod)
    assert mod.linear_forward is original


def test_a_wrapper_keeps_name_doc_wrapped_and_signature():
    mod = student()
    original = mod.linear_activation_forward
    watch(mod)
    wrapper = mod.linear_activation_forward
    assert (wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__) == (original.__name__, original.__doc__, original)
    assert inspect.signature(wrapper) == inspect.signature(original)


def test_a_function_defined_again_is_watched_on_the_next_watch():
    namespace = {}
    exec("def linear_forward(A, W, b):\n    return W @ A + b, None", namespace)
    watch(namespace)
    exec("def linear_forward(A, W, b):\n    return W @ A + b, (A, W, b)", namespace)  # the cell, run again
    fresh = namespace["linear_forward"]
    watch(namespace)
    assert namespace["linear_forward"].__wrapped__ is fresh
    with pytest.raises(WatchError):
        namespace["linear_forward"](np.ones((3, 2)), np.ones((4, 3)), np.zeros(4))


def test_nothing_to_watch_is_a_warning_not_an_error():
    with pytest.warns(WatchWarning, match="none of the assignments' functions"):
        assert watch({"__name__": "__main__", "f": lambda: 1}) == ()


def test_a_namespace_must_be_a_module_or_a_dict():
    with pytest.raises(ShapecheckError, match="module or a dict"):
        watch([1, 2])


def test_watching_is_a_context_manager_that_restores_even_after_an_error():
    mod = student()
    original_forward, original_cost = mod.linear_forward, mod.compute_cost
    with pytest.raises(WatchError), watching(mod) as names:
        assert "compute_cost" in names and mod.compute_cost is not original_cost
        mod.linear_forward(np.ones((3, 2)), np.ones((4, 3)), np.zeros(4))
    assert mod.linear_forward is original_forward and mod.compute_cost is original_cost


def test_watching_leaves_what_was_watched_before_it_watched():
    mod = student()
    watch(mod)
    watched_forward = mod.linear_forward
    with watching(mod):
        pass
    assert mod.linear_forward is watched_forward


# --- correct code runs as before ------------------------------------------------------------------------

CORRECT_DNN = ["correct/dnn_course.py", "correct/dnn_old_edition.py", "correct/dnn_flat_cache.py", "correct/dnn_matmul_dicts.py"]
CORRECT_RNN = ["correct/rnn_course.py", "correct/rnn_old_edition.py", "correct/rnn_matmul_inline.py", "correct/rnn_forward_only.py"]


def test_meta_same_sees_a_difference_anywhere():
    a = {"x": [np.ones(2), (np.zeros(1),)]}
    assert same(a, {"x": [np.ones(2), (np.zeros(1),)]})
    assert not same(a, {"x": [np.ones(2), (np.ones(1),)]}) and not same(a, {"y": a["x"]}) and not same([1, 2], [1])


@pytest.mark.parametrize("path", CORRECT_DNN)
def test_correct_deep_network_files_train_under_watch_with_the_same_numbers(path):
    X, Y = data()
    plain = train_step(student(path), X, Y)
    mod = student(path)
    assert len(watch(mod)) == 9
    watched = train_step(mod, X, Y)
    assert all(np.array_equal(plain[k], watched[k]) for k in plain)


@pytest.mark.parametrize("path", CORRECT_RNN)
def test_correct_recurrent_files_run_under_watch_with_the_same_numbers(path):
    plain = recurrent_steps(student(path))
    mod = student(path)
    assert watch(mod)
    watched = recurrent_steps(mod)  # raises at the first misfit
    assert "rnn_forward" in watched or "lstm_forward" in watched
    assert same(watched, plain)


def test_a_fresh_test_case_with_another_m_is_not_an_error():
    mod, plain = student(), student()
    watch(mod)
    for X, Y in (data(m=7), data(m=3, seed=1)):  # the next notebook cell: new arrays, new m
        assert same(train_step(mod, X, Y), train_step(plain, X, Y))
    Z, _ = mod.linear_forward(*[np.ones(s) for s in ((2, 1), (3, 2), (3, 1))])  # m = 1 now, and other sizes
    assert Z.shape == (3, 1) and np.all(Z == 3.0)  # W·A + b = (1 + 1) + 1 in every row


# --- each mistake gets its sentence ----------------------------------------------------------------------


def test_an_argument_is_checked_before_the_body_runs_and_never_changed():
    calls = []
    namespace = {}
    exec("def linear_forward(A, W, b):\n    calls.append(1)\n    return W @ A + b, (A, W, b)", namespace)
    namespace["calls"] = calls
    watch(namespace)
    A, W, b = np.ones((3, 2)), np.ones((4, 3)), np.zeros(4)
    copies = [A.copy(), W.copy(), b.copy()]
    error = raised(lambda: namespace["linear_forward"](A, W, b))
    assert calls == []
    assert all(np.array_equal(x, y) and x.shape == y.shape for x, y in zip((A, W, b), copies))
    assert (error.function, error.argument, error.expected, error.actual) == ("linear_forward", "b", (4, 1), (4,))
    assert "rank-1 (4,)" in str(error) and "b.reshape(4, 1)" in str(error) and str(error).count("\n") == 0


def test_a_later_call_with_another_m_names_both_places():
    mod = student()
    watch(mod)
    X, Y = data(n0=5, m=209)
    AL, _ = mod.L_model_forward(X, mod.initialize_parameters_deep([5, 4, 1]))
    error = raised(lambda: mod.compute_cost(AL, Y[:, :208]))
    assert "m is 209 in X (L_model_forward) but 208 in Y (compute_cost)" in str(error)
    assert error.expected == (1, 209) and error.actual == (1, 208)


@pytest.mark.parametrize("call, words", [
    (lambda m, X, Y, p: m.L_model_forward(X.T, p), ["X has shape (7, 5) but must be (5, 7)", "looks transposed", "X.T"]),
    (lambda m, X, Y, p: m.L_model_forward(X.tolist(), p), ["X is a Python list", "np.array(X)"]),
    (lambda m, X, Y, p: m.L_model_forward(X, {**p, "W2": p["W2"].T}), ["W2 has shape (4, 3) but must be (3, 4)", "W2.T"]),
    (lambda m, X, Y, p: m.L_model_forward(X, {**p, "b2": p["b2"].ravel()}), ["b2 is rank-1 (3,)", "b2.reshape(3, 1)"]),
    (lambda m, X, Y, p: m.L_model_forward(X, {k: v for k, v in p.items() if k != "W3"}), ["W3 is missing", "(1, 3)"]),
    (lambda m, X, Y, p: m.compute_cost(m.L_model_forward(X, p)[0], Y.ravel()), ["Y is rank-1 (7,)", "Y.reshape(1, -1)"]),
    (lambda m, X, Y, p: m.linear_activation_forward(X, p["W1"], p["b1"], "Relu"), ["'Relu'", "Use 'relu'"]),
    (lambda m, X, Y, p: m.linear_forward(X[:4], p["W1"], p["b1"]), ["n_prev is 5 in", "but 4 in A (linear_forward)"]),
    (lambda m, X, Y, p: m.update_parameters(p, {**grads_of(p), "dW1": 1}, 0.1), ["dW1 is of type int", "numpy array"]),
    (lambda m, X, Y, p: m.update_parameters(p, None, 0.1), ["grads is of type NoneType", "dict"]),
    (lambda m, X, Y, p: m.update_parameters(p, grads_of(p), "0.1"), ["learning_rate is of type str", "number"]),
    (lambda m, X, Y, p: m.update_parameters(p, {**grads_of(p), "db2": np.zeros(3)}, 0.1), ["db2 is rank-1 (3,)", "keepdims"]),
])
def test_each_argument_mistake_gets_its_sentence(call, words):
    mod = student()
    watch(mod)
    X, Y = data()
    params = mod.initialize_parameters_deep([5, 4, 3, 1])
    text = str(raised(lambda: call(mod, X, Y, params)))
    assert all(w in text for w in words), text
    assert "Fix: " in text and "\n" not in text


@pytest.mark.parametrize("edit, function, words", [
    (("db = 1 / m * np.sum(dZ, axis=1, keepdims=True)", "db = 1 / m * np.sum(dZ, axis=1)"),
     "linear_backward", ["db is rank-1 (1,)", "keepdims=True"]),
    (("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = 1 / m * np.dot(A_prev, dZ.T)"),
     "linear_backward", ["dW has shape (3, 1) but must be (1, 3)", "looks transposed"]),
    (("    return dA_prev, dW, db\n", "    return dW, dA_prev, db\n"),
     "linear_backward", ["returned dA_prev and dW in each other's places", "return dA_prev, dW, db"]),
    (("    return dA_prev, dW, db\n", "    return dW, db\n"), "linear_backward", ["returned 2 values", "3 values"]),
    (("    return grads\n", "    pass\n"), "L_model_backward", ["returned None", "return grads"]),
    (('grads["dW" + str(l + 1)] = dW_temp', 'grads["dw" + str(l + 1)] = dW_temp'),
     "L_model_backward", ["no key 'dW2'", "Did you mean 'dw2'"]),
    (("cost = np.squeeze(cost)", "cost = cost.reshape(1, 1)"), "compute_cost", ["cost has shape (1, 1)", "np.squeeze(cost)"]),
    (("AL, cache = linear_activation_forward(A, parameters['W' + str(L)]", "AL, cache = linear_activation_forward(A_prev, parameters['W' + str(L)]"),
     "linear_activation_forward", ["called from L_model_forward", "A_prev has shape (4, 7) but must be (3, m)"]),
])
def test_each_result_mistake_is_named_in_the_function_that_made_it(edit, function, words):
    mod = student(replace=(edit,))
    watch(mod)
    error = raised(lambda: train_step(mod, *data()))
    assert error.function == function
    assert all(w in str(error) for w in words), str(error)


def test_without_watch_the_same_mistake_surfaces_later_as_numpy_broadcasting():
    """The meta-test of the one above: unwatched, the keepdims slip is silent until update_parameters."""
    edit = ("db = 1 / m * np.sum(dZ, axis=1, keepdims=True)", "db = 1 / m * np.sum(dZ, axis=1)")
    params = train_step(student(replace=(edit,)), *data())
    assert params["b2"].shape == (3, 3)  # b - α·db broadcast (3, 1) against (3,): numpy said nothing


@pytest.mark.parametrize("call, words", [
    (lambda mod, x, a0, rnn, lstm: mod.rnn_forward(x, a0.T, rnn), ["a0 has shape (4, 5) but must be (5, 4)", "looks transposed"]),
    (lambda mod, x, a0, rnn, lstm: mod.rnn_forward(x[:, :, 0], a0, rnn), ["x has 2 dimension(s)", "(3, m, T_x)"]),
    (lambda mod, x, a0, rnn, lstm: mod.rnn_forward(x, a0, {**rnn, "Wax": rnn["Wax"].T}), ["Wax has shape (3, 5) but must be (5, 3)"]),
    (lambda mod, x, a0, rnn, lstm: mod.rnn_cell_forward(x[:, :, 0], a0, {k: v for k, v in rnn.items() if k != "by"}),
     ["parameters has no key 'by'", "(n_y, 1)"]),
    (lambda mod, x, a0, rnn, lstm: mod.lstm_forward(x, a0, {**lstm, "Wi": lstm["Wi"][:, :5]}),
     ["Wi has 5 columns but must have n_a + n_x = 5 + 3 = 8", "[a_prev; x_t]"]),
    (lambda mod, x, a0, rnn, lstm: mod.lstm_forward(x, a0, {**lstm, "bo": lstm["bo"].ravel()}), ["bo is rank-1 (5,)"]),
])
def test_recurrent_mistakes_get_their_sentences(call, words):
    mod = student("correct/rnn_course.py")
    watch(mod)
    x, a0, rnn, lstm, _ = sizes_rnn()
    text = str(raised(lambda: call(mod, x, a0, rnn, lstm)))
    assert all(w in text for w in words), text


def test_recurrent_results_are_checked_too():
    mod = student("correct/rnn_course.py", replace=[
        ("dba = np.sum(dtanh, axis=1, keepdims=True)", "dba = np.sum(dtanh, axis=1)")])
    watch(mod)
    error = raised(lambda: recurrent_steps(mod))
    assert error.function == "rnn_cell_backward" and "dba is rank-1 (5,)" in str(error)


def test_an_error_inside_the_body_keeps_numpy_s_message_and_says_the_arguments_fitted():
    mod = student(replace=[("Z = np.dot(W, A) + b", "Z = np.dot(W, A) + b.T")])
    watch(mod)
    X, _ = data()
    with pytest.raises(ValueError, match="broadcast") as info:
        mod.L_model_forward(X, mod.initialize_parameters_deep([5, 4, 1]))
    notes = info.value.__notes__
    assert len(notes) == 1 and "inside linear_forward" in notes[0] and "W (4, 5)" in notes[0]


def test_inner_calls_through_a_notebook_s_globals_are_checked():
    namespace = {"__name__": "__main__"}
    exec((GALLERY / "correct/dnn_course.py").read_text().replace("keepdims=True", "keepdims=False"), namespace)
    watch(namespace)  # as sc.watch(globals()) in the notebook
    X, Y = data()
    with pytest.raises(WatchError, match="called from linear_activation_backward"):
        train_step(types.SimpleNamespace(**namespace), X, Y)


@settings(max_examples=60, deadline=None)
@given(sst.dense_specs(hidden=("relu",), outputs=("sigmoid",), max_units=6)
       .flatmap(lambda spec: st.tuples(st.just(spec), sst.params_for(spec, corrupt=True))), st.integers(1, 4))
def test_every_single_corrupted_parameter_is_named_before_the_forward_pass_runs(case, m):
    spec, (params, corruption) = case
    namespace = {"L_model_forward": reference.L_model_forward}
    watch(namespace)
    X = np.ones((spec.layer_dims[0], m))
    error = raised(lambda: namespace["L_model_forward"](X, params))
    L = spec.L
    if error.problem.tensor in (corruption.tensor, "X"):  # a changed W1 column count shows against X
        assert corruption.tensor in str(error)
    else:  # W[L] and b[L] are the only witnesses of n[L]: when they disagree either may be named
        assert {error.problem.tensor, corruption.tensor} == {f"W{L}", f"b{L}"}
    assert error.problem.tensor != corruption.tensor or error.actual == corruption.shape


def test_every_message_id_watch_and_testing_use_is_in_the_catalogue():
    """Meta-test: a typo in a message id would only show when that very mistake happens."""
    from shapecheck.core.messages import catalogue

    import shapecheck.strategies_course as strategies_course
    import shapecheck.testing as testing

    source = "".join(Path(module.__file__).read_text() for module in (watch_module, testing, strategies_course))
    used = set(re.findall(r'"((?:watch|check|rules|testing|diagnose|gradcheck)\.\w+)"', source))
    assert len(used) > 40 and used <= set(catalogue()), used - set(catalogue())
    assert "watch.cost_shape_fix" in catalogue() and "watch.cost_many_fix" in catalogue()  # built as key + "_fix"


def test_the_module_doc_example_runs():
    assert doctest.testmod(watch_module, optionflags=doctest.ELLIPSIS).failed == 0


def test_gallery_mistakes_that_shapes_can_see_stop_in_the_function_at_fault():
    """Files of the diagnosis gallery whose mistake changes a shape: watch names the root cause."""
    manifest = tomllib.loads((GALLERY / "manifest.toml").read_text())["file"]
    shape_hints = {"transposed", "missing_keepdims", "rank_1_array", "wrong_tuple_order", "wrong_grads_keys",
                   "missing_return", "missing_squeeze", "unfinished_template"}
    checked = 0
    for entry in manifest:
        if entry["kind"] not in ("dnn", "rnn") or not gallery_manifest.diagnosable(entry):
            continue  # watch's training steps are the two classic assignments'
        if entry.get("hint") not in shape_hints or entry.get("import_finding"):
            continue
        if entry["root_cause"] == "initialize_parameters":
            continue  # the two-layer initializer: the deep network's training step never calls it
        mod = student(entry["path"])
        watch(mod)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                train_step(mod, *data()) if entry["kind"] == "dnn" else recurrent_steps(mod)
            except WatchError as error:
                assert error.function == entry["root_cause"], (entry["path"], str(error))
                checked += 1
            except Exception as error:  # numpy got there first: inside the function at fault
                assert entry["root_cause"] in error.__notes__[0], (entry["path"], error)
                checked += 1
            else:
                pytest.fail(f"{entry['path']}: nothing raised")
    assert checked >= 12


EVERY_FUNCTION = [(kind, c.name) for kind, a in ASSIGNMENTS.items() for c in a.contracts]


def _args(assignment, case):
    """The case's arguments, with the caches its linked forward (the reference's) makes."""
    args = case.fresh_args()
    link = assignment.links.get(case.function)
    if link is None or case.forward_args is None:
        return args
    made, args = assignment.reference[link.forward](*case.forward_args), list(args)
    for position, out in link.outputs:
        args[position] = made[out]
    return tuple(args)


def test_every_assignment_s_every_function_is_watched():
    assert len(EVERY_FUNCTION) >= 40 and {kind for kind, _ in EVERY_FUNCTION} >= {
        "dnn", "rnn", "logreg", "init", "regularization", "gradcheck", "optimization", "dnn_app"}
    assert set(WATCHED) == {name for _, name in EVERY_FUNCTION}


@pytest.mark.parametrize("kind, name", EVERY_FUNCTION)
def test_the_reference_passes_every_diagnosis_case_under_watch(kind, name):
    assignment = ASSIGNMENTS[kind]
    namespace = {name: assignment.reference[name]}
    assert watch(namespace, kind=kind) == (name,)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for case in assignment.cases[name](0):
            with sst_stand_ins(namespace, assignment, case):
                args = _args(assignment, case)
                watched, plain = namespace[name](*copy.deepcopy(args)), assignment.reference[name](*copy.deepcopy(args))
            contract = assignment.contract(name)
            assert same(tensors_of(contract, watched), tensors_of(contract, plain)), case.label  # watch changes no number


class sst_stand_ins:  # noqa: N801 - a context manager used like a function
    """The case's course stand-ins (gradient_check given a wrong backward) put where the reference looks them up."""

    def __init__(self, namespace, assignment, case):
        self.function = watch_module.original(namespace[case.function])
        self.stand_ins = assignment.stand_ins(case)

    def __enter__(self):
        self.saved = {k: self.function.__globals__.get(k) for k in self.stand_ins}
        self.function.__globals__.update(self.stand_ins)

    def __exit__(self, *exc):
        self.function.__globals__.update(self.saved)


# a size watch cannot see: it binds symbols from arrays, and planar's nn_model gets n_h as a plain int (its
# mutant that takes layer_sizes' 4 instead makes a consistent (4, n_x) W1; diagnose finds it by value)
SIZE_FROM_AN_INT = {"planar_model_n_h_from_layer_sizes"}


def _shapes(contract, result, keys=None):
    """Every output's shape, except the per-iteration lists (their length is a value: diagnose judges it).
    ``keys``: only these (an extra entry, rnn_backward's da_next handed on unclipped, harms nothing)."""
    skip = {name for name, shape in contract.outputs.items() if shape == ("k",)}
    skip |= {k for layout in contract.outputs.values() if isinstance(layout, str)
             for k, shape in DICT_LAYOUTS.get(layout, {}).items() if shape == ("k",)}
    return {k: np.shape(v) for k, v in tensors_of(contract, result).items() if k not in skip and (keys is None or k in keys)}


@pytest.mark.parametrize("kind, name", EVERY_FUNCTION)
def test_a_mutant_is_stopped_exactly_when_a_result_has_another_shape_than_the_reference_s(kind, name):
    """The classic mistakes of the diagnosis (mutants.py): watch sees the ones that change a shape, and only those."""
    assignment = ASSIGNMENTS[kind]
    contract = assignment.contract(name)
    stopped = passed = 0
    for bug, mutant in mutants.mutants_for(name, kind).items():
        if bug in SIZE_FROM_AN_INT:
            continue
        namespace = {name: mutant}
        watch(namespace, kind=kind)
        for case in assignment.cases[name](0):
            if case.forward_args is not None or case.stand_ins:
                continue  # the caches' and the stand-ins' cases: the reference test above covers them
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                try:
                    result = mutant(*case.fresh_args())
                except Exception:  # numpy stops this one by itself
                    continue
                right = given_stand_ins(assignment.reference[name], assignment.stand_ins(case))(*case.fresh_args())
                expected = _shapes(contract, right)  # keys the reference has not are the student's own (watch allows them)
                if {k: v for k, v in _shapes(contract, result).items() if k in expected} == expected:
                    namespace[name](*case.fresh_args())
                    passed += 1
                else:
                    with pytest.raises(WatchError):
                        namespace[name](*case.fresh_args())
                    stopped += 1
    assert stopped + passed > 0 or not mutants.mutants_for(name, kind) or all(
        c.forward_args is not None or c.stand_ins for c in assignment.cases[name](0))


def test_importing_watch_loads_no_numpy(tmp_path):
    """A notebook pays nothing for sc.watch until arrays flow; the meta-run shows the probe can fail."""
    probe = "import sys, {module}; sys.exit('numpy' in sys.modules)"
    run = lambda module: subprocess.run([sys.executable, "-c", probe.format(module=module)], cwd=tmp_path).returncode  # noqa: E731
    assert run("shapecheck.validate.watch") == 0 and run("shapecheck.testing") == 0
    assert run("numpy") == 1
