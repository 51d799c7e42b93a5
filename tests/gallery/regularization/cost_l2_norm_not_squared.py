# Regularization, written with loops over the layers and @
import numpy as np
from reg_utils import compute_cost


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = sum(np.linalg.norm(parameters[f"W{l}"]) for l in (1, 2, 3))
    return compute_cost(A3, Y) + lambd * l2 / (2 * m)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    A = {0: X, 1: A1, 2: A2, 3: A3}
    W = {1: W1, 2: W2, 3: W3}
    grads = {}
    dZ = A3 - Y
    for l in (3, 2, 1):
        grads[f"dZ{l}"] = dZ
        grads[f"dW{l}"] = dZ @ A[l - 1].T / m + lambd / m * W[l]
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            dA = W[l].T @ dZ
            grads[f"dA{l - 1}"] = dA
            dZ = dA * (A[l - 1] > 0)
    return grads


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    A = X
    cache = []
    for l in (1, 2):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A = relu(Z)
        D = np.random.rand(*A.shape) < keep_prob
        A = np.multiply(A, D) / keep_prob
        cache += [Z, D, A, W, b]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z3 = W3 @ A + b3
    A3 = sigmoid(Z3)
    cache += [Z3, A3, W3, b3]
    return A3, tuple(cache)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = A3 - Y
    dA2 = (W3.T @ dZ3) * D2 / keep_prob
    dZ2 = dA2 * (A2 > 0)
    dA1 = (W2.T @ dZ2) * D1 / keep_prob
    dZ1 = dA1 * (A1 > 0)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(axis=1, keepdims=True) / m,
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m,
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m}
