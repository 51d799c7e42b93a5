"""compare: a student's output against the reference's, every difference a Problem with a hint."""

import copy

import numpy as np
import pytest

from shapecheck.diagnosis import mutants
from shapecheck.diagnosis.cases import cases_for, reference_result
from shapecheck.diagnosis.compare import compare, symbolic
from shapecheck.diagnosis.contract import contract_of
from contracts_by_kind import EVERY, default_kind, split


def run(name, transform, k=0):
    """compare on case k with the reference's output transformed the way a student's would be."""
    case = cases_for(name, kind=default_kind(name))[k]
    right = reference_result(case)
    return compare(name, case, transform(copy.deepcopy(right)), right)


@pytest.mark.parametrize("qualified", EVERY)
def test_right_answers_give_no_problem(qualified):
    kind, name = split(qualified)
    for case in cases_for(name, kind=kind):
        right = reference_result(case)
        assert compare(name, case, mutants.course_given(name, case.stand_ins, kind)(*case.fresh_args()), right) == [], case.label


def test_none_is_a_missing_return():
    [problem] = run("linear_backward", lambda r: None)
    assert (problem.kind, problem.hint_id) == ("missing", "missing_return")
    assert "return (dA_prev, dW, db)" in problem.hint


def test_too_few_values_is_the_wrong_arity():
    [problem] = run("linear_backward", lambda r: r[:2])
    assert (problem.kind, problem.hint_id, problem.expected, problem.actual) == ("type", "wrong_arity", 3, 2)


def test_one_array_where_a_tuple_is_due_is_not_a_tuple():
    [problem] = run("linear_forward", lambda r: r[0])
    assert (problem.kind, problem.hint_id) == ("type", "not_a_tuple")


def test_right_values_in_another_order_are_named_in_both_orders():
    [problem] = run("linear_backward", lambda r: (r[1], r[0], r[2]))
    assert problem.hint_id == "wrong_tuple_order"
    assert "(dW, dA_prev, db)" in problem.message and "(dA_prev, dW, db)" in problem.message


def test_a_swap_next_to_an_opaque_cache_is_still_found():
    [problem] = run("rnn_cell_forward", lambda r: (r[1], r[0], r[2]))
    assert problem.hint_id == "wrong_tuple_order" and "(yt_pred, a_next, cache)" in problem.message


def test_missing_keys_are_named_and_extra_keys_alone_are_harmless():
    [problem] = run("lstm_backward", lambda r: {("da_prev" if k == "da0" else k): v for k, v in r.items()})
    assert (problem.kind, problem.hint_id) == ("missing", "wrong_grads_keys")
    assert "da0" in problem.message and "da_prev" in problem.hint
    assert run("L_model_backward", lambda r: {**r, "dA3": np.zeros((1, 6))}) == []


def test_the_older_editions_dA_keys_are_recognised():
    def older(grads):  # dA1..dAL holding dA0..dA{L-1}
        return {(f"dA{int(k[2:]) + 1}" if k.startswith("dA") else k): v for k, v in grads.items()}

    [problem] = run("L_model_backward", older)
    assert problem.hint_id == "old_edition_keys"


def test_keys_shifted_by_one_layer_in_parameters_are_off_by_one():
    [problem] = run("initialize_parameters_deep", lambda p: {k: v for k, v in p.items() if not k.endswith("3")})
    assert problem.hint_id == "off_by_one_layer" and "W3" in problem.message


def test_a_python_list_is_a_type_problem_and_its_values_still_count():
    problems = run("linear_forward", lambda r: (r[0].tolist(), r[1]))
    assert [(p.kind, p.hint_id) for p in problems] == [("type", "not_an_array")]
    problems = run("linear_forward", lambda r: ((r[0] * 2).tolist(), r[1]))
    assert [p.kind for p in problems] == ["type", "value"]


def test_an_integer_array_is_a_dtype_problem():
    problems = run("initialize_parameters_deep", lambda p: {k: (v.astype(int) if k.startswith("b") else v) for k, v in p.items()})
    assert {(p.kind, p.hint_id) for p in problems} == {("dtype", "wrong_dtype")} and len(problems) == 3


def test_float32_is_compared_by_value_not_flagged_for_its_dtype():
    assert run("initialize_parameters_deep", lambda p: {k: v.astype(np.float32) for k, v in p.items()}) == []
    problems = run("initialize_parameters_deep", lambda p: {k: (v.astype(np.float16) if k.startswith("b") else v) for k, v in p.items()})
    assert {(p.kind, p.hint_id) for p in problems} == {("dtype", "wrong_dtype")}


def test_an_unscaled_seeded_init_is_an_init_scale_problem():
    problems = run("initialize_parameters_deep", lambda p: {k: (v * np.sqrt(v.shape[1]) if k == "W1" else v) for k, v in p.items()})
    assert [(p.tensor, p.hint_id) for p in problems] == [("W1", "init_scale")]


def test_a_none_entry_is_an_unfinished_template():
    [problem] = run("linear_backward", lambda r: (r[0], r[1], None))
    assert (problem.kind, problem.tensor, problem.hint_id) == ("missing", "db", "unfinished_template")


@pytest.mark.parametrize("cost", [lambda c: float(c), lambda c: np.float64(c), lambda c: np.array(c)])
def test_a_cost_may_be_a_float_a_numpy_scalar_or_a_0d_array(cost):
    assert run("compute_cost", cost) == []


def test_a_1x1_cost_is_a_shape_problem_even_when_its_value_is_right():
    [problem] = run("compute_cost", lambda c: np.reshape(c, (1, 1)))
    assert (problem.kind, problem.hint_id, problem.expected, problem.actual) == ("shape", "missing_squeeze", (), (1, 1))
    problems = run("compute_cost", lambda c: np.reshape(c * 2, (1, 1)))
    assert [p.kind for p in problems] == ["shape", "value"]


def test_L_model_forward_must_return_one_cache_per_layer():
    [problem] = run("L_model_forward", lambda r: (r[0], r[1][:-1]))
    assert (problem.tensor, problem.hint_id, problem.expected, problem.actual) == ("caches", "caches_length", 3, 2)
    [problem] = run("L_model_forward", lambda r: (r[0], None))
    assert problem.hint_id == "caches_type"


def test_other_caches_are_the_students_business():
    assert run("linear_forward", lambda r: (r[0], "anything")) == []
    assert run("lstm_forward", lambda r: (*r[:3], {"my": "own format"})) == []


def test_a_value_problem_names_the_worst_entry_without_dumping_arrays():
    def nudge(r):
        dW = r[1].copy()
        dW[2, 1] += 0.5
        return r[0], dW, r[2]

    [problem] = run("linear_backward", nudge)
    assert (problem.kind, problem.tensor, problem.hint_id) == ("gradient", "dW", "values_differ")
    assert "0.5" in problem.message and "[2, 1]" in problem.message and "[[" not in problem.message
    assert "0.5" in problem.hint and "[2, 1]" in problem.hint


def test_forward_functions_have_value_problems_and_backward_ones_gradient_problems():
    assert run("linear_forward", lambda r: (r[0] + 1, r[1]))[0].kind == "value"
    assert run("rnn_cell_backward", lambda r: {**r, "dxt": r["dxt"] + 1})[0].kind == "gradient"


def test_a_shape_problem_states_the_symbolic_shape():
    [problem] = run("L_model_backward", lambda g: {**g, "dW2": g["dW2"].T})
    assert (problem.kind, problem.tensor, problem.hint_id) == ("shape", "dW2", "transposed")
    assert "(n[2], n[1])" in problem.message and problem.expected == (3, 4) and problem.actual == (4, 3)


def test_a_transposed_array_is_still_checked_for_its_values():
    problems = run("linear_backward", lambda r: (r[0], (r[1] * 4).T, r[2]))
    assert [(p.kind, p.hint_id) for p in problems] == [("shape", "transposed"), ("gradient", "missing_1_over_m")]


def test_initial_weights_are_random_so_only_their_shape_and_not_being_zero_count():
    rng = np.random.default_rng(0)
    assert run("initialize_parameters_deep", lambda p: {k: (rng.standard_normal(v.shape) * 0.01 if k.startswith("W") else v) for k, v in p.items()}) == []
    problems = run("initialize_parameters_deep", lambda p: {k: np.zeros_like(v) for k, v in p.items()})
    assert {p.hint_id for p in problems} == {"zero_init"} and len(problems) == 3
    problems = run("initialize_parameters_deep", lambda p: {k: (v + 0.1 if k.startswith("b") else v) for k, v in p.items()})
    assert {p.hint_id for p in problems} == {"nonzero_bias"}


def test_compare_changes_nothing_it_is_given():
    case = cases_for("L_model_backward")[0]
    right = reference_result(case)
    student = {k: v * 2 for k, v in right.items()}
    before_student, before_right, before_args = copy.deepcopy(student), copy.deepcopy(right), copy.deepcopy(case.args)
    assert compare("L_model_backward", case, student, right)
    assert all(np.array_equal(student[k], before_student[k]) and np.array_equal(right[k], before_right[k]) for k in right)
    assert all(np.array_equal(a, b) for a, b in zip(case.args[:2], before_args[:2]))


def test_given_mutant_results_are_used_instead_of_running_the_mutants():
    case = cases_for("linear_backward")[0]
    right = reference_result(case)
    odd = (right[0], right[1] * 7.5, right[2])
    assert compare("linear_backward", case, odd, right)[0].hint_id == "constant_factor"
    [problem] = compare("linear_backward", case, odd, right, mutant_results={"dA_prev_1_over_m": odd})
    assert problem.hint_id == "extra_1_over_m"  # whatever the given mutants say is the evidence


def test_symbolic_shapes_read_the_layer_index_off_the_key():
    contract = contract_of("L_model_backward")
    assert symbolic(contract, "dW3") == "(n[3], n[2])"
    assert symbolic(contract, "dA0") == "(n[0], m)"
    assert symbolic(contract_of("linear_backward"), "dW") == "(n[l], n[l-1])"
    assert symbolic(contract_of("lstm_backward"), "dWf") == "(n_a, n_a + n_x)"


def test_a_list_where_a_dict_is_due_says_which_keys_are_expected():
    [problem] = run("L_model_backward", lambda g: list(g.values()))
    assert (problem.kind, problem.hint_id) == ("type", "wrong_type") and "dW1" in problem.message


def test_an_array_where_an_array_is_due_but_a_string_came_back_is_a_type_problem():
    [problem] = run("linear_forward", lambda r: ("Z", r[1]))
    assert (problem.kind, problem.tensor, problem.hint_id) == ("type", "Z", "wrong_type")


def test_keys_that_are_simply_wrong_are_named():
    [problem] = run("initialize_parameters_deep", lambda p: {k.lower(): v for k, v in p.items()})
    assert problem.hint_id == "wrong_keys" and "W1" in problem.message and "w1" in problem.message
