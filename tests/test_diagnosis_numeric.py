"""Centered differences of a student's own forward, and the gradient problems they reveal."""

import numpy as np
import pytest

from shapecheck.diagnosis import mutants, reference
from shapecheck.diagnosis.cases import cases_for
from shapecheck.diagnosis.numeric import difference, dnn_numeric_grads, gradient_problems, rnn_numeric_grads


def dense_case(k=0):
    case = cases_for("L_model_backward")[k]
    X, params = case.forward_args
    return case, X, case.args[1], params


def test_a_right_backward_has_no_gradient_problem():
    for k in range(3):
        case, X, Y, params = dense_case(k)
        numeric = dnn_numeric_grads(reference.L_model_forward, reference.of("compute_cost", "dnn"), X, Y, params)
        assert sorted(numeric) == sorted(f"d{p}{l}" for l in range(1, case.sizes["L"] + 1) for p in "Wb")
        assert gradient_problems(reference.L_model_backward(*case.fresh_args()), numeric, m=case.sizes["m"]) == []


def test_a_wrong_derivative_is_named_tensor_by_tensor_with_the_courses_measure():
    case, X, Y, params = dense_case()
    numeric = dnn_numeric_grads(reference.L_model_forward, reference.of("compute_cost", "dnn"), X, Y, params)
    wrong = mutants.mutants_for("L_model_backward")["relu_gets_sigmoid_derivative"](*case.fresh_args())
    problems = gradient_problems(wrong, numeric, m=6)
    assert [p.tensor for p in problems] == ["dW1", "db1", "dW2", "db2"]  # layer 3 is the sigmoid layer: right
    assert all(p.kind == "gradient" and p.hint_id == "gradient_mismatch" for p in problems)
    assert "difference" in problems[0].message and "[[" not in problems[0].message


def test_a_gradient_m_times_too_large_gets_the_missing_1_over_m_hint():
    case, X, Y, params = dense_case()
    numeric = dnn_numeric_grads(reference.L_model_forward, reference.of("compute_cost", "dnn"), X, Y, params)
    grads = reference.L_model_backward(*case.fresh_args())
    grads["dW2"] = grads["dW2"] * 6
    [problem] = gradient_problems(grads, numeric)  # m = 6 is read off dA0
    assert (problem.tensor, problem.hint_id) == ("dW2", "missing_1_over_m")


def test_the_gradient_follows_the_students_own_cost():
    # a cost without 1/m makes the true gradient m times larger: the backward is judged against it
    case, X, Y, params = dense_case()
    m = X.shape[1]
    numeric = dnn_numeric_grads(reference.L_model_forward, lambda AL, Y: m * reference.of("compute_cost", "dnn")(AL, Y), X, Y, params)
    grads = reference.L_model_backward(*case.fresh_args())
    assert all(np.allclose(numeric[k], m * grads[k], rtol=1e-5, atol=1e-8) for k in numeric)


def test_a_forward_that_writes_into_its_inputs_cannot_spoil_the_differences():
    case, X, Y, params = dense_case()

    def vandal(X, parameters):
        AL, caches = reference.L_model_forward(X, parameters)
        for value in parameters.values():
            value *= 0.0  # after use: the next evaluation must still see the right parameters
        X *= 0.0
        return AL, caches

    numeric = dnn_numeric_grads(vandal, reference.of("compute_cost", "dnn"), X, Y, params)
    assert gradient_problems(reference.L_model_backward(*case.fresh_args()), numeric) == []
    assert np.any(params["W1"]) and np.any(X)


def test_a_cost_returned_as_a_1x1_array_still_counts_as_one_number():
    case, X, Y, params = dense_case(1)
    numeric = dnn_numeric_grads(reference.L_model_forward, lambda AL, Y: np.reshape(reference.of("compute_cost", "dnn")(AL, Y), (1, 1)), X, Y, params)
    assert gradient_problems(reference.L_model_backward(*case.fresh_args()), numeric) == []


@pytest.mark.parametrize("forward, backward, keys", [
    ("rnn_forward", "rnn_backward", {"dx", "da0", "dWax", "dWaa", "dba"}),
    ("lstm_forward", "lstm_backward", {"dx", "da0"} | {f"d{p}{g}" for g in "fico" for p in "Wb"}),
])
def test_recurrent_gradients_are_those_of_J_equal_sum_of_a_times_da(forward, backward, keys):
    case = cases_for(backward)[2]
    x, a0, params = case.forward_args
    numeric = rnn_numeric_grads(reference.FUNCTIONS[forward], x, a0, params, case.args[0])
    assert set(numeric) == keys
    assert gradient_problems(reference.FUNCTIONS[backward](*case.fresh_args()), numeric) == []
    wrong = mutants.mutants_for(backward)["no_accumulation"](*case.fresh_args())
    flagged = {p.tensor for p in gradient_problems(wrong, numeric)}
    assert flagged and flagged <= keys - {"dx", "da0"}


def test_tensors_the_student_does_not_return_or_shapes_wrongly_are_left_to_compare():
    case, X, Y, params = dense_case()
    numeric = dnn_numeric_grads(reference.L_model_forward, reference.of("compute_cost", "dnn"), X, Y, params)
    grads = reference.L_model_backward(*case.fresh_args())
    del grads["dW1"]
    grads["db2"] = grads["db2"].ravel() * 100
    assert gradient_problems(grads, numeric) == []


def test_errors_within_rounding_are_not_reported():
    g = np.array([[1e-9, -2e-9]])
    assert gradient_problems({"dW1": g * 3}, {"dW1": g}) == []  # difference 0.5, but 4e-9 is rounding
    assert gradient_problems({"dW1": g * 3 + 1e-3}, {"dW1": g})  # meta: the same check does fail on a real error


def test_difference_is_the_courses_measure():
    assert difference(np.array([3.0, 4.0]), np.array([3.0, 4.0])) == 0.0
    assert difference(np.array([1.0, 0.0]), np.array([-1.0, 0.0])) == 1.0
    assert difference(np.zeros(2), np.zeros(2)) == 0.0


def test_the_workers_centered_differences_are_the_gradient_checks_own_numbers():
    """One loop (gradients/centered.py): the worker's numeric gradients, given as the analytic ones, agree
    with the black-box gradient check's centered differences to the last bit, and θ comes back unchanged."""
    from shapecheck.diagnosis.worker import centered_differences
    from shapecheck.gradients.gradcheck import EPS, gradcheck

    rng = np.random.default_rng(3)
    theta = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=(3, 1))}
    before = {k: v.copy() for k, v in theta.items()}

    def J(t):
        return float(np.sum(np.tanh(t["W"] @ np.ones((4, 2)) + t["b"]) ** 2))

    grads = centered_differences(J, theta, ["W", "b"], EPS)
    assert all(np.array_equal(theta[k], before[k]) for k in theta)
    report = gradcheck(J, theta, grads)
    assert [t.name for t in report.tensors] == ["db", "dW"]
    assert all(t.difference == 0.0 and t.max_abs_error == 0.0 for t in report.tensors)
