# RNN / LSTM step by step, with type hints, @ and dict caches
from typing import Dict, Tuple

import numpy as np

Arr = np.ndarray


def softmax(z: Arr) -> Arr:
    z = z - np.max(z, axis=0, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=0, keepdims=True)


def rnn_cell_forward(xt: Arr, a_prev: Arr, parameters: Dict[str, Arr]) -> Tuple[Arr, Arr, dict]:
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    cache = {"a_next": a_next, "a_prev": a_prev, "xt": xt, "parameters": p}
    return a_next, yt_pred, cache


def rnn_forward(x: Arr, a0: Arr, parameters: Dict[str, Arr]):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    steps = []
    a_t = a0
    for t in range(T_x):
        a_t, y_t, cache = rnn_cell_forward(x[:, :, t], a_t, parameters)
        a[:, :, t], y_pred[:, :, t] = a_t, y_t
        steps.append(cache)
    return a, y_pred, {"steps": steps, "x": x}


def lstm_cell_forward(xt: Arr, a_prev: Arr, c_prev: Arr, parameters: Dict[str, Arr]):
    p = parameters
    concat = np.vstack([a_prev, xt])
    ft = 1 / (1 + np.exp(-(p["Wf"] @ concat + p["bf"])))
    it = 1 / (1 + np.exp(-(p["Wi"] @ concat + p["bi"])))
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = 1 / (1 + np.exp(-(p["Wo"] @ concat + p["bo"])))
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    cache = {"a_next": a_next, "c_next": c_next, "a_prev": a_prev, "c_prev": c_prev,
             "ft": ft, "it": it, "cct": cct, "ot": ot, "xt": xt, "parameters": p}
    return a_next, c_next, yt_pred, cache


def lstm_forward(x: Arr, a0: Arr, parameters: Dict[str, Arr]):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_t, c_t = a0, np.zeros_like(a0)
    steps = []
    for t in range(T_x):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)
        a[:, :, t] = a_t
        c[:, :, t] = c_t
        y[:, :, t] = y_t
        steps.append(cache)
    return a, y, c, {"steps": steps, "x": x}


def rnn_cell_backward(da_next: Arr, cache: dict) -> Dict[str, Arr]:
    a_next, a_prev, xt, p = cache["a_next"], cache["a_prev"], cache["xt"], cache["parameters"]
    dz = da_next * (1 - a_next ** 2)
    return {
        "dxt": p["Wax"].T @ dz,
        "da_prev": p["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_next.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


def rnn_backward(da: Arr, caches: dict) -> Dict[str, Arr]:
    steps, x = caches["steps"], caches["x"]
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da[:, :, t] + da_prev, steps[t])
        dx[:, :, t] = g["dxt"]
        da_prev = g["da_prev"]
        dWax = dWax + g["dWax"]
        dWaa = dWaa + g["dWaa"]
        dba = dba + g["dba"]
    return {"dx": dx, "da0": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def lstm_cell_backward(da_next: Arr, dc_next: Arr, cache: dict) -> Dict[str, Arr]:
    k = cache
    a_next, c_next, a_prev, c_prev = k["a_next"], k["c_next"], k["a_prev"], k["c_prev"]
    ft, it, cct, ot, xt, p = k["ft"], k["it"], k["cct"], k["ot"], k["xt"], k["parameters"]
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc ** 2)
    dot = da_next * tc * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.vstack([a_prev, xt])
    out = {}
    for name, d in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        out["dW" + name] = d @ concat.T
        out["db" + name] = d.sum(axis=1, keepdims=True)
    dconcat = (p["Wf"].T @ dft + p["Wi"].T @ dit + p["Wc"].T @ dcct + p["Wo"].T @ dot)
    out["da_prev"] = dconcat[:n_a]
    out["dxt"] = dconcat[n_a:]
    out["dc_prev"] = dc * ft
    return out


def lstm_backward(da: Arr, caches: dict) -> Dict[str, Arr]:
    steps, x = caches["steps"], caches["x"]
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    acc = {k: np.zeros((n_a, n_a + n_x)) for k in ("dWf", "dWi", "dWc", "dWo")}
    acc.update({k: np.zeros((n_a, 1)) for k in ("dbf", "dbi", "dbc", "dbo")})
    da_prev = np.zeros((n_a, m))
    dc_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, steps[t])
        da_prev, dc_prev = g["da_prev"], g["dc_prev"]
        dx[:, :, t] = g["dxt"]
        for k in acc:
            acc[k] += g[k]
    return {"dx": dx, "da0": da_prev, **acc}
