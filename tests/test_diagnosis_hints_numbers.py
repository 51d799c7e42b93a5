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
