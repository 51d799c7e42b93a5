"""Every hint rule: its evidence makes it fire and be chosen, and nothing fires on right answers."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shapecheck.diagnosis import hints, mutants
from shapecheck.diagnosis.cases import Case, cases_for, reference_result
from shapecheck.diagnosis.compare import _Comparison, _same, compare, compare_updated, tensors_of
from shapecheck.diagnosis.contract import contract_of
from contracts_by_kind import EVERY, default_kind, reference_of, split
from shapecheck.core.messages import catalogue


def evidence_for(function, tensor, transform, k=0, kind=None):
    """The evidence compare would gather for one tensor of the reference's output, transformed (``kind``: the
    assignment, for a name several grade; else the deep network's or the one assignment's)."""
    case = cases_for(function, kind=kind or default_kind(function))[k]
    right = reference_result(case)
    comparison = _Comparison(contract_of(function, case.kind), case, right, None)
    student = copy.deepcopy(right)
    tensors = tensors_of(contract_of(function, case.kind), student)
    tensors[tensor] = transform(tensors[tensor], tensors, comparison.reference_tensors, case)
    comparison.student_tensors = tensors
    return comparison.evidence(tensor, tensors[tensor], comparison.reference_tensors[tensor])


def softmax_rows(y, *_):
    e = np.exp(y)
    return e / e.sum(axis=1, keepdims=True)


# (rule id, function, tensor, how the student's value is made from the right one, case index)
RELATION_EXAMPLES = [
    ("not_finite", "linear_forward", "Z", lambda v, *_: np.where(v > 0, np.nan, v), 0),
    ("zero_init", "initialize_parameters_deep", "W2", lambda v, *_: np.zeros_like(v), 0),
    ("nonzero_bias", "initialize_parameters_deep", "b1", lambda v, *_: v + 0.3, 0),
    ("missing_keepdims", "linear_backward", "db", lambda v, *_: v.ravel(), 0),
    ("missing_keepdims", "rnn_cell_backward", "dba", lambda v, *_: v.ravel(), 0),
    ("rank_1_array", "initialize_parameters_deep", "b2", lambda v, *_: v.ravel(), 0),
    ("rank_1_array", "L_model_forward", "AL", lambda v, *_: v.ravel(), 0),
    ("missing_squeeze", "compute_cost", "cost", lambda v, *_: np.reshape(v, (1, 1)), 0),
    ("silent_broadcast", "L_model_forward", "AL", lambda v, *_: v * v.T, 0),
    ("wrong_axis", "linear_backward", "db", lambda v, t, r, case: np.ones((1, case.sizes["m"])), 0),
    ("wrong_axis", "compute_cost", "cost", lambda v, t, r, case: np.ones(case.sizes["m"]), 0),
    ("off_by_one_layer", "L_model_backward", "dW2", lambda v, t, r, case: r["dW1"], 0),
    ("wrong_variable", "lstm_cell_forward", "c_next", lambda v, t, r, case: r["a_next"], 0),  # another output's value
    ("wrong_formula", "initialize_velocity", "dW2", lambda v, *_: np.ones_like(v), 0),  # np.ones for np.zeros
    ("wrong_axis", "propagate", "grads[db]", lambda v, *_: np.reshape(v, (1,)), 0),  # a sum over axis=1 of a (1, m) row
    ("off_by_one_layer", "L_model_backward", "db3", lambda v, t, r, case: r["db2"], 0),
    ("transposed", "linear_backward", "dW", lambda v, *_: v.T, 0),
    ("transposed", "initialize_parameters_deep", "W1", lambda v, *_: v.T, 0),
    ("softmax_axis", "rnn_cell_forward", "yt_pred", softmax_rows, 0),
    ("softmax_axis", "lstm_forward", "y", lambda v, *_: v / v.sum(axis=2, keepdims=True), 0),
    ("softmax_axis", "rnn_cell_forward", "yt_pred", lambda v, *_: np.exp(v) / np.exp(v).sum(), 0),  # a sum with no axis
    ("init_scale", "initialize_parameters_deep", "W1", lambda v, *_: v * np.sqrt(v.shape[1]), 0),  # randn, unscaled
    ("missing_1_over_m", "linear_backward", "dW", lambda v, t, r, case: v * case.sizes["m"], 0),
    ("missing_1_over_m", "compute_cost", "cost", lambda v, t, r, case: v * case.sizes["m"], 0),
    ("extra_1_over_m", "linear_backward", "dA_prev", lambda v, t, r, case: v / case.sizes["m"], 0),
    ("extra_1_over_m", "rnn_cell_backward", "dWaa", lambda v, t, r, case: v / case.sizes["m"], 0),
    ("wrong_sign", "compute_cost", "cost", lambda v, *_: -v, 0),
    ("wrong_sign", "lstm_cell_backward", "dWo", lambda v, *_: -v, 0),
    ("not_updated", "update_parameters", "W2", lambda v, t, r, case: case.args[0]["W2"], 0),
    ("all_zero", "rnn_backward", "dx", lambda v, *_: np.zeros_like(v), 0),
    ("constant_factor", "linear_backward", "dW", lambda v, *_: v * 2.5, 0),
    ("update_with_wrong_gradient", "update_parameters", "W2",  # W -= α·db, the column broadcast over W
     lambda v, t, r, case: case.args[0]["W2"] - case.args[2] * case.args[1]["db2"], 0),
    ("wrong_variable", "update_parameters", "W1",  # the course's update reading dW1 where W1 belongs
     lambda v, t, r, case: case.args[1]["dW1"] - case.args[2] * case.args[1]["dW1"], 0),
]


@pytest.mark.parametrize("rule_id, function, tensor, transform, k", RELATION_EXAMPLES,
                         ids=[f"{r}-{f}-{t}" for r, f, t, _, _ in RELATION_EXAMPLES])
def test_each_relation_fires_on_its_evidence_and_is_the_one_chosen(rule_id, function, tensor, transform, k):
    evidence = evidence_for(function, tensor, transform, k)
    assert hints.choose(evidence).id == rule_id
    others = {rule.id for rule in hints.fired(evidence) if rule.mutant is None} - {rule_id}
    assert others <= {"all_zero"}, others  # a zero tensor is all zero whatever else it is


def test_every_relation_has_an_example_and_every_rule_a_message():
    examples = {(rule_id, function) for rule_id, function, *_ in RELATION_EXAMPLES}
    for rule in hints.RELATIONS + hints.LATE_RELATIONS:
        assert any(rule_id == rule.id and rule.applies_to(function) for rule_id, function in examples), rule.message_id
    messages = catalogue()
    for rule in hints.RULES + (hints.GENERIC_SHAPE, hints.GENERIC_VALUES):
        assert rule.message_id in messages, rule.message_id


@pytest.mark.parametrize("qualified", EVERY)
def test_no_rule_fires_on_the_right_answer(qualified):
    kind, name = split(qualified)
    for case in cases_for(name, kind=kind):
        right = reference_result(case)
        comparison = _Comparison(contract_of(name, kind), case, right, None)
        comparison.student_tensors = tensors_of(contract_of(name, kind), copy.deepcopy(right))
        for tensor, value in comparison.student_tensors.items():
            assert hints.fired(comparison.evidence(tensor, value, comparison.reference_tensors[tensor])) == [], (case.label, tensor)


# --- mutants: each mistake, applied, is recognised by its own rule ---

# relations that are simply also true of a mutant's output (the mutant's rule is still the one chosen)
ALSO_TRUE = {
    "skip_last_layer": {"not_updated"},  # the last layer IS returned as it was given
    "skip_first_layer": {"not_updated"},
    "cost_sum_axis0": {"missing_squeeze"},  # with m = 1 its (1,) is also an unsqueezed cost
    "db_wrong_axis_rank1": {"missing_keepdims"},  # with n[l] = 1 its (m,) ... is the keepdims mistake's (1,)
    "lr_b_with_dw": {"missing_squeeze"},  # with n_x = 1, b becomes dw's (1, 1): also a number left unsqueezed
    "lr_sigmoid_sign": {"wrong_variable"},
    "dA_prev_1_over_m": {"missing_1_over_m"},
    "gc_planted": {"missing_1_over_m"},  # on a case with m = 2 the planted 2·dW2 is also m times dW2
    "gc_planted_dW2": {"missing_1_over_m"},  # the layers below get dW/m: a mean divided by m twice, which the mutant explains  # σ(−z) = 1 − σ(z): the cost is then the one with its logs swapped
}
CASES = [(mistake.name, function) for mistake in mutants.MISTAKES for function in mutants.affected(mistake)]


@pytest.mark.parametrize("mistake, function", CASES, ids=[f"{m}-{f}" for m, f in CASES])
def test_each_mutant_is_recognised_by_its_own_rule(mistake, function):
    hint = mutants.BY_NAME[mistake].hint
    kind = mutants.KIND_OF[mistake]
    contract = contract_of(function, kind)
    shown = 0
    for case in cases_for(function, kind=kind):
        right = reference_result(case)
        mutant_args = case.fresh_args()
        if case.global_seed is not None:  # as the worker seeds numpy's stream before the student's call
            np.random.seed(case.global_seed)
        try:
            output = mutants.mutants_for(function, kind, stand_ins=case.stand_ins)[mistake](*mutant_args)
        except Exception:  # noqa: BLE001 - on these sizes the mistake raises (numpy names it; see exception_hint)
            continue
        all_results = mutants.run_mutants(function, case.fresh_args(), kind, stand_ins=case.stand_ins)
        twins = {name for name, result in all_results.items() if name != mistake and _same_result(contract, result, output)}
        twin_hints = {mutants.BY_NAME[name].hint for name in twins}
        problems = compare(function, case, output, right)
        updated = contract.notes.get("updates")  # an argument updated in place is an output too (Dinosaurus' optimize)
        if updated:
            position, reference_args = list(contract.inputs).index(updated), case.fresh_args()
            reference_of(function, kind)(*reference_args)
            problems += compare_updated(function, case, updated, mutant_args[position], reference_args[position])
        if not problems:
            assert _same_result(contract, output, right, extra_ok=True), case.label  # only when the mistake changes nothing here
            continue
        shown += 1
        # a mistake that makes the numbers overflow on this case is first of all that: not finite
        blew_up = {"not_finite"} if _not_finite(tensors_of(contract, output)) else set()
        for problem in problems:
            assert problem.hint_id in {hint} | twin_hints | STRUCTURAL.get(mistake, set()) | blew_up, (case.label, problem.tensor, problem.hint_id)
        comparison = _Comparison(contract, case, right, None)
        comparison.student_tensors = tensors_of(contract, output)
        for tensor, value in comparison.student_tensors.items():
            if tensor not in comparison.reference_tensors:  # an extra entry (rnn_backward's da_next) harms nothing
                continue
            reference = comparison.reference_tensors[tensor]
            if _same(value, reference):
                continue
            evidence = comparison.evidence(tensor, value, reference)
            fired = {rule.id for rule in hints.fired(evidence) if rule.strength != "weak"}
            coincident = {mutants.BY_NAME[name].hint for name, v in evidence.mutants.items() if v is not None and _same(v, value)}
            assert fired - {hint} <= coincident | ALSO_TRUE.get(mistake, set()) | blew_up, (case.label, tensor, fired)
    if function in mutants.BY_NAME[mistake].where:
        assert shown, "no case shows this mistake: the cases hide it"


STRUCTURAL = {
    "skip_last_layer": {"caches_length"},  # one cache fewer is part of leaving a layer out
    "init_skip_last_layer": {"wrong_keys"},  # a one-layer net without its last layer has no keys at all
    "app_two_layer_initializer": {"off_by_one_layer"},  # the two-layer initializer leaves a deeper net's middle layers out
    "dinos_clip_result_discarded": {"clip_missing"},  # in optimize, a clip that clips nothing is no clip at all
}


def _not_finite(tensors: dict) -> bool:
    arrays = [np.asarray(v) for v in tensors.values()]
    return any(a.dtype.kind in "fc" and not np.all(np.isfinite(a)) for a in arrays)


def _same_result(contract, a, b, extra_ok: bool = False) -> bool:
    """``extra_ok``: entries of ``a`` that ``b`` lacks do not count (rnn_backward's da_next, returned unclipped)."""
    ta, tb = tensors_of(contract, a), tensors_of(contract, b)
    keys_ok = ta.keys() >= tb.keys() if extra_ok else ta.keys() == tb.keys()
    return keys_ok and all(_same(ta[k], tb[k]) for k in tb)


def test_a_mistake_in_the_functions_own_code_outranks_the_same_output_from_a_callee():
    # lstm_forward resetting c to zeros gives exactly what a cell without Γf ∗ c_prev gives
    case = cases_for("lstm_forward")[0]
    output = mutants.mutants_for("lstm_forward")["cell_state_reset"](*case.fresh_args())
    problems = compare("lstm_forward", case, output, reference_result(case))
    assert {p.hint_id for p in problems} == {"state_not_carried"}
    cell_case = cases_for("lstm_cell_forward")[0]
    output = mutants.mutants_for("lstm_cell_forward")["no_forget_term"](*cell_case.fresh_args())
    assert {p.hint_id for p in compare("lstm_cell_forward", cell_case, output, reference_result(cell_case))} == {"missing_term"}


def test_the_widely_copied_lstm_backward_is_no_state_backprop():
    case = cases_for("lstm_backward")[0]
    output = mutants.mutants_for("lstm_backward")["no_state_backprop"](*case.fresh_args())
    problems = compare("lstm_backward", case, output, reference_result(case))
    assert problems and {p.hint_id for p in problems} == {"no_state_backprop"}
    assert "da_prev" in problems[0].hint


def test_with_nothing_to_go_on_the_hint_still_says_where():
    evidence = evidence_for("linear_forward", "Z", lambda v, *_: v + np.arange(v.size).reshape(v.shape) ** 2, 0)
    hint = hints.explain(evidence)
    assert hint.id == "values_differ" and "[2, 3]" in hint.text  # the largest error is the last entry


# --- relations hold for all sizes ---

@st.composite
def column_case(draw):
    """An (n, k) gradient and its m, shrinking towards the smallest non-square one."""
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 6).filter(lambda k: k != n))
    m = draw(st.integers(2, 9))
    seed = draw(st.integers(0, 2**16))
    values = np.random.default_rng(seed).standard_normal((n, k)) + 3.0  # away from 0: ratios are defined
    return n, k, m, values


def evidence_of(tensor, student, right, m):
    return hints.Evidence("linear_backward", tensor, student, right, Case("linear_backward", (), "drawn", {"m": m}),
                          reference_tensors={tensor: right})


@settings(max_examples=40, deadline=None)
@given(column_case())
def test_relations_are_recognised_for_every_size(drawn):
    n, k, m, right = drawn
    assert hints.choose(evidence_of("dW", right * m, right, m)).id == "missing_1_over_m"
    assert hints.choose(evidence_of("dW", right / m, right, m)).id == "extra_1_over_m"
    assert hints.choose(evidence_of("dW", -right, right, m)).id == "wrong_sign"
    assert hints.choose(evidence_of("dW", right.T, right, m)).id == "transposed"
    column = right[:, :1]
    assert hints.choose(evidence_of("db", column.ravel(), column, m)).id == "missing_keepdims"
    assert hints.fired(evidence_of("dW", right.copy(), right, m)) == []


def test_the_recurrent_network_has_no_1_over_m_to_forget():
    evidence = evidence_for("rnn_cell_backward", "dWax", lambda v, t, r, case: v / case.sizes["m"], 0)
    assert hints.explain(evidence).text.startswith("dWax is exactly 1/m") and "no 1/m" in hints.explain(evidence).text


def test_a_factor_is_called_a_missing_1_over_m_only_when_it_is_this_cases_m():
    right = np.arange(1.0, 7.0).reshape(2, 3)
    assert hints.choose(evidence_of("dW", right * 4, right, 4)).id == "missing_1_over_m"
    assert hints.choose(evidence_of("dW", right * 4, right, 3)).id == "constant_factor"


# --- exceptions ---

EXCEPTIONS = [
    ("transposed", "linear_forward", "ValueError", "shapes (5,3) and (5,4) not aligned: 3 (dim 1) != 5 (dim 0)"),
    ("elementwise_instead_of_dot", "linear_forward", "ValueError", "operands could not be broadcast together with shapes (3,5) (5,4) "),
    ("off_by_one_layer", "L_model_forward", "KeyError", "'W0'"),
    ("off_by_one_layer", "L_model_forward", "KeyError", "'b4'"),
    ("off_by_one_cache", "L_model_backward", "IndexError", "boolean index did not match indexed array along axis 0; size of axis is 3 but size of corresponding boolean axis is 1"),
    ("wrong_slice", "lstm_cell_backward", "ValueError", "operands could not be broadcast together with shapes (5,4) (3,4) "),
    ("undefined_name", "L_model_forward", "NameError", "name 'layers_dims' is not defined"),
    ("unfinished_template", "linear_backward", "TypeError", "unsupported operand type(s) for *: 'float' and 'NoneType'"),
    ("transposed", "linear_backward", "ValueError", "shapes (3,4) and (5,4) not aligned: 4 (dim 1) != 5 (dim 0)"),
    ("transposed", "linear_forward", "ValueError", "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 5 is different from 3)"),
    ("off_by_one_layer", "L_model_forward", "ValueError", "shapes (3,4) and (3,6) not aligned: 4 (dim 1) != 3 (dim 0)"),
    ("wrong_time_axis", "rnn_forward", "ValueError", "operands could not be broadcast together with shapes (5,6) (5,4) "),
    ("exception", "linear_activation_backward", "ValueError", "not enough values to unpack (expected 3, got 2)"),
    ("exception", "rnn_forward", "KeyError", "'Wy'"),
    ("exception", "linear_activation_forward", "UnboundLocalError", "cannot access local variable 'A' where it is not associated with a value"),
    ("tuple_not_unpacked", "linear_activation_backward", "TypeError", "unsupported operand type(s) for -: 'int' and 'tuple'"),
    ("wrong_allocation", "rnn_forward", "ValueError", "could not broadcast input array from shape (2,4) into shape (5,4)"),
]


def test_a_wrong_allocation_is_named_in_the_course_symbols():
    _, text = hints.exception_hint("rnn_forward", "ValueError", "could not broadcast input array from shape (2,4) into shape (5,4)",
                                   cases_for("rnn_forward")[0])
    assert "(n_y, m)" in text and "(n_a, m)" in text


def test_the_init_scale_is_read_only_from_a_seeded_randn_draw_and_the_course_scales_pass():
    dims = [5, 4, 3, 1]
    raw = np.random.RandomState(3).randn(4, 5)
    assert np.isclose(hints.init_scale(dims, "W1", raw * 0.01), 0.01)
    assert hints.init_scale(dims, "W1", np.random.default_rng(0).standard_normal((4, 5))) is None  # another generator: unknown
    case = cases_for("initialize_parameters_deep")[0]
    for W, flagged in ((raw * 0.01, False), (raw / np.sqrt(5), False), (raw * np.sqrt(2 / 5), False), (raw, True), (raw * 10, True)):
        evidence = hints.Evidence("initialize_parameters_deep", "W1", W, raw / np.sqrt(5), case)
        assert (hints.choose(evidence).id == "init_scale") is flagged


@pytest.mark.parametrize("hint_id, function, exc_type, message", EXCEPTIONS, ids=[e[0] + "-" + e[2] for e in EXCEPTIONS])
def test_exceptions_are_read_in_the_cases_sizes(hint_id, function, exc_type, message):
    found = hints.exception_hint(function, exc_type, message, cases_for(function)[0])
    assert found is not None and found[0] == hint_id
    assert found[1]


def test_an_exception_that_says_nothing_recognisable_gets_no_hint():
    assert hints.exception_hint("linear_forward", "ZeroDivisionError", "division by zero", cases_for("linear_forward")[0]) is None
    # a broadcast of shapes that are not two factors of a product is not called elementwise
    assert hints.exception_hint("linear_forward", "ValueError", "operands could not be broadcast together with shapes (3,4) (2,4) ",
                                cases_for("linear_forward")[0]) is None


def test_every_rule_message_is_filled_by_the_evidence_fields_alone():
    evidence = evidence_for("linear_backward", "dW", lambda v, *_: v * 2.5, 0)
    fields = hints.fields(evidence)
    for rule in hints.RULES + (hints.GENERIC_SHAPE, hints.GENERIC_VALUES):
        declared = {name: "x" for name in rule.extra}  # what the rule's detector returns, and says it does
        text = catalogue()[rule.message_id].format_map({**fields, **declared})  # a placeholder missing raises KeyError
        assert "{" not in text, rule.message_id


def test_a_cost_missing_its_1_over_m_is_told_the_cost_formula_and_a_gradient_the_gradient_formulas():
    times_m = lambda v, t, r, case: v * case.sizes["m"]  # noqa: E731
    assert hints.choose(evidence_for("compute_cost", "cost", times_m)).message_id == "hints.missing_1_over_m_cost"
    assert hints.choose(evidence_for("linear_backward", "dW", times_m)).message_id == "hints.missing_1_over_m"


def test_a_key_one_layer_past_the_last_in_L_model_forward_names_both_causes():
    """parameters['W' + str(L + 1)] asked for by L_model_forward comes from L = len(parameters) (no // 2) as often as
    from a loop one step too long: the sentence names both, and a key 'W0' keeps the off-by-one sentence."""
    from pathlib import Path

    import shapecheck as sc

    gallery = Path(__file__).parent / "gallery" / "dnn"
    hints_of = {}
    for name in ("L_model_forward_L_counts_keys.py", "L_model_forward_range_from_zero.py"):
        report = sc.diagnose(str(gallery / name)).to_json()
        function = next(f for f in report["functions"] if f["name"] == "L_model_forward")
        hints_of[name] = [(p["hint_id"], p["hint"]) for p in function["problems"]]
    (hint_id, sentence), = hints_of["L_model_forward_L_counts_keys.py"]
    assert hint_id == "off_by_one_layer" and "len(parameters) // 2" in sentence and "'W4'" in sentence
    (hint_id, sentence), = hints_of["L_model_forward_range_from_zero.py"]
    assert hint_id == "off_by_one_layer" and "len(parameters)" not in sentence and "'W0'" in sentence
