"""The course's own code for the deep-network assignment ("Building your Deep Neural Network: Step by
Step"), self-contained: numpy only, never shapecheck. The diagnosis imports it, and sends this file's
source into the sandbox, where it is compiled afresh for each use:

- the helpers of the course's dnn_utils (``sigmoid``, ``relu``, ``sigmoid_backward``, ``relu_backward``),
  which a student's file imports;
- the course's functions, each with a ``bug`` switch per classic mistake (``bug=None``: the right one).
  They stand in for a student's function when a root cause is sought (so they read the caches students
  make: see ``linear_cache_of``), and give the mutants' outputs that the hint rules compare;
- ``numeric_objective``: J(θ) for the gradient check of L_model_backward against the student's own
  L_model_forward and compute_cost.
"""

from collections.abc import Mapping
from typing import Any

import numpy as np

# --- dnn_utils, as the course gives it ------------------------------------------------------------------


def sigmoid(Z):
    """A = σ(Z), cache = Z."""
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z):
    """A = max(0, Z), cache = Z."""
    A = np.maximum(0, Z)
    return A, Z


def relu_backward(dA, cache):
    """dZ = dA where Z > 0, else 0 (cache is Z)."""
    Z = cache
    dZ = np.array(dA, copy=True, dtype=float)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    """dZ = dA ∗ σ(Z)·(1 − σ(Z)) (cache is Z)."""
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)


# --- reading the caches students make ---------------------------------------------------------------------


def _first(mapping: Mapping, *keys: str) -> Any:
    for key in keys:
        if key in mapping:
            return mapping[key]
    raise KeyError(f"the cache has none of the keys {keys}: it has {sorted(map(str, mapping))}")


def linear_cache_of(cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A_prev, W, b) from a linear cache: the course's tuple, a longer flat tuple, or a dict."""
    if isinstance(cache, Mapping):
        return _first(cache, "A_prev", "A", "A_previous"), _first(cache, "W"), _first(cache, "b")
    A_prev, W, b = tuple(cache)[:3]
    return A_prev, W, b


def layer_cache_of(cache: Any) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """((A_prev, W, b), Z) from one layer's cache, in any of the layouts students use.

    ``((A_prev, W, b), Z)`` (the course's), ``(A_prev, W, b, Z)`` (flat), ``{"linear_cache", "activation_cache"}``,
    ``{"linear", "Z"}``, ``{"A_prev", "W", "b", "Z"}``; an activation cache that is itself a tuple or a dict
    gives its first array (or its "Z").
    """
    if isinstance(cache, Mapping):
        if any(k in cache for k in ("linear_cache", "linear")):
            linear = _first(cache, "linear_cache", "linear")
        else:
            linear = cache
        Z = _first(cache, "activation_cache", "Z", "activation")
    else:
        items = tuple(cache)
        if len(items) >= 4:
            linear, Z = items[:3], items[3]
        else:
            linear, Z = items
    if isinstance(Z, Mapping):
        Z = _first(Z, "Z")
    elif isinstance(Z, (tuple, list)):
        Z = Z[0]
    return linear_cache_of(linear), Z


# --- the course's code, with a switch for each mistake ------------------------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


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


def initialize_parameters(n_x, n_h, n_y, bug=None):
    """The two-layer network: np.random.seed(1) in the function, W = randn * 0.01, b = zeros."""
    if bug != "two_layer_no_seed":
        np.random.seed(1)
    scale = 1.0 if bug == "two_layer_no_scale" else 0.01
    W1 = np.random.randn(n_h, n_x) * scale
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * scale
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims, bug=None):
    rng = np.random.RandomState(3)
    parameters = {}
    for l in range(1, len(layer_dims)):  # noqa: E741
        parameters["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


# --- the gradient check's objective -------------------------------------------------------------------


def numeric_objective(L_model_forward, compute_cost, X, Y, parameters):
    """J(θ) = compute_cost(L_model_forward(X, θ)[0], Y), θ = {W1, b1, ..., WL, bL} (float64 copies),
    and the names to differentiate, in the course's order."""
    X, Y = np.array(X, dtype=np.float64), np.array(Y, dtype=np.float64)

    def J(theta):
        AL = L_model_forward(X.copy(), {k: np.array(v, dtype=np.float64) for k, v in theta.items()})[0]
        return float(np.asarray(compute_cost(AL, Y.copy()), dtype=np.float64).reshape(()))  # a (1, 1) cost is one number

    theta = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
    names = sorted((k for k in theta if k[:1] in ("W", "b") and k[1:].isdigit()), key=lambda k: (int(k[1:]), k[0] == "b"))
    return J, theta, names
