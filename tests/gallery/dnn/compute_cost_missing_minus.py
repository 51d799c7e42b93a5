"""Week 4 assignment 1 -- deep NN step by step.

I rewrote it with @ and dict caches because I kept mixing up the tuple order.
No dnn_utils import: the activations are written inline.
"""
import numpy as np


def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    # Z[l] = W[l] A[l-1] + b[l]   (b broadcasts over the m columns)
    Z = W @ A + b
    cache = {"A_prev": A, "W": W, "b": b}
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = 1.0 / (1.0 + np.exp(-Z))
    elif activation == "relu":
        A = np.maximum(Z, 0)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    cache = {"linear": linear_cache, "Z": Z}
    return A, cache


def L_model_forward(X, parameters):
    caches = []
    L = len(parameters) // 2
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    logprobs = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
    cost = np.sum(logprobs) / m
    return float(cost)


def linear_backward(dZ, cache):
    A_prev, W = cache["A_prev"], cache["W"]
    m = A_prev.shape[1]
    dW = (dZ @ A_prev.T) / m
    db = dZ.sum(axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    Z = cache["Z"]
    if activation == "relu":
        dZ = dA * (Z > 0)          # relu'(z) = 1 if z > 0 else 0
    elif activation == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-Z))
        dZ = dA * s * (1 - s)      # sigmoid'(z) = s(1 - s)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return linear_backward(dZ, cache["linear"])


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)

    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads[f"dA{L-1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")

    for l in range(L - 1, 0, -1):
        # layer l is relu, its cache is caches[l-1]
        grads[f"dA{l-1}"], grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            grads[f"dA{l}"], caches[l - 1], "relu"
        )
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new_parameters = {}
    for l in range(1, L + 1):
        new_parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new_parameters[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new_parameters
