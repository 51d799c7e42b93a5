"""The diagnosis reference: the course's signatures and caches, the engine's numbers."""

import copy

import numpy as np
import pytest

from shapecheck.diagnosis import mutants, reference
from shapecheck.diagnosis.cases import cases_for, reference_result
from shapecheck.diagnosis.contract import ALL, contract_of
from contracts_by_kind import EVERY, reference_of, split
from shapecheck.diagnosis.numeric import difference, dnn_numeric_grads, rnn_numeric_grads


def same(a, b, rtol=1e-10) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k], rtol) for k in a)
    if isinstance(a, (tuple, list)):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(same(x, y, rtol) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, float, np.floating)):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-13))
    return a == b


def test_reference_defines_every_contract_function_with_the_contract_arguments():
    import inspect

    for contract in ALL:
        parameters = list(inspect.signature(reference_of(contract.name, contract.kind)).parameters)
        assert parameters == list(contract.inputs), (contract.kind, contract.name)


@pytest.mark.parametrize("qualified", sorted(set(EVERY) - {"dnn.initialize_parameters_deep"}))
def test_the_engine_reference_equals_the_course_code_on_every_case(qualified):
    # two independent writings of the same math: the engine's (vectorised) and the course's (loops)
    # a gradient check's difference is a centered difference with ε = 1e-7: the two writings round it
    # differently near ε_machine·|J|/ε ≈ 1e-9 of the gradient, and two differences below the notebook's
    # bar (the contract's verdict_below) are the same answer
    kind, name = split(qualified)
    bar = float(contract_of(name, kind).notes.get("verdict_below", 0))
    rtol = 1e-7 if bar else 1e-10
    for case in cases_for(name, kind=kind):
        expected, actual = reference_result(case), mutants.course_given(name, case.stand_ins, kind)(*case.fresh_args())
        assert (expected < bar and actual < bar) if bar and expected < bar else same(expected, actual, rtol), case.label


def test_stand_ins_change_the_answer_of_reference_and_course_alike():
    # a right gradient_check notices the wrong backward_propagation standing in: 1/3 for 2x (meta-test of the above)
    plain, doubled = [c for c in cases_for("gradient_check") if c.stand_ins.get("backward_propagation", "") in ("", "backward_propagation_doubled")][:2]
    assert reference_result(plain) < 1e-7 and abs(reference_result(doubled) - 1 / 3) < 1e-7
    assert abs(mutants.course_given("gradient_check", doubled.stand_ins)(*doubled.fresh_args()) - 1 / 3) < 1e-7


@pytest.mark.parametrize("qualified", EVERY)
def test_the_reference_never_changes_its_inputs(qualified):
    kind, name = split(qualified)
    updated = contract_of(name, kind).notes.get("updates")  # the argument the notebook's function updates: its output
    position = list(contract_of(name, kind).inputs).index(updated) if updated else None
    for case in cases_for(name, kind=kind):
        args = case.fresh_args()
        before = copy.deepcopy(args)
        reference_of(name, kind)(*args)
        keep = [i for i in range(len(args)) if i != position]
        assert same(tuple(args[i] for i in keep), tuple(before[i] for i in keep)), case.label
        if updated:
            assert not same(args, before), case.label  # meta: it is updated


def test_initialize_parameters_deep_has_the_course_shapes_zero_biases_and_leaves_the_global_seed_alone():
    np.random.seed(123)
    expected_next = np.random.rand()
    np.random.seed(123)
    params = reference.initialize_parameters_deep([5, 4, 3, 1])
    assert np.random.rand() == expected_next
    assert {k: v.shape for k, v in params.items()} == {"W1": (4, 5), "b1": (4, 1), "W2": (3, 4), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
    assert not any(np.any(params[f"b{l}"]) for l in (1, 2, 3))
    np.random.seed(3)  # the course's numbers: seed 3, randn, divided by sqrt(n[l-1])
    assert np.allclose(params["W1"], np.random.randn(4, 5) / np.sqrt(5))


def test_L_model_forward_returns_the_course_caches():
    case = cases_for("L_model_forward")[0]
    X, params = case.fresh_args()
    AL, caches = reference.L_model_forward(X, params)
    assert len(caches) == 3
    (A_prev, W, b), Z = caches[0]
    assert A_prev is X and W is params["W1"] and b is params["b1"] and Z.shape == (4, 6)
    assert AL.shape == (1, 6)


def test_compute_cost_is_a_0d_float64_like_the_courses_squeeze():
    cost = reference.of("compute_cost", "dnn")(np.array([[0.8, 0.1]]), np.array([[1.0, 0.0]]))
    assert cost.shape == () and cost.dtype == np.float64
    assert np.isclose(cost, -(np.log(0.8) + np.log(0.9)) / 2)


LAYOUTS = {
    "course": lambda A, W, b, Z: ((A, W, b), Z),
    "flat": lambda A, W, b, Z: (A, W, b, Z),
    "dict": lambda A, W, b, Z: {"linear": {"A_prev": A, "W": W, "b": b}, "Z": Z},
    "named": lambda A, W, b, Z: {"linear_cache": (A, W, b), "activation_cache": Z},
    "flat dict": lambda A, W, b, Z: {"A_prev": A, "W": W, "b": b, "Z": Z},
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_linear_activation_backward_reads_the_cache_layouts_students_use(layout):
    # so the reference can stand in for a student's callee inside the student's own function
    for case in cases_for("linear_activation_backward"):
        dA, ((A, W, b), Z), activation = case.fresh_args()
        expected = reference.linear_activation_backward(dA, ((A, W, b), Z), activation)
        assert same(reference.linear_activation_backward(dA, LAYOUTS[layout](A, W, b, Z), activation), expected)


def test_L_model_backward_equals_centered_differences_of_the_cost():
    for case in cases_for("L_model_backward")[:2]:
        X, params = case.forward_args
        numeric = dnn_numeric_grads(reference.L_model_forward, reference.of("compute_cost", "dnn"), X, case.args[1], params)
        grads = reference.L_model_backward(*case.fresh_args())
        assert max(difference(grads[k], numeric[k]) for k in numeric) < 1e-6, case.label


@pytest.mark.parametrize("forward, backward", [("rnn_forward", "rnn_backward"), ("lstm_forward", "lstm_backward")])
def test_through_time_backward_equals_centered_differences(forward, backward):
    case = cases_for(backward)[1]
    x, a0, params = case.forward_args
    numeric = rnn_numeric_grads(reference.FUNCTIONS[forward], x, a0, params, case.args[0])
    grads = reference.FUNCTIONS[backward](*case.fresh_args())
    assert sorted(numeric) == sorted(grads)
    assert max(difference(grads[k], numeric[k]) for k in numeric) < 1e-6


def test_recurrent_outputs_are_writeable_so_student_code_may_accumulate_into_them():
    case = cases_for("lstm_backward")[0]
    grads = reference.lstm_backward(*case.fresh_args())
    grads["dWf"] += 1.0  # a student's dWf = gradients["dWf"]; dWf += ... must not raise
    a, y, c, (steps, x) = reference.lstm_forward(*cases_for("lstm_forward")[0].fresh_args())
    a[0, 0, 0] = 1.0
    steps[0][0][0, 0] = 1.0


def test_update_parameters_returns_a_new_dict_and_keeps_the_given_one():
    case = cases_for("update_parameters", kind="dnn")[0]
    params, grads, rate = case.fresh_args()
    before = copy.deepcopy(params)
    new = reference.of("update_parameters", "dnn")(params, grads, rate)
    assert same(params, before)
    assert np.allclose(new["W2"], before["W2"] - rate * grads["dW2"])
