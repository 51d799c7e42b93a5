"""The plug-ins' own hint rules (assignments/<kind>/evidence.py): each fires on its mistake's numbers and is the
hint chosen; none fires on the right answer (test_diagnosis_hints_rules.test_no_rule_fires_on_the_right_answer
runs every rule on every case's reference)."""

import numpy as np
import pytest

from shapecheck.diagnosis import hints
from test_diagnosis_hints_rules import evidence_for


def _l2(case):
    """λ/(2m) and the layers' W of a compute_cost_with_regularization case."""
    _, Y, parameters, lambd = case.args
    return lambd / (2 * Y.shape[1]), [parameters[f"W{l}"] for l in (1, 2, 3)]


def _l2_norm(v, t, r, case):
    factor, W = _l2(case)
    return v - factor * sum(np.sum(w ** 2) for w in W) + factor * sum(np.linalg.norm(w) for w in W)


def _l2_without_W2(v, t, r, case):
    factor, W = _l2(case)
    return v - factor * np.sum(W[1] ** 2)


def _dW_without_l2(layer, k=-1.0):
    def transform(v, t, r, case):
        X, _, cache, lambd = case.args
        return v + k * lambd / X.shape[1] * cache[4 * layer - 2]
    return transform


def _boundary(v, t, r, case):
    w, b, X = case.args
    z = w.T @ X + b
    return np.where(z == 0, 1.0, v)


def _s_raw(v, t, r, case):
    grads, s, beta2 = case.args[1], case.args[3], case.args[7]
    return beta2 * s["dW1"] + (1 - beta2) * grads["dW1"]


EXAMPLES = [  # (rule id, message id, function, tensor, transform, case index)
    ("missing_1_over_m", "hints.lr_missing_1_over_m", "propagate", "grads[db]", lambda v, t, r, case: v * case.sizes["m"], 0),
    ("missing_1_over_m", "hints.lr_missing_1_over_m", "propagate", "cost", lambda v, t, r, case: v * case.sizes["m"], 2),
    ("threshold_boundary", "hints.lr_threshold_boundary", "predict", "Y_prediction", _boundary, 3),
    ("l2_not_squared", "hints.reg_l2_not_squared", "compute_cost_with_regularization", "cost", _l2_norm, 0),
    ("l2_factor", "hints.reg_l2_scaled", "compute_cost_with_regularization", "cost",
     lambda v, t, r, case: v + (2 * case.args[1].shape[1] - 1) * _l2(case)[0] * sum(np.sum(w ** 2) for w in _l2(case)[1]), 0),  # λ·ΣW²
    ("values_differ", "hints.values_differ", "compute_cost_with_regularization", "cost",
     lambda v, t, r, case: v + 2 * _l2(case)[0] * sum(np.sum(w ** 2) for w in _l2(case)[1]), 0),  # 3λ/(2m): no classic factor
    ("missing_term", "hints.reg_l2_missing_layer", "compute_cost_with_regularization", "cost", _l2_without_W2, 0),
    ("missing_term", "hints.reg_l2_gradient_missing", "backward_propagation_with_regularization", "dW2", _dW_without_l2(2), 0),
    ("l2_factor", "hints.reg_l2_gradient_scaled", "backward_propagation_with_regularization", "dW3", _dW_without_l2(3, -0.5), 0),
    ("mask_not_applied", "hints.reg_mask_not_applied", "backward_propagation_with_dropout", "dA2",
     lambda v, *_: np.where(v == 0, 0.37, v), 0),
    ("minibatch_slicing", "hints.opt_batches_from_zero", "random_mini_batches", "mini_batch_X2", lambda v, t, r, case: r["mini_batch_X1"], 0),
    ("adam_second_moment", "hints.opt_adam_s_not_squared", "update_parameters_with_adam", "s[dW1]", _s_raw, 0),
    ("wrong_formula", "hints.opt_update_lr_formula", "update_lr", "learning_rate", lambda v, t, r, case: 0.5 * 0.3 ** 7, 0),
    ("wrong_formula", "hints.opt_schedule_formula", "schedule_lr_decay", "learning_rate", lambda v, *_: v * 1.5, 0),
]


@pytest.mark.parametrize("rule_id, message_id, function, tensor, transform, k", EXAMPLES,
                         ids=[f"{r}-{f}-{t}" for r, _, f, t, _, _ in EXAMPLES])
def test_each_plug_in_rule_fires_on_its_evidence_and_its_sentence_is_the_one_chosen(rule_id, message_id, function, tensor,
                                                                                      transform, k):
    evidence = evidence_for(function, tensor, transform, k)
    rule = hints.choose(evidence)
    assert (rule.id, rule.message_id) == (rule_id, message_id)
    assert not any(r.id == "off_by_one_layer" for r in hints.fired(evidence))  # mini-batches are not layers


def test_every_plug_in_rule_has_an_example():
    plugin_rules = {(rule.id, rule.message_id) for rule in hints.RULES if rule.mutant is None and rule not in hints.RELATIONS}
    examples = {(rule_id, message_id) for rule_id, message_id, *_ in EXAMPLES}
    ours = {r for r in plugin_rules if r[1].split(".")[1].startswith(("lr_", "reg_", "opt_"))}
    assert ours <= examples, ours - examples


def test_a_boundary_case_is_among_predict_s_cases_so_a_greater_or_equal_shows():
    evidence = evidence_for("predict", "Y_prediction", lambda v, *_: v, 3)
    w, b, X = evidence.case.args
    assert np.any(w.T @ X + b == 0) and not np.any(evidence.r[w.T @ X + b == 0])


def test_an_exponential_decay_is_named_with_both_numbers():
    evidence = evidence_for("update_lr", "learning_rate", lambda v, t, r, case: 0.5 * 0.3 ** 7, 0)
    text = hints.explain(evidence).text
    assert "α₀ / (1 + decay_rate · epoch_num)" in text and f"{0.5 * 0.3 ** 7:.6g}" in text
