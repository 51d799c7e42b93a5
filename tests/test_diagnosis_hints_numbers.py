"""Hint rules that read the numbers for mistakes the generic hints used to cover: a mean over the examples
divided by m twice (or not at all) in every assignment whose cost is a mean; a parameter moved with another
gradient; an input read in place of another of the same shape."""

import copy

import numpy as np
import pytest

from shapecheck.diagnosis import hints
from shapecheck.diagnosis.cases import cases_for, reference_result
from shapecheck.diagnosis.compare import _Comparison, tensors_of
from shapecheck.diagnosis.contract import contract_of
from contracts_by_kind import of_kind, split

MEAN_KINDS = ("dnn", "logreg", "planar", "regularization", "gradcheck")
SUM_KINDS = ("rnn", "conv", "dinos")


def evidences(qualified, transform, pick):
    """(tensor, evidence) for every case of a function and every output ``pick(tensor)`` accepts, the student's
    value of that tensor being ``transform(right value, case)`` and the others right."""
    kind, name = split(qualified)
    contract = contract_of(name, kind)
    for case in cases_for(name, kind=kind):
        if case.sizes.get("m", 0) < 2:
            continue  # m = 1 hides every factor of m
        right = reference_result(case)
        comparison = _Comparison(contract, case, right, None)
        tensors = tensors_of(contract, copy.deepcopy(right))
        for tensor, value in list(tensors.items()):
            array = hints.as_array(value)
            if not pick(tensor) or array is None or not np.any(array) or not np.all(np.isfinite(array)):
                continue
            student = dict(tensors, **{tensor: transform(array, case)})
            comparison.student_tensors = student
            yield tensor, comparison.evidence(tensor, student[tensor], comparison.reference_tensors[tensor])


def averaged(tensor):
    return hints._AVERAGED.match(hints._bare(tensor)) is not None


def not_averaged(tensor):
    return hints._NOT_AVERAGED.match(hints._bare(tensor)) is not None


@pytest.mark.parametrize("qualified", of_kind(*MEAN_KINDS))
def test_a_mean_over_the_examples_divided_by_m_twice_is_named_and_the_sentence_says_twice(qualified):
    for tensor, evidence in evidences(qualified, lambda v, case: v / case.sizes["m"], averaged):
        hint = hints.explain(evidence)
        assert (hint.id, hint.rule.message_id) == ("missing_1_over_m", "hints.twice_1_over_m"), (qualified, tensor)
        assert "divided by m twice" in hint.text and f"1/{evidence.m}" in hint.text


@pytest.mark.parametrize("qualified", of_kind(*MEAN_KINDS))
def test_a_mean_over_the_examples_without_its_1_over_m_is_named_and_the_sentence_says_missing(qualified):
    for tensor, evidence in evidences(qualified, lambda v, case: v * case.sizes["m"], averaged):
        hint = hints.explain(evidence)
        assert hint.id == "missing_1_over_m", (qualified, tensor)
        assert "twice" not in hint.text and (f"m = {evidence.m}" in hint.text or "m times" in hint.text)


@pytest.mark.parametrize("qualified", of_kind(*MEAN_KINDS))
def test_dZ_dA_or_dA_prev_divided_by_m_is_a_1_over_m_they_must_not_carry(qualified):
    for tensor, evidence in evidences(qualified, lambda v, case: v / case.sizes["m"], not_averaged):
        assert hints.explain(evidence).id == "extra_1_over_m", (qualified, tensor)


@pytest.mark.parametrize("qualified", of_kind(*SUM_KINDS))
def test_plain_sums_over_the_examples_are_never_said_to_miss_their_1_over_m(qualified):
    """The recurrent, Dinosaurus and convolution gradients carry no 1/m: m times them is not a missing 1/m."""
    for tensor, evidence in evidences(qualified, lambda v, case: v * case.sizes["m"], lambda t: True):
        assert hints.explain(evidence).id != "missing_1_over_m", (qualified, tensor)


def test_the_mean_kinds_are_assignments_that_exist():
    """A renamed kind would silently switch its rule off (meta: the set is not empty of real kinds)."""
    from shapecheck.diagnosis.contract import KINDS

    assert hints._MEAN_KINDS <= set(KINDS) and set(MEAN_KINDS) == hints._MEAN_KINDS
    assert all(any(True for _ in evidences(q, lambda v, c: v, averaged)) for q in ("logreg.propagate", "planar.backward_propagation"))


# --- one variable read in place of another of its shape ---------------------------------------------------

from shapecheck.diagnosis import swaps  # noqa: E402

SWAPPED = ["planar.backward_propagation", "planar.forward_propagation", "gradcheck.backward_propagation_n",
           "gradcheck.forward_propagation_n", "rnn.rnn_cell_backward", "rnn.lstm_cell_forward", "dnn.linear_backward",
           "regularization.backward_propagation_with_regularization", "logreg.propagate"]


def whole_evidence(qualified, case, output):
    """The evidence of the first tensor where ``output`` (a whole result, as the student's) differs from the reference."""
    kind, name = split(qualified)
    contract = contract_of(name, kind)
    comparison = _Comparison(contract, case, reference_result(case), None)
    comparison.student_tensors = tensors_of(contract, output)
    for tensor, right in comparison.reference_tensors.items():
        if tensor in comparison.student_tensors and not hints.close(comparison.student_tensors[tensor], right):
            return comparison.evidence(tensor, comparison.student_tensors[tensor], right)
    return None


@pytest.mark.parametrize("qualified", SWAPPED)
def test_a_read_of_another_variable_of_the_same_shape_is_named_with_both_names(qualified):
    """Every one-read slip of the course's code that changes the output gets a specific hint; where no named mistake
    (or an exact relation: a sign, a transpose, a factor m) says it better, it is wrong_variable naming both."""
    kind, name = split(qualified)
    contract = contract_of(name, kind)
    named = 0
    for case in cases_for(name, kind=kind)[:2]:
        variants = swaps.occurrence_swaps(name, case.fresh_args(), tuple(contract.inputs), kind, case.stand_ins, case.global_seed)
        for used, meant, output in variants:
            evidence = whole_evidence(qualified, case, output)
            if evidence is None:
                continue  # this read changes nothing on this case
            hint = hints.explain(evidence)
            assert hint.id not in ("values_differ", "wrong_shape"), (case.label, used, meant)
            if hint.id == "wrong_variable" and hint.rule.message_id == "hints.operand_swapped":
                shown_used, shown_meant = evidence.swaps()[0]  # reads that give the same output are one finding
                assert f"reads {shown_used} where {shown_meant} belongs" in hint.text
                named += 1
    assert named, qualified


def test_the_one_read_slip_of_the_notebook_is_named_as_written():
    """planar's tanh derivative of Z1 where A1 belongs: the course's code reads A1 in two places (dW2, dZ1), so only a
    swap of that one read explains the output; swapping the input everywhere would not."""
    case = cases_for("backward_propagation", kind="planar")[0]
    inputs = tuple(contract_of("backward_propagation", "planar").inputs)
    found = {(used, meant): output for used, meant, output in swaps.occurrence_swaps("backward_propagation", case.fresh_args(), inputs, "planar")}
    evidence = whole_evidence("planar.backward_propagation", case, found[("cache['Z1']", "A1")])
    assert hints.explain(evidence).id == "wrong_variable"
    everywhere = {(u, m) for u, m, _ in swaps.operand_swaps("backward_propagation", case.fresh_args(), inputs, "planar")}
    assert ("cache['Z1']", "cache['A1']") in everywhere and evidence.swaps()[0] == ("cache['Z1']", "A1")


def test_an_output_no_swap_explains_gets_no_swap_hint():
    """Meta: the swap rules name nothing for a value that is merely wrong (a tensor off by noise)."""
    case = cases_for("backward_propagation", kind="planar")[0]
    right = reference_result(case)
    noisy = dict(right, dW1=right["dW1"] + 0.01 * np.arange(right["dW1"].size).reshape(right["dW1"].shape))
    evidence = whole_evidence("planar.backward_propagation", case, noisy)
    assert evidence.swaps() == () and hints.explain(evidence).id == "values_differ"


def test_swaps_leave_the_case_and_the_global_stream_as_they_were():
    case = cases_for("rnn_cell_backward", kind="rnn")[0]
    before = copy.deepcopy(case.args)
    np.random.seed(5)
    state = np.random.get_state()[1].copy()
    inputs = tuple(contract_of("rnn_cell_backward", "rnn").inputs)
    assert swaps.occurrence_swaps("rnn_cell_backward", case.args, inputs, "rnn") and swaps.operand_swaps("rnn_cell_backward", case.args, inputs, "rnn")
    assert np.array_equal(np.random.get_state()[1], state)
    assert all(np.array_equal(a, b) for a, b in zip(before[0:1], case.args[0:1]))


# --- Dinosaurus' sample: what really differs --------------------------------------------------------------


def test_a_sample_no_named_mistake_explains_says_where_the_indices_part_and_the_seed_rule():
    case = cases_for("sample", kind="dinos")[0]
    right = reference_result(case)
    other = list(right[:3]) + [(right[3] + 1) % 27] + [5] * 10
    evidence = whole_evidence("dinos.sample", case, other)
    hint = hints.explain(evidence)
    assert hint.id == "values_differ" and hint.rule.message_id == "hints.dinos_sample_differs"
    assert "position 3" in hint.text and "np.random.seed(counter + seed)" in hint.text and "multiplied" not in hint.text
    assert f"{len(other)} indices where the course draws {len(right)}" in hint.text



# --- another layer's array in a product that raised -------------------------------------------------------


def _not_aligned(first, second):
    return f"shapes ({first[0]},{first[1]}) and ({second[0]},{second[1]}) not aligned: {first[1]} (dim 1) != {second[0]} (dim 0)"


def test_a_product_with_another_layers_W_that_raised_is_wrong_variable_naming_both():
    named = 0
    for case in cases_for("forward_propagation", kind="planar"):
        X, parameters = case.args[0], case.args[1]
        W1 = parameters["W1"].shape
        if sum(np.shape(v) == W1 for v in [X, *parameters.values()]) > 1:
            continue  # n_x = 1: W1 has b1's shape, so the operand is not known to be W1 (nothing is said)
        found = hints.exception_hint("forward_propagation", "ValueError", _not_aligned(W1, (W1[0], X.shape[1])), case)
        assert found is not None and found[0] == "wrong_variable", case.label
        assert "parameters['W1']" in found[1] and "parameters['W2']" in found[1]
        named += 1
    assert named


def test_a_transposed_operand_stays_transposed_and_an_unrelated_product_gets_no_layer_hint():
    """Meta: the layer rule pairs only arrays of one name (W1, W2) where the operand is an input as given."""
    case = cases_for("forward_propagation", kind="planar")[0]
    X, parameters = case.args[0], case.args[1]
    W2 = parameters["W2"].shape
    A1 = (parameters["W1"].shape[0], X.shape[1])
    transposed = hints.exception_hint("forward_propagation", "ValueError", _not_aligned(W2[::-1], A1), case)
    assert transposed is not None and transposed[0] == "transposed"
    unrelated = hints.exception_hint("forward_propagation", "ValueError", _not_aligned((97, 89), (83, 79)), case)
    assert unrelated is None or unrelated[0] != "wrong_variable"
