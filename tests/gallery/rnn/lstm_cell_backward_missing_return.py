# RNN / LSTM step by step -- my own version with @, softmax written inline
# shapes: x (n_x, m, T_x), a (n_a, m, T_x), W_gate (n_a, n_a + n_x) acting on [a_prev; x_t]

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]

    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)

    z = Wya @ a_next + by
    e = np.exp(z - z.max(axis=0, keepdims=True))      # softmax over the classes (rows), per example
    yt_pred = e / e.sum(axis=0, keepdims=True)

    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_t = a0
    for t in range(T_x):
        a_t, y_t, cache = rnn_cell_forward(x[:, :, t], a_t, parameters)
        a[:, :, t] = a_t
        y_pred[:, :, t] = y_t
        caches.append(cache)
    return a, y_pred, (caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    n_x, m = xt.shape
    n_a = a_prev.shape[0]

    # stack [a_prev; xt]
    concat = np.zeros((n_a + n_x, m))
    concat[:n_a, :] = a_prev
    concat[n_a:, :] = xt

    ft = _sigmoid(parameters["Wf"] @ concat + parameters["bf"])   # forget gate
    it = _sigmoid(parameters["Wi"] @ concat + parameters["bi"])   # update gate
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])   # candidate
    c_next = ft * c_prev + it * cct
    ot = _sigmoid(parameters["Wo"] @ concat + parameters["bo"])   # output gate
    a_next = ot * np.tanh(c_next)

    z = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    yt_pred = e / e.sum(axis=0, keepdims=True)

    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    caches = []
    a_t = a0
    c_t = np.zeros_like(a0)
    for t in range(T_x):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_t, c_t, y_t
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next ** 2)          # tanh'(z) = 1 - tanh(z)^2 = 1 - a^2
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    grads = {
        "dx": np.zeros((n_x, m, T_x)),
        "dWax": np.zeros((n_a, n_x)),
        "dWaa": np.zeros((n_a, n_a)),
        "dba": np.zeros((n_a, 1)),
    }
    da_carry = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t] + da_carry, cell_caches[t])
        grads["dx"][:, :, t] = g["dxt"]
        grads["dWax"] += g["dWax"]
        grads["dWaa"] += g["dWaa"]
        grads["dba"] += g["dba"]
        da_carry = g["da_prev"]
    grads["da0"] = da_carry
    return grads


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]

    tanh_c = np.tanh(c_next)
    # total gradient flowing into c_next: directly, and through a_next = ot * tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c ** 2)

    # gradients w.r.t. the pre-activations of the gates
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct ** 2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)

    concat = np.vstack([a_prev, xt])
    grads = {}
    for gate, dz in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        grads["dW" + gate] = dz @ concat.T
        grads["db" + gate] = dz.sum(axis=1, keepdims=True)

    dconcat = (parameters["Wf"].T @ dft + parameters["Wi"].T @ dit
               + parameters["Wc"].T @ dcct + parameters["Wo"].T @ dot)
    grads["da_prev"] = dconcat[:n_a, :]
    grads["dxt"] = dconcat[n_a:, :]
    grads["dc_prev"] = dc * ft



def lstm_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]

    dx = np.zeros((n_x, m, T_x))
    sums = {k: np.zeros((n_a, n_a + n_x)) for k in ("dWf", "dWi", "dWc", "dWo")}
    sums.update({k: np.zeros((n_a, 1)) for k in ("dbf", "dbi", "dbc", "dbo")})

    da_prev = np.zeros((n_a, m))
    dc_prev = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        g = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, cell_caches[t])
        dx[:, :, t] = g["dxt"]
        for k in sums:
            sums[k] = sums[k] + g[k]
        da_prev, dc_prev = g["da_prev"], g["dc_prev"]

    gradients = {"dx": dx, "da0": da_prev}
    gradients.update(sums)
    return gradients
