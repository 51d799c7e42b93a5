import numpy as np


def _softmax(z):
    ez = np.exp(z - z.max(axis=0))
    return ez / ez.sum(axis=0)


def _sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # numerically stable sigmoid


def rnn_cell_forward(xt, a_prev, parameters):
    pre = np.dot(parameters["Wax"], xt) + np.dot(parameters["Waa"], a_prev) + parameters["ba"]
    a_next = np.tanh(pre)
    yt_pred = _softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y = parameters["Wya"].shape[0]
    n_a = a0.shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_a, m, T_x))
    caches = []
    prev = a0
    for t in range(T_x):
        prev, y_pred[..., t], cache = rnn_cell_forward(x[..., t], prev, parameters)
        a[..., t] = prev
        caches.append(cache)
    return a, y_pred, (tuple(caches), x)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    n_a = a_prev.shape[0]
    W = np.concatenate([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]], axis=0)
    b = np.concatenate([parameters["bf"], parameters["bi"], parameters["bc"], parameters["bo"]], axis=0)
    z = W @ np.concatenate([a_prev, xt]) + b
    ft = _sig(z[:n_a])
    it = _sig(z[n_a:2 * n_a])
    cct = np.tanh(z[2 * n_a:3 * n_a])
    ot = _sig(z[3 * n_a:])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = _softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros_like(a)
    y = np.zeros((n_y, m, T_x))
    a_next, c_next = a0, np.zeros_like(a0)
    caches = []
    for t in range(T_x):
        a_next, c_next, y[..., t], cache = lstm_cell_forward(x[..., t], a_next, c_next, parameters)
        a[..., t], c[..., t] = a_next, c_next
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = (1 - np.square(a_next)) * da_next
    grads = dict(
        dxt=parameters["Wax"].T.dot(dz),
        da_prev=parameters["Waa"].T.dot(dz),
        dWax=dz.dot(xt.T),
        dWaa=dz.dot(a_prev.T),
        dba=dz.sum(1, keepdims=True),
    )
    return grads


def rnn_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    grads = {"dx": np.zeros((n_x, m, T_x)), "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)),
             "dba": np.zeros((n_a, 1))}
    carry = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        step = rnn_cell_backward(da[..., t] + carry, caches[t])
        grads["dx"][..., t] = step["dxt"]
        for k in ("dWax", "dWaa", "dba"):
            grads[k] += step[k]
        carry = step["da_prev"]
    grads["da0"] = carry
    return grads


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc_total = dc_next + da_next * ot * (1 - tanh_c ** 2)
    dgates = np.concatenate([
        dc_total * c_prev * ft * (1 - ft),
        dc_total * cct * it * (1 - it),
        dc_total * it * (1 - cct ** 2),
        da_next * tanh_c * ot * (1 - ot),
    ], axis=0)
    W = np.concatenate([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]], axis=0)
    concat = np.concatenate([a_prev, xt])
    dW = dgates @ concat.T
    db = dgates.sum(axis=1, keepdims=True)
    dconcat = W.T @ dgates
    out = {"da_prev": dconcat[:n_a], "dxt": dconcat[n_a:], "dc_prev": dc_total * ft}
    for k, g in enumerate("fico"):
        out["dW" + g] = dW[k * n_a:(k + 1) * n_a]
        out["db" + g] = db[k * n_a:(k + 1) * n_a]
    return out


def lstm_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    out = {"dx": np.zeros((n_x, m, T_x))}
    for g in "fico":
        out["dW" + g] = np.zeros((n_a, n_a + n_x))
        out["db" + g] = np.zeros((n_a, 1))
    da_c = np.zeros((n_a, m))
    dc_c = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[..., t] + da_c, dc_c, caches[t])
        out["dx"][..., t] = step["dxt"]
        for g in "fico":
            out["dW" + g] += step["dW" + g]
            out["db" + g] += step["db" + g]
        da_c, dc_c = step["da_prev"], step["dc_prev"]
    out["da0"] = da_c
    return out
