"""shapecheck.testing and strategies_course for the assignments beyond the deep network and the RNN: an
instructor's property tests pass the course's right answer and fail its classic mistakes, with the hint."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from shapecheck import strategies_course as scs
from shapecheck.diagnosis import mutants
from shapecheck.diagnosis.assignments import ASSIGNMENTS
from shapecheck.testing import assert_gradients_close, assert_matches_reference, assert_mini_batches

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def right(kind, name):
    return ASSIGNMENTS[kind].reference[name]


def mutant(kind, name, bug):
    return mutants.mutants_for(name, kind)[bug]


def fails(call, *words):
    with pytest.raises(AssertionError) as info:
        call()
    text = " ".join(str(info.value).split())
    assert all(w in text for w in words), text
    return text


@FAST
@given(scs.logreg_cases())
def test_propagate_is_property_tested_against_the_reference_on_drawn_inputs(case):
    args = (case.w, case.b, case.X, case.Y)
    assert_matches_reference("propagate", right("logreg", "propagate"), kind="logreg", args=args)
    if case.m > 1:
        fails(lambda: assert_matches_reference("propagate", mutant("logreg", "propagate", "lr_dw_no_1_over_m"), args=args),
              "propagate", "1/m")


@FAST
@given(scs.logreg_cases())
def test_logistic_regression_s_gradients_are_checked_with_b_a_number(case):
    J = lambda p: float(right("logreg", "propagate")(p["w"], p["b"], case.X, case.Y)[1])  # noqa: E731
    grads, _ = right("logreg", "propagate")(case.w, case.b, case.X, case.Y)
    assert_gradients_close(J, {"w": case.w, "b": np.array(case.b)}, {"dw": grads["dw"], "db": np.array(grads["db"])})
    fails(lambda: assert_gradients_close(J, {"w": case.w, "b": np.array(case.b)},
                                         {"dw": -grads["dw"], "db": np.array(grads["db"])}), "dw")
    if abs(grads["db"]) > 1e-3:  # a number's gradient is checked too (b is shape ())
        fails(lambda: assert_gradients_close(J, {"w": case.w, "b": np.array(case.b)},
                                             {"dw": grads["dw"], "db": np.array(-grads["db"])}), "db")


@FAST
@given(scs.regularization_cases())
def test_the_regularized_cost_and_its_backward_are_property_tested(case):
    forward = ASSIGNMENTS["regularization"].course.forward_propagation
    A3, cache = forward(case.X, case.parameters)
    cost_args = (A3, case.Y, case.parameters, case.lambd)
    assert_matches_reference("compute_cost_with_regularization", right("regularization", "compute_cost_with_regularization"), args=cost_args)
    fails(lambda: assert_matches_reference("compute_cost_with_regularization",
                                           mutant("regularization", "compute_cost_with_regularization", "reg_cost_lambda_over_m"),
                                           args=cost_args), "L2")
    backward_args = (case.X, case.Y, cache, case.lambd)
    assert_matches_reference("backward_propagation_with_regularization",
                             right("regularization", "backward_propagation_with_regularization"), args=backward_args)
    fails(lambda: assert_matches_reference("backward_propagation_with_regularization",
                                           mutant("regularization", "backward_propagation_with_regularization",
                                                  "reg_backward_lambda_over_2m"), args=backward_args), "λ/m")


@FAST
@given(scs.optimizer_cases())
def test_adam_and_momentum_are_property_tested(case):
    adam = (case.parameters, case.grads, case.v, case.s, case.t, case.learning_rate, case.beta1, case.beta2, case.epsilon)
    assert_matches_reference("update_parameters_with_adam", right("optimization", "update_parameters_with_adam"), args=adam)
    fails(lambda: assert_matches_reference("update_parameters_with_adam",
                                           mutant("optimization", "update_parameters_with_adam", "opt_adam_one_plus_beta"), args=adam),
          "1 − β₁ᵗ")
    momentum = (case.parameters, case.grads, case.v, case.beta1, case.learning_rate)
    assert_matches_reference("update_parameters_with_momentum", right("optimization", "update_parameters_with_momentum"), args=momentum)
    fails(lambda: assert_matches_reference("update_parameters_with_momentum",
                                           mutant("optimization", "update_parameters_with_momentum", "opt_momentum_no_one_minus_beta"),
                                           args=momentum), "(1 − β)")


@FAST
@given(scs.mini_batch_cases())
def test_mini_batches_partition_the_examples_whatever_the_shuffle(case):
    batches = right("optimization", "random_mini_batches")(case.X, case.Y, case.mini_batch_size, case.seed)
    assert_mini_batches(batches, case.X, case.Y, case.mini_batch_size)
    m = case.X.shape[1]
    if m % case.mini_batch_size:
        fails(lambda: assert_mini_batches(batches[:-1], case.X, case.Y, case.mini_batch_size), f"m = {m}", "last one")
    if m >= 2:
        swapped = [(bx, by[:, ::-1]) for bx, by in batches]
        if any(by.shape[1] > 1 for _, by in batches):
            fails(lambda: assert_mini_batches(swapped, case.X, case.Y, case.mini_batch_size), "same permutation")
    if m > case.mini_batch_size:
        first = batches[0]
        from_zero = [first] + [(first[0][:, :bx.shape[1]], first[1][:, :bx.shape[1]]) for bx, _ in batches[1:]]
        fails(lambda: assert_mini_batches(from_zero, case.X, case.Y, case.mini_batch_size), "more than one mini-batch")


def test_mini_batches_that_are_not_pairs_fail_with_one_sentence():
    X, Y = np.ones((2, 3)), np.ones((1, 3))
    fails(lambda: assert_mini_batches((X, Y), X, Y, 2), "list of (mini_batch_X, mini_batch_Y) pairs")


@FAST
@given(scs.gradcheck_cases())
def test_backward_propagation_n_is_checked_against_centered_differences_and_the_planted_mistakes_fail(case):
    course = ASSIGNMENTS["gradcheck"].course
    J = lambda p: float(course.forward_propagation_n(case.X, case.Y, p)[0])  # noqa: E731
    _, cache = course.forward_propagation_n(case.X, case.Y, case.parameters)
    grads = course.backward_propagation_n(case.X, case.Y, cache)
    assert_gradients_close(J, case.parameters, grads)
    for bug, planted in mutants.mutants_for("backward_propagation_n", "gradcheck").items():
        wrong = planted(case.X, case.Y, cache)
        if any(np.max(np.abs(wrong[k] - grads[k])) > 1e-6 * max(1.0, np.max(np.abs(grads[k]))) for k in grads if k[:2] in ("dW", "db")):
            fails(lambda: assert_gradients_close(J, case.parameters, wrong), "wrong")  # (a dead ReLU layer can hide one)


def test_the_strategies_refuse_bad_bounds_in_one_sentence():
    with pytest.raises(Exception, match="max_m = 0"):
        scs.logreg_cases(max_m=0)
    with pytest.raises(Exception, match="scale"):
        scs.regularization_cases(scale=-1)
