"""The course's code for the regularization assignment, self-contained (numpy only): reg_utils'
helpers, and the four functions with a ``bug`` switch per classic mistake (``bug=None``: the right one)."""

import numpy as np


# --- reg_utils, as the course gives it ---------------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def compute_cost(a3, Y):
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return 1.0 / m * np.nansum(logprobs)


def forward_propagation(X, parameters):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation(X, Y, cache):
    # reg_utils' own, written out: calling backward_propagation_with_regularization would ship the answer
    # to the sandbox inside the helper module's code
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T)
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T)
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T)
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def initialize_parameters(layer_dims):
    rs = np.random.RandomState(3)
    parameters = {}
    for l in range(1, len(layer_dims)):  # noqa: E741
        parameters["W" + str(l)] = rs.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def update_parameters(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def predict(X, y, parameters):
    a3, _ = forward_propagation(X, parameters)
    return (a3 > 0.5).astype(int)


def predict_dec(parameters, X):
    a3, _ = forward_propagation(X, parameters)
    return a3 > 0.5


def load_2D_dataset():
    rs = np.random.RandomState(0)
    X = rs.randn(2, 20)
    return X, (X[:1] > 0).astype(float), X, (X[:1] > 0).astype(float)


def plot_decision_boundary(*args, **kwargs):
    return None


# --- the graded functions ------------------------------------------------------------------------------

def compute_cost_with_regularization(A3, Y, parameters, lambd, bug=None):
    if bug == "reg_notebook_lambd":
        lambd = 0.7
    m = Y.shape[1]
    weights = ("W1", "W2") if bug == "reg_cost_missing_W3" else ("W1", "W2", "W3")
    if bug == "reg_cost_not_squared":
        total = sum(np.sum(parameters[k]) for k in weights)
    else:
        total = sum(np.sum(np.square(parameters[k])) for k in weights)
    factor = lambd / m if bug == "reg_cost_lambda_over_m" else lambd / (2 * m)
    return compute_cost(A3, Y) + factor * total


def backward_propagation_with_regularization(X, Y, cache, lambd, bug=None):
    if bug == "reg_notebook_lambd":
        lambd = 0.7
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    term = lambd / (2 * m) if bug == "reg_backward_lambda_over_2m" else lambd / m
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T) + term * W3
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T) + term * W2
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T) + (0 if bug == "reg_backward_missing_l2_dW1" else term * W1)
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def _at(bug, name, layer):
    """A mistake written in both hidden layers (``name``) or in one of them (``name_1``, ``name_2``)."""
    return bug in (name, f"{name}_{layer}")


def _drop(A, keep_prob, layer, bug):
    """One hidden layer's inverted dropout, the course's four steps, with the layer's mistakes."""
    D = (np.random.randn if _at(bug, "reg_dropout_randn", layer) else np.random.rand)(A.shape[0], A.shape[1])
    D = (D > keep_prob if _at(bug, "reg_dropout_mask_inverted", layer) else D < keep_prob).astype(int)
    A = A * D
    if _at(bug, "reg_dropout_multiplies", layer):
        return A * keep_prob, D
    if _at(bug, "reg_dropout_no_rescale", layer):
        return A, D
    return A / keep_prob, D


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, bug=None):
    np.random.seed(1)
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    A1, D1 = _drop(relu(Z1), keep_prob, 1, bug)
    Z2 = np.dot(W2, A1) + b2
    if bug == "reg_dropout_reseeded":
        np.random.seed(1)
    A2, D2 = _drop(relu(Z2), keep_prob, 2, bug)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob, bug=None):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = tuple(cache)
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T)
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3) * D2
    if not _at(bug, "reg_dropout_backward_no_rescale", 2):
        dA2 = dA2 / keep_prob
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T)
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2) * D1
    if not _at(bug, "reg_dropout_backward_no_rescale", 1):
        dA1 = dA1 / keep_prob
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T)
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
