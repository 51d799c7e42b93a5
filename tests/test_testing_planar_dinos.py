"""Strategies and testing helpers for planar data classification and Dinosaurus Island (issue 14, third stop):
an instructor's property tests pass the course's right answer and fail its classic mistakes, with the hint."""

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from shapecheck import strategies_course as scs
from shapecheck.diagnosis import mutants
from shapecheck.diagnosis.assignments import ASSIGNMENTS
from shapecheck.testing import assert_clipped, assert_gradients_close, assert_matches_reference, assert_sample

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def right(kind, name):
    return ASSIGNMENTS[kind].reference[name]


def course(kind):
    return ASSIGNMENTS[kind].course


def mutant(kind, name, bug):
    return mutants.mutants_for(name, kind)[bug]


def fails(call, *words):
    with pytest.raises(AssertionError) as info:
        call()
    text = " ".join(str(info.value).split())
    assert all(w in text for w in words), text
    return text


# --- planar ------------------------------------------------------------------------------------------

@FAST
@given(scs.planar_cases())
def test_planar_cases_are_the_one_hidden_layer_net_s_and_avoid_the_notebook_s_numbers(case):
    p = case.parameters
    assert (p["W1"].shape, p["b1"].shape, p["W2"].shape, p["b2"].shape) == ((case.n_h, case.n_x), (case.n_h, 1), (1, case.n_h), (1, 1))
    assert case.X.shape == (case.n_x, case.m) and case.Y.shape == (1, case.m) and set(np.unique(case.Y)) <= {0.0, 1.0}
    assert case.n_x != 2 and case.n_h != 4 and case.learning_rate != 1.2 and np.all(p["b1"] != 0)
    if case.m >= 2:
        assert set(np.unique(case.Y)) == {0.0, 1.0}


@FAST
@given(scs.planar_cases())
def test_the_planar_functions_are_property_tested_against_the_reference(case):
    A2, cache = right("planar", "forward_propagation")(case.X, case.parameters)
    assert_matches_reference("forward_propagation", right("planar", "forward_propagation"), kind="planar", args=(case.X, case.parameters))
    fails(lambda: assert_matches_reference("forward_propagation", mutant("planar", "forward_propagation", "planar_forward_sigmoid_hidden"),
                                           kind="planar", args=(case.X, case.parameters)), "forward_propagation")
    assert_matches_reference("compute_cost", right("planar", "compute_cost"), kind="planar", args=(A2, case.Y, case.parameters))
    backward = (case.parameters, cache, case.X, case.Y)
    assert_matches_reference("backward_propagation", right("planar", "backward_propagation"), kind="planar", args=backward)
    fails(lambda: assert_matches_reference("backward_propagation", mutant("planar", "backward_propagation", "planar_tanh_derivative_linear"),
                                           kind="planar", args=backward), "backward_propagation")
    grads = right("planar", "backward_propagation")(*backward)
    update = (case.parameters, grads, case.learning_rate)
    assert_matches_reference("update_parameters", right("planar", "update_parameters"), kind="planar", args=update)
    fails(lambda: assert_matches_reference("update_parameters", mutant("planar", "update_parameters", "planar_update_notebook_rate"),
                                           kind="planar", args=update), "update_parameters")


@FAST
@given(scs.planar_cases())
def test_planar_backward_is_checked_against_centered_differences(case):
    forward, cost = course("planar").forward_propagation, course("planar").compute_cost
    J = lambda p: float(cost(forward(case.X, p)[0], case.Y))  # noqa: E731
    _, cache = forward(case.X, case.parameters)
    grads = course("planar").backward_propagation(case.parameters, cache, case.X, case.Y)
    assert_gradients_close(J, case.parameters, grads)
    wrong = course("planar").backward_propagation(case.parameters, cache, case.X, case.Y, bug="planar_tanh_derivative_sigmoid")
    if np.max(np.abs(wrong["dW1"] - grads["dW1"])) > 1e-6 * max(1.0, np.max(np.abs(grads["dW1"]))):
        fails(lambda: assert_gradients_close(J, case.parameters, wrong), "dW1")


# --- Dinosaurus --------------------------------------------------------------------------------------

@FAST
@given(scs.char_rnn_cases())
def test_char_rnn_cases_feed_the_notebook_s_names_and_gradients_beyond_the_bound(case):
    vocab = len(scs.CHARACTERS)
    assert case.parameters["Wax"].shape == (case.n_a, vocab) and case.parameters["Wya"].shape == (vocab, case.n_a)
    assert case.X[0] is None and case.X[1:] == case.Y[:-1] and case.Y[-1] == case.char_to_ix["\n"]
    assert case.maxValue != 5 and case.learning_rate != 0.01 and case.a_prev.shape == (case.n_a, 1)
    assert {k: v.shape for k, v in case.gradients.items()} == {"d" + k: v.shape for k, v in case.parameters.items()}
    assert max(np.max(np.abs(g)) for g in case.gradients.values()) > case.maxValue


@FAST
@given(scs.char_rnn_cases())
def test_clip_is_property_tested_and_its_classic_mistakes_fail(case):
    assert_clipped(right("dinos", "clip")(copy.deepcopy(case.gradients), case.maxValue), case.gradients, case.maxValue)
    for bug, words in (("dinos_clip_result_discarded", "beyond ±maxValue"), ("dinos_clip_bounds_swapped", "entries inside the bound"),
                       ("dinos_clip_notebook_bound", "clip:")):
        wrong = mutant("dinos", "clip", bug)(copy.deepcopy(case.gradients), case.maxValue)
        fails(lambda: assert_clipped(wrong, case.gradients, case.maxValue), words)
    weights_only = mutant("dinos", "clip", "dinos_clip_weights_only")(copy.deepcopy(case.gradients), case.maxValue)
    if any(np.max(np.abs(case.gradients[k])) > case.maxValue for k in ("db", "dby")):
        fails(lambda: assert_clipped(weights_only, case.gradients, case.maxValue), "clip:")


@FAST
@given(scs.char_rnn_cases())
def test_sample_is_property_tested_whatever_the_seed_and_against_the_reference(case):
    indices = right("dinos", "sample")(case.parameters, case.char_to_ix, case.seed)
    assert_sample(indices, case.char_to_ix)
    assert_matches_reference("sample", right("dinos", "sample"), args=(case.parameters, case.char_to_ix, case.seed))
    no_newline = mutant("dinos", "sample", "dinos_sample_no_final_newline")(case.parameters, case.char_to_ix, case.seed)
    # At the cap the mutant stops after 50 draws without appending "\n": a sample then, unless the 50th
    # draw was itself "\n" (the notebook appends a second one, which assert_sample accepts; so is one).
    if no_newline != indices and no_newline[-1:] != [case.char_to_ix["\n"]]:
        fails(lambda: assert_sample(no_newline, case.char_to_ix), "newline")


@FAST
@given(scs.char_rnn_cases())
def test_optimize_is_property_tested_against_the_reference(case):
    args = (case.X, case.Y, case.a_prev, case.parameters, case.learning_rate)
    assert_matches_reference("optimize", right("dinos", "optimize"), kind="dinos", args=args)
    fails(lambda: assert_matches_reference("optimize", mutant("dinos", "optimize", "dinos_optimize_notebook_rate"), kind="dinos", args=args), "optimize")


@pytest.mark.parametrize("indices, words", [
    ([1, 2], "do not end with the newline"), ([1, 0, 2, 0], "before the end"), ([30, 0], "not a character"),
    ([1] * 51 + [0], "more than the notebook's cap of 50"), ("ab\n", "list of character indices"), ([1.0, 0], "list of character indices"),
])
def test_assert_sample_fails_with_one_sentence(indices, words):
    fails(lambda: assert_sample(indices, {ch: i for i, ch in enumerate(scs.CHARACTERS)}), words)


def test_assert_sample_accepts_the_newline_the_notebook_appends_after_a_drawn_one_at_the_cap():
    chars = {ch: i for i, ch in enumerate(scs.CHARACTERS)}
    assert_sample([1] * 49 + [0, 0], chars)  # the 50th draw was "\n", then counter == 50 appends another
    fails(lambda: assert_sample([1] * 48 + [0, 1, 0], chars), "before the end")


def test_assert_clipped_fails_on_a_missing_key_a_shape_and_a_non_dict():
    g = {k: np.array([[-7.0, 0.5, 9.0]]) for k in ("dWaa", "dWax", "dWya", "db", "dby")}
    good = {k: np.clip(v, -2, 2) for k, v in g.items()}
    assert_clipped(good, g, 2)
    fails(lambda: assert_clipped({k: v for k, v in good.items() if k != "dby"}, g, 2), "no dby")
    fails(lambda: assert_clipped({**good, "db": good["db"].T}, g, 2), "db is (3, 1)")
    fails(lambda: assert_clipped(list(good.values()), g, 2), "returned a list")


def test_the_new_strategies_refuse_bad_bounds_in_one_sentence():
    with pytest.raises(Exception, match="max_hidden = 0"):
        scs.planar_cases(max_hidden=0)
    with pytest.raises(Exception, match="max_length"):
        scs.char_rnn_cases(max_length=0)
