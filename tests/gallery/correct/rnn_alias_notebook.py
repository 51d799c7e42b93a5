# Building_a_Recurrent_Neural_Network_Step_by_Step.ipynb, downloaded as .py
import numpy as numpy


def softmax(x):
    e_x = numpy.exp(x - numpy.max(x))
    return e_x / e_x.sum(axis=0)


def sigmoid(x):
    return 1 / (1 + numpy.exp(-x))


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = numpy.tanh(numpy.dot(Wax, xt) + numpy.dot(Waa, a_prev) + ba)
    yt_pred = softmax(numpy.dot(Wya, a_next) + by)
    cache = [a_next, a_prev, xt, parameters]
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = numpy.zeros((n_a, m, T_x))
    y_pred = numpy.zeros((n_y, m, T_x))
    h = a0
    t = 0
    while t < T_x:
        h, yhat, cache = rnn_cell_forward(x[:, :, t], h, parameters)
        a[:, :, t] = h
        y_pred[:, :, t] = yhat
        caches.append(cache)
        t += 1
    caches = [caches, x]
    return a, y_pred, caches


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    Wf, bf = parameters["Wf"], parameters["bf"]
    Wi, bi = parameters["Wi"], parameters["bi"]
    Wc, bc = parameters["Wc"], parameters["bc"]
    Wo, bo = parameters["Wo"], parameters["bo"]
    Wy, by = parameters["Wy"], parameters["by"]
    n_x, m = xt.shape
    n_y, n_a = Wy.shape
    concat = numpy.zeros((n_a + n_x, m))
    concat[: n_a, :] = a_prev
    concat[n_a:, :] = xt
    ft = sigmoid(numpy.dot(Wf, concat) + bf)
    it = sigmoid(numpy.dot(Wi, concat) + bi)
    cct = numpy.tanh(numpy.dot(Wc, concat) + bc)
    c_next = numpy.multiply(ft, c_prev) + numpy.multiply(it, cct)
    ot = sigmoid(numpy.dot(Wo, concat) + bo)
    a_next = numpy.multiply(ot, numpy.tanh(c_next))
    yt_pred = softmax(numpy.dot(Wy, a_next) + by)
    cache = [a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters]
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = numpy.zeros((n_a, m, T_x))
    c = numpy.zeros((n_a, m, T_x))
    y = numpy.zeros((n_y, m, T_x))
    a_next = a0
    c_next = numpy.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        y[:, :, t] = yt
        c[:, :, t] = c_next
        caches.append(cache)
    caches = [caches, x]
    return a, y, c, caches


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dtanh = numpy.multiply(da_next, 1 - numpy.square(a_next))
    dxt = numpy.dot(Wax.T, dtanh)
    dWax = numpy.dot(dtanh, xt.T)
    da_prev = numpy.dot(Waa.T, dtanh)
    dWaa = numpy.dot(dtanh, a_prev.T)
    dba = numpy.sum(dtanh, keepdims=True, axis=-1)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def rnn_backward(da, caches):
    caches, x = caches
    a1, a0, x1, parameters = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = numpy.zeros((n_x, m, T_x))
    dWax = numpy.zeros((n_a, n_x))
    dWaa = numpy.zeros((n_a, n_a))
    dba = numpy.zeros((n_a, 1))
    da_prevt = numpy.zeros((n_a, m))
    t = T_x - 1
    while t >= 0:
        grads_t = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = grads_t["dxt"]
        da_prevt = grads_t["da_prev"]
        dWax += grads_t["dWax"]
        dWaa += grads_t["dWaa"]
        dba += grads_t["dba"]
        t -= 1
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def lstm_cell_backward(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_x, m = xt.shape
    n_a, m = a_next.shape
    dot = da_next * numpy.tanh(c_next) * ot * (1 - ot)
    dcct = (dc_next * it + ot * (1 - numpy.tanh(c_next) ** 2) * it * da_next) * (1 - cct ** 2)
    dit = (dc_next * cct + ot * (1 - numpy.tanh(c_next) ** 2) * cct * da_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * (1 - numpy.tanh(c_next) ** 2) * c_prev * da_next) * ft * (1 - ft)
    concat = numpy.concatenate((a_prev, xt), axis=0).T
    dWf = numpy.dot(dft, concat)
    dWi = numpy.dot(dit, concat)
    dWc = numpy.dot(dcct, concat)
    dWo = numpy.dot(dot, concat)
    dbf = numpy.sum(dft, axis=1, keepdims=True)
    dbi = numpy.sum(dit, axis=1, keepdims=True)
    dbc = numpy.sum(dcct, axis=1, keepdims=True)
    dbo = numpy.sum(dot, axis=1, keepdims=True)
    Wf, Wi, Wc, Wo = parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]
    da_prev = Wf[:, :n_a].T.dot(dft) + Wi[:, :n_a].T.dot(dit) + Wc[:, :n_a].T.dot(dcct) + Wo[:, :n_a].T.dot(dot)
    dc_prev = dc_next * ft + ot * (1 - numpy.tanh(c_next) ** 2) * ft * da_next
    dxt = Wf[:, n_a:].T.dot(dft) + Wi[:, n_a:].T.dot(dit) + Wc[:, n_a:].T.dot(dcct) + Wo[:, n_a:].T.dot(dot)
    return {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf, "dWi": dWi,
            "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}


def lstm_backward(da, caches):
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = numpy.zeros((n_x, m, T_x))
    da_prevt = numpy.zeros((n_a, m))
    dc_prevt = numpy.zeros((n_a, m))
    names = ["dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo"]
    totals = {}
    for t in range(T_x - 1, -1, -1):
        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        for k in names:
            totals[k] = totals.get(k, 0) + gradients[k]
    gradients = {"dx": dx, "da0": da_prevt}
    gradients.update(totals)
    return gradients


# ---- test cells from the notebook ----
numpy.random.seed(1)
x_tmp = numpy.random.randn(3, 10, 4)
a0_tmp = numpy.random.randn(5, 10)
parameters_tmp = {}
parameters_tmp['Waa'] = numpy.random.randn(5, 5)
parameters_tmp['Wax'] = numpy.random.randn(5, 3)
parameters_tmp['Wya'] = numpy.random.randn(2, 5)
parameters_tmp['ba'] = numpy.random.randn(5, 1)
parameters_tmp['by'] = numpy.random.randn(2, 1)
a_tmp, y_tmp, caches_tmp = rnn_forward(x_tmp, a0_tmp, parameters_tmp)
print("a[4][1] = \n", a_tmp[4][1])
print("y_pred.shape = \n", y_tmp.shape)
