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


def test_a_boundary_case_is_among_predict_s_cases_so_a_greater_or_equal_shows():
    evidence = evidence_for("predict", "Y_prediction", lambda v, *_: v, 3)
    w, b, X = evidence.case.args
    assert np.any(w.T @ X + b == 0) and not np.any(evidence.r[w.T @ X + b == 0])


def test_an_exponential_decay_is_named_with_both_numbers():
    evidence = evidence_for("update_lr", "learning_rate", lambda v, t, r, case: 0.5 * 0.3 ** 7, 0)
    text = hints.explain(evidence).text
    assert "α₀ / (1 + decay_rate · epoch_num)" in text and f"{0.5 * 0.3 ** 7:.6g}" in text


# --- the holdout-style mistakes (issue 14, third stop): costs, Adam's t, the gradient check's formula, λ/m·W² ---

def _cost(P, Q, R, S):
    """The cross-entropy with its four operands (functions of A and Y), on the case's A and Y."""
    def value(A, Y):
        return -np.sum(P(A, Y) * np.log(Q(A, Y)) + R(A, Y) * np.log(S(A, Y))) / Y.shape[1]
    return value


def _Y(A, Y): return Y  # noqa: E704
def _A(A, Y): return A  # noqa: E704
def _notY(A, Y): return 1 - Y  # noqa: E704
def _notA(A, Y): return 1 - A  # noqa: E704
def _zero(A, Y): return 0 * Y  # noqa: E704


def _propagate_cost(formula):
    def transform(v, t, r, case):
        w, b, X, Y = case.args
        return formula(1 / (1 + np.exp(-(w.T @ X + b))), Y)
    return transform


def _given_cost(formula):
    return lambda v, t, r, case: formula(case.args[0], case.args[1])


def _forward_n_cost(formula):
    def transform(v, t, r, case):
        from shapecheck.engine import gradient_checking as gc
        X, Y, parameters = case.args
        return formula(gc.forward_propagation_n(X, Y, parameters)[1][9], Y)
    return transform


def _adam_at(t_v, t_s):
    def transform(v, t, r, case):
        from shapecheck.diagnosis.assignments.optimization.evidence import _adam_with
        return _adam_with(case.args, t_v, t_s)
    return transform


def _adam_tensor(name, t_v, t_s):
    return lambda v, t, r, case: _adam_at(t_v, t_s)(v, t, r, case)[name]


def _vectors_n(case):
    from shapecheck.engine import gradient_checking as gc
    parameters, gradients, X, Y = case.args[:4]
    return gc.grad_and_gradapprox_n(parameters, gradients, X, Y)


def _over_grad_norm(v, t, r, case):
    g, a = _vectors_n(case)
    return np.linalg.norm(g - a) / np.linalg.norm(g)


def _difference_vector(v, t, r, case):
    g, a = _vectors_n(case)
    return (g - a) / (np.linalg.norm(g) + np.linalg.norm(a))


def _precedence_1d(v, t, r, case):
    x = case.args[0]
    grad, approx = 2 * x, x  # the case's stand-in backward returns 2x; θ·x's centered difference is x
    return abs(grad - approx) / abs(grad) + abs(approx)


def _l2_cost_with_biases(v, t, r, case):
    factor, _ = _l2(case)
    return v + factor * sum(np.sum(b ** 2) for k, b in case.args[2].items() if k.startswith("b"))


def _dW_of_square(layer):
    def transform(v, t, r, case):
        X, _, cache, lambd = case.args
        W, m = cache[4 * layer - 2], X.shape[1]
        return v - lambd / m * W + lambd / m * W ** 2
    return transform


def _data_term_times(layer, power):
    """dW whose cross-entropy part (dW − (λ/m)·W) is m**power times the right one, its L2 part right."""
    def transform(v, t, r, case):
        X, _, cache, lambd = case.args
        l2 = lambd / X.shape[1] * cache[4 * layer - 2]
        return (v - l2) * float(X.shape[1]) ** power + l2
    return transform


def _db_with_l2(layer):
    def transform(v, t, r, case):
        X, _, cache, lambd = case.args
        return v + lambd / X.shape[1] * cache[4 * layer - 1]
    return transform


def _dropout_seeded(seed):
    def transform(v, t, r, case):
        from shapecheck.engine import dropout
        X, parameters, keep_prob = case.args[:3]
        return dropout.forward_with_seed(X, parameters, keep_prob, seed)[0]
    return transform


def _uniform_W(layer):
    def transform(v, t, r, case):
        dims = case.args[0]
        rng = np.random.RandomState(3)
        for l in range(1, layer + 1):  # noqa: E741
            raw = rng.rand(dims[l], dims[l - 1])
        return raw * np.sqrt(2 / dims[layer - 1])
    return transform


def _batch_of_another_shuffle(k):
    def transform(v, t, r, case):
        X, Y, size, seed = case.args
        np.random.seed(seed + 7)
        order = np.random.permutation(X.shape[1])
        for j in range(0, X.shape[1], size):  # every batch of the other shuffle, so the whole cut is consistent
            t[f"mini_batch_X{j // size + 1}"], t[f"mini_batch_Y{j // size + 1}"] = X[:, order[j:j + size]], Y[:, order[j:j + size]]
        return t[f"mini_batch_X{k}"]
    return transform


KIND_EXAMPLES = [  # (rule id, message id, kind, function, tensor, transform, case index)
    ("missing_seed", "hints.opt_batches_other_shuffle", "optimization", "random_mini_batches", "mini_batch_X2",
     _batch_of_another_shuffle(2), 0),
    ("missing_floor", "hints.opt_schedule_rounded", "optimization", "schedule_lr_decay", "learning_rate",
     lambda v, t, r, case: case.args[0] / (1 + case.args[2] * round(case.args[1] / case.args[3])), 0),  # 2700/1000 rounds to 3
    ("missing_seed", "hints.reg_dropout_other_seed", "regularization", "forward_propagation_with_dropout", "A3", _dropout_seeded(0), 0),
    ("wrong_distribution", "hints.init_uniform_draw", "init", "initialize_parameters_he", "W2", _uniform_W(2), 0),
    ("wrong_variable", "hints.cost_wrong_variable", "logreg", "propagate", "cost", _propagate_cost(_cost(_Y, _A, _notY, _A)), 0),
    ("wrong_variable", "hints.cost_wrong_variable", "logreg", "propagate", "cost", _propagate_cost(_cost(_Y, _notA, _notY, _A)), 1),
    ("missing_term", "hints.cost_one_term", "logreg", "propagate", "cost", _propagate_cost(_cost(_zero, _A, _notY, _notA)), 0),
    ("wrong_variable", "hints.cost_wrong_variable", "planar", "compute_cost", "cost", _given_cost(_cost(_Y, _A, _Y, _notA)), 0),
    ("wrong_variable", "hints.cost_wrong_variable", "dnn", "compute_cost", "cost", _given_cost(_cost(_A, _A, _notY, _notA)), 0),
    ("wrong_variable", "hints.cost_wrong_variable", "gradcheck", "forward_propagation_n", "cost",
     _forward_n_cost(_cost(_Y, _A, _Y, _notA)), 0),
    ("adam_bias_correction", "hints.opt_adam_other_t", "optimization", "update_parameters_with_adam", "parameters[W1]",
     _adam_tensor("parameters[W1]", 1, 1), 0),
    ("adam_bias_correction", "hints.opt_adam_other_t", "optimization", "update_parameters_with_adam", "v_corrected[db2]",
     _adam_tensor("v_corrected[db2]", 1, 3), 0),
    ("adam_bias_correction", "hints.opt_adam_other_t", "optimization", "update_parameters_with_adam", "s_corrected[dW2]",
     _adam_tensor("s_corrected[dW2]", 3, 2), 0),  # t − 1: a counter incremented after the call
    ("difference_formula", "hints.gc_difference_other_formula", "gradcheck", "gradient_check_n", "difference", _over_grad_norm, 0),
    ("difference_formula", "hints.gc_difference_other_formula", "gradcheck", "gradient_check", "difference", _precedence_1d, 1),
    ("difference_formula", "hints.gc_difference_not_a_norm", "gradcheck", "gradient_check_n", "difference", _difference_vector, 0),
    ("extra_term", "hints.reg_l2_biases", "regularization", "compute_cost_with_regularization", "cost", _l2_cost_with_biases, 0),
    ("extra_term", "hints.reg_l2_gradient_in_db", "regularization", "backward_propagation_with_regularization", "db2",
     _db_with_l2(2), 0),
    ("l2_gradient_squared", "hints.reg_l2_gradient_squared", "regularization", "backward_propagation_with_regularization", "dW1",
     _dW_of_square(1), 0),
    ("missing_1_over_m", "hints.reg_data_term_twice", "regularization", "backward_propagation_with_regularization", "dW2",
     _data_term_times(2, -1), 0),
    ("missing_1_over_m", "hints.reg_data_term_unaveraged", "regularization", "backward_propagation_with_regularization", "dW3",
     _data_term_times(3, 1), 0),
]


@pytest.mark.parametrize("rule_id, message_id, kind, function, tensor, transform, k", KIND_EXAMPLES,
                         ids=[f"{r}-{f}-{t}-{k}" for r, _, _, f, t, _, k in KIND_EXAMPLES])
def test_each_holdout_style_rule_fires_on_its_evidence_and_its_sentence_is_the_one_chosen(rule_id, message_id, kind, function,
                                                                                            tensor, transform, k):
    evidence = evidence_for(function, tensor, transform, k, kind=kind)
    rule = hints.choose(evidence)
    assert (rule.id, rule.message_id) == (rule_id, message_id)
    text = hints.explain(evidence).text
    assert "?" not in text.replace("?)", "") and "{" not in text  # the detector filled every placeholder it declares


def test_every_plug_in_rule_has_an_example():
    plugin_rules = {(rule.id, rule.message_id) for rule in hints.RULES if rule.mutant is None and rule not in hints.RELATIONS}
    examples = {(rule_id, message_id) for rule_id, message_id, *_ in KIND_EXAMPLES + [(r, m) for r, m, *_ in EXAMPLES]}
    ours = {r for r in plugin_rules if r[1].split(".")[1].startswith(("lr_", "reg_", "opt_", "gc_", "cost_"))}
    assert ours <= examples, ours - examples


def test_the_message_names_the_step_adam_corrected_for_and_the_case_s_t():
    evidence = evidence_for("update_parameters_with_adam", "parameters[W1]", _adam_tensor("parameters[W1]", 1, 1), 0, kind="optimization")
    text = hints.explain(evidence).text
    assert "t = 1" in text and "t = 3" in text


def test_the_message_names_the_wrong_formula_of_the_difference_and_of_the_cost():
    evidence = evidence_for("gradient_check_n", "difference", _over_grad_norm, 0, kind="gradcheck")
    assert "‖grad − gradapprox‖ / ‖grad‖ on this case" in hints.explain(evidence).text
    evidence = evidence_for("compute_cost", "cost", _given_cost(_cost(_Y, _A, _Y, _notA)), 0, kind="planar")
    assert "−(1/m)·Σ[Y·log(A2) + Y·log(1 − A2)]" in hints.explain(evidence).text


def test_a_cost_of_another_formula_than_the_named_variants_gets_no_variable_hint():
    evidence = evidence_for("propagate", "cost", lambda v, *_: v * 1.37, 0, kind="logreg")
    assert not {r.message_id for r in hints.fired(evidence)} & {"hints.cost_wrong_variable", "hints.cost_one_term"}


def test_adam_with_the_case_s_own_t_everywhere_is_not_called_a_fixed_t():
    evidence = evidence_for("update_parameters_with_adam", "parameters[W1]", lambda v, *_: v * 1.01, 0, kind="optimization")
    assert "hints.opt_adam_other_t" not in {r.message_id for r in hints.fired(evidence)}


def test_a_model_s_error_where_neighbouring_layers_sizes_meet_is_a_cache_of_the_wrong_layer():
    from shapecheck.diagnosis.cases import cases_for

    case = cases_for("two_layer_model", kind="dnn_app")[0]  # layers (4, 3, 1)
    message = "boolean index did not match indexed array along axis 0; size of axis is 3 but size of corresponding boolean axis is 1"
    hint_id, text = hints.exception_hint("two_layer_model", "IndexError", message, case)
    assert hint_id == "off_by_one_cache" and "cache2 where cache1 belongs" in text
    assert hints.exception_hint("two_layer_model", "IndexError", "index 7 is out of bounds for axis 0 with size 9", case) is None


def test_a_number_returned_as_a_one_entry_array_is_told_its_sum_kept_an_axis_and_a_cost_to_squeeze():
    evidence = evidence_for("propagate", "grads[db]", lambda v, *_: np.reshape(v, (1,)), 0, kind="logreg")
    assert hints.choose(evidence).message_id == "hints.scalar_kept_axis"
    evidence = evidence_for("compute_cost", "cost", lambda v, *_: np.reshape(v, (1,)), 0, kind="dnn")
    assert hints.choose(evidence).message_id == "hints.missing_squeeze"
