"""The course's own code for the recurrent assignment ("Building a Recurrent Neural Network: Step by
Step"), self-contained: numpy only, never shapecheck. The diagnosis imports it, and sends this file's
source into the sandbox, where it is compiled afresh for each use:

- the helpers of the course's rnn_utils (``softmax`` over axis 0, ``sigmoid``), which a student imports;
- the course's functions, each with a ``bug`` switch per classic mistake (``bug=None``: the right one),
  reading the caches students make (``step_cache_of``, ``through_time_of``);
- ``numeric_objective``: J = Σ a ∗ da for a gradient check of rnn_backward / lstm_backward.
"""

from collections.abc import Mapping
from typing import Any

import numpy as np

# --- rnn_utils, as the course gives it ------------------------------------------------------------------


def softmax(x):
    """Softmax over axis 0 (the classes of each column)."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)


def sigmoid(x):
    """σ(x), the array only."""
    return 1 / (1 + np.exp(-x))


# --- reading the caches students make ---------------------------------------------------------------------


def _first(mapping: Mapping, *keys: str) -> Any:
    for key in keys:
        if key in mapping:
            return mapping[key]
    raise KeyError(f"the cache has none of the keys {keys}: it has {sorted(map(str, mapping))}")


RNN_STEP = ("a_next", "a_prev", "xt", "parameters")


LSTM_STEP = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters")


_STEP_ALIASES = {"xt": ("xt", "x_t", "x"), "parameters": ("parameters", "params", "p"), "cct": ("cct", "c_tilde", "cc")}


def step_cache_of(cache: Any, items: tuple[str, ...]) -> Any:
    """One step's cache in the course's tuple order: the course's tuple (or a list), or a dict keyed by the
    course's names (``{"a_next": ..., "a_prev": ..., "xt": ..., "parameters": ...}``)."""
    if isinstance(cache, Mapping):
        return tuple(_first(cache, *_STEP_ALIASES.get(name, (name,))) for name in items)
    if isinstance(cache, list):
        return tuple(cache)
    return cache


def through_time_of(caches: Any, items: tuple[str, ...]) -> Any:
    """(list of step caches, x) from what a student's rnn_forward / lstm_forward returned: the course's pair
    (tuple or list), or a dict holding the step caches (a list) and x (an array)."""
    if isinstance(caches, Mapping):
        steps = next((v for v in caches.values() if isinstance(v, (list, tuple))), None)
        x = next((v for v in caches.values() if isinstance(v, np.ndarray) and v.ndim == 3), None)
        if steps is None or x is None:
            raise KeyError(f"the caches hold no list of step caches and no x: keys {sorted(map(str, caches))}")
        caches = (steps, x)
    if isinstance(caches, (tuple, list)) and len(caches) == 2 and isinstance(caches[0], (list, tuple)):
        steps, x = caches
        if any(isinstance(step, (Mapping, list)) for step in steps):
            steps = [step_cache_of(step, items) for step in steps]
        return (steps, x)
    return caches


# --- the course's code, with a switch for each mistake ------------------------------------------------

_GATES = {"f": "forget", "i": "update", "c": "candidate", "o": "output"}


GATE_SWAPS: dict[str, tuple[str, str, bool]] = {
    f"{_GATES[g]}_gate_uses_W{h}{'_b' + h if with_b else ''}": (g, h, with_b)
    for g in "fico" for h in "fico" if h != g for with_b in (False, True)
}


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
    elif bug == "tanh_derivative_missing":  # dtanh = da_next: tanh'(z) = 1 − a_next² left out
        dtanh = da_next
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
    if bug == "tanh_c_derivative_missing":  # dc = dc_next + ot · da_next: (1 − tanh²(c_next)) left out
        dtanh_c = 1
    dc = dc_next if bug == "dc_missing_da_path" else dc_next + da_next * ot * dtanh_c
    if bug == "gate_derivatives_missing":
        d_o, d_i, d_f = 1, 1, 1
    else:
        d_o = 1 - ot**2 if bug == "output_gate_tanh_derivative" else ot * (1 - ot)
        d_i, d_f = it * (1 - it), ft * (1 - ft)
        if bug == "output_gate_derivative_missing":  # σ'(z_o) = ot(1 − ot) left out of dot
            d_o = 1
        elif bug == "update_gate_derivative_missing":
            d_i = 1
        elif bug == "forget_gate_derivative_missing":
            d_f = 1
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


# --- the gradient check's objective -------------------------------------------------------------------

RNN_KEYS = ("Wax", "Waa", "ba")
LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")


def numeric_objective(forward, x, a0, parameters, da):
    """J = Σ a ∗ da of rnn_forward or lstm_forward (the LSTM is recognised by its "Wf"), θ = x, a0 and
    the weights (float64 copies), and the names to differentiate: x, a0, then the weights."""
    da = np.array(da, dtype=np.float64)
    keys = LSTM_KEYS if "Wf" in parameters else RNN_KEYS
    theta = {"x": np.array(x, dtype=np.float64), "a0": np.array(a0, dtype=np.float64),
             **{k: np.array(v, dtype=np.float64) for k, v in parameters.items()}}

    def J(values):
        copies = {k: np.array(v, dtype=np.float64) for k, v in values.items()}
        a = forward(copies.pop("x"), copies.pop("a0"), copies)[0]
        return float(np.sum(np.asarray(a, dtype=np.float64) * da))

    return J, theta, ["x", "a0", *(k for k in keys if k in theta)]
