"""The reference with one classic mistake in it: what a student's output looks like for each mistake.

A mutant is the course's own code with one line wrong, written the way students write it (a loop
over time steps, ``np.dot``, the course's caches). A student's output that equals a mutant's on the
same inputs, where the reference differs, is evidence of that mistake: the hint rules
(``hints.py``) read it.

``MISTAKES`` lists them: the name, the contract functions whose code holds the mistake, and the
hint id it stands for. A mistake also shows in every function that calls those (through the
contract's callees): ``L_model_backward`` with ``relu_gets_sigmoid_derivative`` is the course's
L_model_backward whose linear_activation_backward has that mistake.

    >>> from shapecheck.diagnosis.cases import cases_for
    >>> case = cases_for("compute_cost")[0]
    >>> results = run_mutants("compute_cost", case.fresh_args())
    >>> "broadcast_outer" in results and "cost_missing_negative_class" in results
    True

``course(function)`` is the mutant with no mistake: the course's code, which must agree with the
reference (a test holds them together).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from shapecheck.diagnosis.contract import CONTRACTS
from shapecheck.diagnosis.reference import (LSTM_STEP, RNN_STEP, layer_cache_of, linear_cache_of, step_cache_of,
                                                    through_time_of)


@dataclass(frozen=True)
class Mistake:
    """One classic mistake: where it is written, and the hint id it stands for."""

    name: str
    where: tuple[str, ...]  # the contract functions whose own code holds it
    hint: str
    message: str | None = None  # its sentence in hints.toml; None: "hints.<name>" (several mistakes may share one)

    @property
    def message_id(self) -> str:
        return f"hints.{self.message or self.name}"


_GATES = {"f": "forget", "i": "update", "c": "candidate", "o": "output"}
# a gate computed with another gate's weights: its W only (the bias was fixed), or its W and b (the whole line copied)
GATE_SWAPS: dict[str, tuple[str, str, bool]] = {
    f"{_GATES[g]}_gate_uses_W{h}{'_b' + h if with_b else ''}": (g, h, with_b)
    for g in "fico" for h in "fico" if h != g for with_b in (False, True)
}


MISTAKES: tuple[Mistake, ...] = (
    # deep network, forward
    Mistake("missing_bias", ("linear_forward",), "missing_term"),
    Mistake("activation_swapped", ("linear_activation_forward",), "wrong_activation"),
    Mistake("no_activation", ("linear_activation_forward",), "wrong_activation"),
    Mistake("output_relu", ("L_model_forward",), "wrong_activation"),
    Mistake("hidden_sigmoid", ("L_model_forward",), "wrong_activation"),
    Mistake("skip_last_layer", ("L_model_forward", "update_parameters"), "off_by_one_layer"),
    Mistake("skip_first_layer", ("update_parameters",), "off_by_one_layer"),
    # cost
    Mistake("broadcast_outer", ("compute_cost",), "silent_broadcast"),
    Mistake("cost_sum_axis0", ("compute_cost",), "wrong_axis"),
    Mistake("cost_missing_negative_class", ("compute_cost",), "missing_term"),
    Mistake("cost_log_AL_for_negative_class", ("compute_cost",), "wrong_variable"),
    # deep network, backward
    Mistake("db_wrong_axis", ("linear_backward",), "wrong_axis"),
    Mistake("db_wrong_axis_rank1", ("linear_backward",), "wrong_axis"),
    Mistake("db_sum_all", ("linear_backward",), "wrong_axis"),
    Mistake("dA_prev_1_over_m", ("linear_backward",), "extra_1_over_m"),
    Mistake("relu_gets_sigmoid_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("sigmoid_gets_relu_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("relu_no_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("sigmoid_no_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("sigmoid_derivative_from_Z", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("relu_derivative_from_dA", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("relu_derivative_precedence", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("dAL_wrong_sign", ("L_model_backward",), "wrong_sign"),
    Mistake("dAL_inner_sign", ("L_model_backward",), "wrong_dAL"),
    Mistake("dAL_as_AL_minus_Y", ("L_model_backward",), "wrong_dAL"),
    Mistake("backward_activations_swapped", ("L_model_backward",), "wrong_activation_derivative"),
    Mistake("backward_output_relu", ("L_model_backward",), "wrong_activation_derivative"),
    Mistake("backward_hidden_sigmoid", ("L_model_backward",), "wrong_activation_derivative"),
    # update
    Mistake("wrong_update_sign", ("update_parameters",), "wrong_update_sign"),
    Mistake("missing_learning_rate", ("update_parameters",), "missing_learning_rate"),
    Mistake("bias_not_updated", ("update_parameters",), "not_updated"),
    Mistake("b_updated_with_dW", ("update_parameters",), "wrong_variable"),
    # recurrent, forward
    Mistake("softmax_wrong_axis", ("rnn_cell_forward", "lstm_cell_forward"), "softmax_axis"),
    Mistake("softmax_over_all", ("rnn_cell_forward", "lstm_cell_forward"), "softmax_axis"),
    Mistake("no_softmax", ("rnn_cell_forward", "lstm_cell_forward"), "wrong_activation"),
    Mistake("hidden_sigmoid_rnn", ("rnn_cell_forward",), "wrong_activation"),
    Mistake("missing_ba", ("rnn_cell_forward",), "missing_term"),
    Mistake("concat_order", ("lstm_cell_forward",), "concat_order"),
    Mistake("forget_gate_tanh", ("lstm_cell_forward",), "wrong_activation"),
    Mistake("update_gate_tanh", ("lstm_cell_forward",), "wrong_activation"),
    Mistake("output_gate_tanh", ("lstm_cell_forward",), "wrong_activation"),
    Mistake("candidate_sigmoid", ("lstm_cell_forward",), "wrong_activation"),
    Mistake("a_next_no_tanh", ("lstm_cell_forward",), "wrong_activation"),
    Mistake("no_forget_term", ("lstm_cell_forward",), "missing_term"),
    Mistake("no_update_gate", ("lstm_cell_forward",), "missing_term"),
    Mistake("c_next_uses_ot", ("lstm_cell_forward",), "wrong_gate"),
    Mistake("c_next_gates_swapped", ("lstm_cell_forward",), "wrong_gate"),
    Mistake("a_next_from_c_prev", ("lstm_cell_forward",), "wrong_variable"),
    Mistake("yt_from_a_prev", ("rnn_cell_forward", "lstm_cell_forward"), "wrong_variable"),
    Mistake("c_stores_a", ("lstm_forward",), "wrong_variable"),
    # after the mistakes above: Γi computed with Wo, bo gives what Γo ∗ c̃ in c_next gives, and that one is likelier
    *(Mistake(name, ("lstm_cell_forward",), "wrong_gate_weights", message="gate_weights") for name in GATE_SWAPS),
    Mistake("state_not_carried", ("rnn_forward", "lstm_forward"), "state_not_carried"),
    Mistake("cell_state_reset", ("lstm_forward",), "state_not_carried"),
    Mistake("time_reversed_forward", ("rnn_forward", "lstm_forward"), "reversed_time"),
    Mistake("state_stored_one_step_late", ("rnn_forward", "lstm_forward"), "off_by_one_time"),
    Mistake("c0_from_a0", ("lstm_forward",), "wrong_initial_state"),
    # recurrent, backward
    Mistake("tanh_derivative_1_minus_a", ("rnn_cell_backward",), "wrong_activation_derivative"),
    Mistake("tanh_derivative_of_a", ("rnn_cell_backward",), "wrong_activation_derivative"),
    Mistake("ignores_da_next", ("rnn_cell_backward",), "missing_upstream_gradient"),
    Mistake("dba_axis0", ("rnn_cell_backward",), "wrong_axis"),
    Mistake("dWaa_uses_a_next", ("rnn_cell_backward",), "wrong_variable"),
    Mistake("output_gate_tanh_derivative", ("lstm_cell_backward",), "wrong_activation_derivative"),
    Mistake("gate_derivatives_missing", ("lstm_cell_backward",), "wrong_activation_derivative"),
    Mistake("candidate_derivative_1_minus_cct", ("lstm_cell_backward",), "wrong_activation_derivative"),
    Mistake("tanh_c_derivative_1_minus_tanh", ("lstm_cell_backward",), "wrong_activation_derivative"),
    Mistake("candidate_derivative_missing", ("lstm_cell_backward",), "wrong_activation_derivative"),
    Mistake("dit_uses_c_prev", ("lstm_cell_backward",), "wrong_variable"),
    Mistake("dft_uses_cct", ("lstm_cell_backward",), "wrong_variable"),
    Mistake("dc_missing_da_path", ("lstm_cell_backward",), "missing_gradient_path"),
    Mistake("dc_prev_missing_path", ("lstm_cell_backward",), "missing_gradient_path"),
    Mistake("concat_order_dW", ("lstm_cell_backward",), "concat_order"),
    Mistake("concat_order_backward", ("lstm_cell_backward",), "concat_order"),
    Mistake("dxt_wrong_slice", ("lstm_cell_backward",), "wrong_slice"),
    Mistake("da_prev_wrong_slice", ("lstm_cell_backward",), "wrong_slice"),
    Mistake("no_state_backprop", ("rnn_backward", "lstm_backward"), "no_state_backprop"),
    Mistake("da_prev_not_passed", ("lstm_backward",), "no_state_backprop"),
    Mistake("dc_prev_not_passed", ("lstm_backward",), "no_state_backprop"),
    Mistake("ignores_upstream_da", ("rnn_backward", "lstm_backward"), "missing_upstream_gradient"),
    Mistake("no_accumulation", ("rnn_backward", "lstm_backward"), "no_time_accumulation"),
    Mistake("only_last_step", ("rnn_backward", "lstm_backward"), "no_time_accumulation"),
    Mistake("bias_not_accumulated", ("lstm_backward", "rnn_backward"), "no_time_accumulation"),
    Mistake("forward_time", ("rnn_backward", "lstm_backward"), "reversed_time"),
)

BY_NAME: dict[str, Mistake] = {m.name: m for m in MISTAKES}


def _callers(function: str) -> set[str]:
    """Every contract function that calls ``function``, directly or not."""
    found: set[str] = set()
    frontier = {function}
    while frontier:
        frontier = {c.name for c in CONTRACTS.values() if set(c.callees) & frontier} - found
        found |= frontier
    return found


def affected(mistake: Mistake) -> tuple[str, ...]:
    """The functions whose output a mistake changes: where it is written and all their callers."""
    names = set(mistake.where)
    for where in mistake.where:
        names |= _callers(where)
    return tuple(sorted(names))


# --- the course's code, with a switch for each mistake ------------------------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _softmax(z, bug=None):
    if bug == "softmax_wrong_axis":
        e = np.exp(z - np.max(z, axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if bug == "softmax_over_all":
        e = np.exp(z - np.max(z))
        return e / e.sum()
    if bug == "no_softmax":
        return z
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def linear_forward(A, W, b, bug=None):
    Z = np.dot(W, A) if bug == "missing_bias" else np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation, bug=None):
    Z, linear_cache = linear_forward(A_prev, W, b, bug)
    if bug == "activation_swapped":
        activation = {"relu": "sigmoid", "sigmoid": "relu"}[activation]
    if bug == "no_activation":
        A = Z.copy()
    elif activation == "sigmoid":
        A = _sigmoid(Z)
    else:
        A = np.maximum(0, Z)
    return A, (linear_cache, Z)


def L_model_forward(X, parameters, bug=None):
    caches = []
    A = X
    L = len(parameters) // 2
    last = L - 1 if bug == "skip_last_layer" else L
    for l in range(1, last + 1):  # noqa: E741
        activation = "sigmoid" if l == L else "relu"
        if bug == "output_relu":
            activation = "relu"
        elif bug == "hidden_sigmoid":
            activation = "sigmoid"
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], activation, bug)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y, bug=None):
    m = Y.shape[1]
    if bug == "broadcast_outer":  # Y (1, m) times log(AL).T (m, 1): an (m, m) matrix, summed
        return np.squeeze(-1 / m * np.sum(Y * np.log(AL).T + (1 - Y) * np.log(1 - AL).T))
    if bug == "cost_missing_negative_class":
        return np.squeeze(-1 / m * np.sum(Y * np.log(AL)))
    if bug == "cost_log_AL_for_negative_class":  # (1 - Y)·log(AL) where log(1 - AL) belongs
        return np.squeeze(-1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(AL)))
    losses = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
    if bug == "cost_sum_axis0":
        return -1 / m * np.sum(losses, axis=0)
    return np.squeeze(-1 / m * np.sum(losses))


def linear_backward(dZ, cache, bug=None):
    A_prev, W, b = linear_cache_of(cache)
    m = A_prev.shape[1]
    dW = 1 / m * np.dot(dZ, A_prev.T)
    if bug == "db_wrong_axis":
        db = 1 / m * np.sum(dZ, axis=0, keepdims=True)
    elif bug == "db_wrong_axis_rank1":
        db = 1 / m * np.sum(dZ, axis=0)
    elif bug == "db_sum_all":
        db = 1 / m * np.sum(dZ)
    else:
        db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    if bug == "dA_prev_1_over_m":
        dA_prev = dA_prev / m
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, bug=None):
    linear_cache, Z = layer_cache_of(cache)
    if activation == "relu":
        if bug == "relu_gets_sigmoid_derivative":
            s = _sigmoid(Z)
            dZ = dA * s * (1 - s)
        elif bug == "relu_no_derivative":
            dZ = dA.copy()
        elif bug == "relu_derivative_from_dA":
            dZ = np.where(dA > 0, dA, 0.0)
        elif bug == "relu_derivative_precedence":  # dA * Z > 0 is (dA * Z) > 0: a 0/1 mask, not dA where Z > 0
            dZ = (dA * Z > 0).astype(float)
        else:
            dZ = np.where(Z > 0, dA, 0.0)
    else:
        if bug == "sigmoid_gets_relu_derivative":
            dZ = np.where(Z > 0, dA, 0.0)
        elif bug == "sigmoid_no_derivative":
            dZ = dA.copy()
        elif bug == "sigmoid_derivative_from_Z":
            dZ = dA * Z * (1 - Z)
        else:
            s = _sigmoid(Z)
            dZ = dA * s * (1 - s)
    return linear_backward(dZ, linear_cache, bug)


def L_model_backward(AL, Y, caches, bug=None):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    if bug == "dAL_wrong_sign":
        dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    elif bug == "dAL_inner_sign":
        dAL = -(np.divide(Y, AL) + np.divide(1 - Y, 1 - AL))
    elif bug == "dAL_as_AL_minus_Y":
        dAL = AL - Y
    else:
        dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    output, hidden = "sigmoid", "relu"
    if bug == "backward_activations_swapped":
        output, hidden = "relu", "sigmoid"
    elif bug == "backward_output_relu":
        output = "relu"
    elif bug == "backward_hidden_sigmoid":
        hidden = "sigmoid"
    dA = dAL
    for l in range(L, 0, -1):  # noqa: E741
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(
            dA, caches[l - 1], output if l == L else hidden, bug)
        grads["dA" + str(l - 1)] = dA
    return grads


def update_parameters(parameters, grads, learning_rate, bug=None):
    L = len(parameters) // 2
    updated = dict(parameters)
    layers = range(1, L + 1)
    if bug == "skip_last_layer":
        layers = range(1, L)
    elif bug == "skip_first_layer":
        layers = range(2, L + 1)
    sign = 1 if bug == "wrong_update_sign" else -1
    rate = 1.0 if bug == "missing_learning_rate" else learning_rate
    for l in layers:  # noqa: E741
        updated["W" + str(l)] = parameters["W" + str(l)] + sign * rate * grads["dW" + str(l)]
        if bug != "bias_not_updated":
            db = grads[("dW" if bug == "b_updated_with_dW" else "db") + str(l)]
            updated["b" + str(l)] = parameters["b" + str(l)] + sign * rate * db
    return updated


def initialize_parameters_deep(layer_dims, bug=None):
    rng = np.random.RandomState(3)
    parameters = {}
    for l in range(1, len(layer_dims)):  # noqa: E741
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


# --- recurrent ------------------------------------------------------------------------------------------


def rnn_cell_forward(xt, a_prev, parameters, bug=None):
    Wax, Waa, Wya, ba, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "ba", "by"))
    z = np.dot(Wax, xt) + np.dot(Waa, a_prev)
    if bug != "missing_ba":
        z = z + ba
    a_next = _sigmoid(z) if bug == "hidden_sigmoid_rnn" else np.tanh(z)
    yt_pred = _softmax(np.dot(Wya, a_prev if bug == "yt_from_a_prev" else a_next) + by, bug)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters, bug=None):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    a_next = a0
    for t in range(T_x):
        xt = x[:, :, T_x - 1 - t] if bug == "time_reversed_forward" else x[:, :, t]
        a_prev = a0 if bug == "state_not_carried" else a_next
        a_next, yt_pred, cache = rnn_cell_forward(xt, a_prev, parameters, bug)
        a[:, :, t] = a_prev if bug == "state_stored_one_step_late" else a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, parameters, bug=None):
    p = dict(parameters)
    if bug in GATE_SWAPS:
        gate, used, with_b = GATE_SWAPS[bug]
        p["W" + gate] = parameters["W" + used]
        if with_b:
            p["b" + gate] = parameters["b" + used]
    concat = np.concatenate((xt, a_prev)) if bug == "concat_order" else np.concatenate((a_prev, xt))
    ft = (np.tanh if bug == "forget_gate_tanh" else _sigmoid)(np.dot(p["Wf"], concat) + p["bf"])
    it = (np.tanh if bug == "update_gate_tanh" else _sigmoid)(np.dot(p["Wi"], concat) + p["bi"])
    cct = (_sigmoid if bug == "candidate_sigmoid" else np.tanh)(np.dot(p["Wc"], concat) + p["bc"])
    ot = (np.tanh if bug == "output_gate_tanh" else _sigmoid)(np.dot(p["Wo"], concat) + p["bo"])
    if bug == "no_forget_term":
        c_next = it * cct
    elif bug == "no_update_gate":
        c_next = ft * c_prev + cct
    elif bug == "c_next_uses_ot":
        c_next = ft * c_prev + ot * cct
    elif bug == "c_next_gates_swapped":
        c_next = it * c_prev + ft * cct
    else:
        c_next = ft * c_prev + it * cct
    a_next = ot * c_next if bug == "a_next_no_tanh" else ot * np.tanh(c_prev if bug == "a_next_from_c_prev" else c_next)
    yt_pred = _softmax(np.dot(p["Wy"], a_prev if bug == "yt_from_a_prev" else a_next) + p["by"], bug)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def lstm_forward(x, a0, parameters, bug=None):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0
    c_next = a0 if bug == "c0_from_a0" else np.zeros((n_a, m))
    for t in range(T_x):
        xt = x[:, :, T_x - 1 - t] if bug == "time_reversed_forward" else x[:, :, t]
        a_prev = a0 if bug == "state_not_carried" else a_next
        c_prev = np.zeros((n_a, m)) if bug == "cell_state_reset" else c_next
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters, bug)
        a[:, :, t] = a_prev if bug == "state_stored_one_step_late" else a_next
        c[:, :, t], y[:, :, t] = (a_next if bug == "c_stores_a" else c_next), yt
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache, bug=None):
    a_next, a_prev, xt, parameters = step_cache_of(cache, RNN_STEP)
    if bug == "tanh_derivative_1_minus_a":
        dtanh = da_next * (1 - a_next)
    elif bug == "tanh_derivative_of_a":
        dtanh = da_next * (1 - np.tanh(a_next) ** 2)
    elif bug == "ignores_da_next":
        dtanh = 1 - a_next**2
    else:
        dtanh = da_next * (1 - a_next**2)
    dxt = np.dot(parameters["Wax"].T, dtanh)
    dWax = np.dot(dtanh, xt.T)
    da_prev = np.dot(parameters["Waa"].T, dtanh)
    dWaa = np.dot(dtanh, (a_next if bug == "dWaa_uses_a_next" else a_prev).T)
    dba = np.sum(dtanh, axis=0 if bug == "dba_axis0" else 1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def _through_time(cell_backward, keys, da, caches, bug, lstm):
    """The course's backward loop over time, shared by rnn_backward and lstm_backward."""
    steps, x = through_time_of(caches, LSTM_STEP if lstm else RNN_STEP)
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    sums: dict[str, Any] = {}
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    order = range(T_x) if bug == "forward_time" else reversed(range(T_x))
    for t in order:
        if bug in ("no_state_backprop", "da_prev_not_passed"):
            da_next = da[:, :, t]
        elif bug == "ignores_upstream_da":
            da_next = da_prevt
        else:
            da_next = da[:, :, t] + da_prevt
        dc_next = np.zeros((n_a, m)) if bug in ("no_state_backprop", "dc_prev_not_passed") else dc_prevt
        g = cell_backward(da_next, dc_next, steps[t], bug) if lstm else cell_backward(da_next, steps[t], bug)
        dx[:, :, t] = g["dxt"]
        for key in keys:
            assign = (bug == "no_accumulation" or (bug == "bias_not_accumulated" and key.startswith("db"))
                      or key not in sums)
            if bug == "only_last_step" and key in sums:
                continue  # the gradients of the first step processed (t = T_x - 1) only
            sums[key] = g[key] if assign else sums[key] + g[key]
        da_prevt = g["da_prev"]
        if lstm:
            dc_prevt = g["dc_prev"]
    return {"dx": dx, "da0": da_prevt, **sums}


def rnn_backward(da, caches, bug=None):
    return _through_time(rnn_cell_backward, ("dWax", "dWaa", "dba"), da, caches, bug, lstm=False)


def lstm_cell_backward(da_next, dc_next, cache, bug=None):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = step_cache_of(cache, LSTM_STEP)
    n_a = a_next.shape[0]
    n_x = xt.shape[0]
    tanh_c = np.tanh(c_next)
    dtanh_c = 1 - tanh_c if bug == "tanh_c_derivative_1_minus_tanh" else 1 - tanh_c**2
    dc = dc_next if bug == "dc_missing_da_path" else dc_next + da_next * ot * dtanh_c
    if bug == "gate_derivatives_missing":
        d_o, d_i, d_f = 1, 1, 1
    else:
        d_o = 1 - ot**2 if bug == "output_gate_tanh_derivative" else ot * (1 - ot)
        d_i, d_f = it * (1 - it), ft * (1 - ft)
    dot = da_next * tanh_c * d_o
    if bug == "candidate_derivative_missing":
        dcct = dc * it
    else:
        dcct = dc * it * ((1 - cct) if bug == "candidate_derivative_1_minus_cct" else (1 - cct**2))
    dit = dc * (c_prev if bug == "dit_uses_c_prev" else cct) * d_i
    dft = dc * (cct if bug == "dft_uses_cct" else c_prev) * d_f
    swapped = bug in ("concat_order_dW", "concat_order_backward")
    concat = np.concatenate((xt, a_prev)) if swapped else np.concatenate((a_prev, xt))
    grads = {}
    for gate, dz in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        grads["dW" + gate] = np.dot(dz, concat.T)
        grads["db" + gate] = np.sum(dz, axis=1, keepdims=True)
    Ws = [parameters["W" + g] for g in "fico"]
    dzs = (dft, dit, dcct, dot)
    dconcat = sum(np.dot(W.T, dz) for W, dz in zip(Ws, dzs))
    if bug == "concat_order_backward":
        da_prev, dxt = dconcat[n_x:], dconcat[:n_x]
    else:
        da_prev, dxt = dconcat[:n_a], dconcat[n_a:]
    if bug == "dxt_wrong_slice":
        dxt = sum(np.dot(W[:, :n_a].T, dz) for W, dz in zip(Ws, dzs))
    elif bug == "da_prev_wrong_slice":
        da_prev = sum(np.dot(W[:, n_a:].T, dz) for W, dz in zip(Ws, dzs))
    dc_prev = dc_next * ft if bug == "dc_prev_missing_path" else dc * ft
    return {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, **grads}


def lstm_backward(da, caches, bug=None):
    keys = tuple(k for g in "fico" for k in ("dW" + g, "db" + g))
    return _through_time(lstm_cell_backward, keys, da, caches, bug, lstm=True)


COURSE: dict[str, Callable] = {name: globals()[name] for name in CONTRACTS}


# --- running them ------------------------------------------------------------------------------------------


def course(function: str) -> Callable:
    """The course's code for ``function``, with no mistake in it."""
    return COURSE[function]


def course_with(function: str, callees: dict[str, Callable]) -> Callable:
    """The course's code for ``function``, calling the given functions in place of its contract callees.

    For a student whose forward raises but whose callees run: ``course_with("L_model_forward",
    {"linear_activation_forward": student_function})`` makes caches in the student's own format.
    """
    code = COURSE[function]
    arities = {name: len(CONTRACTS[name].inputs) for name in callees}
    # the course's code passes its ``bug`` switch last: the given functions get the contract's arguments only
    wrapped = {name: (lambda *args, _f=f, _n=arities[name]: _f(*args[:_n])) for name, f in callees.items()}
    return functools.partial(type(code)(code.__code__, {**code.__globals__, **wrapped}, code.__name__, code.__defaults__))


def mutants_for(function: str) -> dict[str, Callable]:
    """Every mutant of ``function``: name -> callable with the course's signature."""
    return {m.name: functools.partial(COURSE[function], bug=m.name) for m in MISTAKES if function in affected(m)}


def run_mutants(function: str, args: tuple) -> dict[str, Any]:
    """Each mutant's output on ``args`` (a mutant that raises on them is left out). ``args`` is not changed."""
    results = {}
    with np.errstate(all="ignore"):
        for name, mutant in mutants_for(function).items():
            try:
                results[name] = mutant(*args)
            except Exception:  # noqa: BLE001 - a mistake that cannot run on these sizes is no evidence
                continue
    return results
