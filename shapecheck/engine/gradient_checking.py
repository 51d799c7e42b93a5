"""The gradient-checking notebook (course 2, week 1): a 1-D check, then the three-layer network's.

1-D: J(θ) = θ·x, so dJ/dθ = x. N-D: the three-layer network of three_layer.py with the gc_utils
vector helpers, whose ``vector_to_dictionary`` fixes the notebook's sizes [4, 5, 3, 1] (47 numbers).

The measure: difference = ‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂), with centered
differences (J(θ + ε) − J(θ − ε)) / 2ε and ε = 1e-7; the notebook's bar is 1e-7 (1-D), 2e-7 (N-D).

The notebook ships ``backward_propagation_n`` with two planted mistakes for the student to find
(``PLANTED``): dW2 multiplied by 2 and db1 by 4. ``backward_propagation_n_as_shipped`` keeps them,
so its difference (near 0.285 on the notebook's test case) can be recognised in a student's file.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine import three_layer

LAYER_DIMS = (4, 5, 3, 1)  # gc_utils.vector_to_dictionary hard-codes these
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
PLANTED = {"dW2": 2.0, "db1": 4.0}  # the notebook's planted factors: dW2 · 2, db1 · 4/1


def forward_propagation(x, theta):
    """J = θ·x."""
    return theta * x


def backward_propagation(x, theta):
    """dJ/dθ = x."""
    return x


def _difference(grad, gradapprox) -> float:
    numerator = np.linalg.norm(np.subtract(grad, gradapprox))
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return float(numerator / denominator) if denominator > 0 else 0.0


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """The course's difference between backward_propagation's x and the centered difference of θ·x."""
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    return _difference(backward_propagation(x, theta), gradapprox)


def _shapes(layer_dims):
    shapes = {}
    for l in range(1, len(layer_dims)):  # noqa: E741 - the course's index
        shapes[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"b{l}"] = (layer_dims[l], 1)
    return shapes


def dictionary_to_vector(parameters):
    """θ (n, 1): W1, b1, W2, b2, W3, b3 flattened in C order and stacked; and each entry's key."""
    pieces = [np.reshape(parameters[k], (-1, 1)) for k in KEYS]
    keys = [k for k, piece in zip(KEYS, pieces) for _ in range(piece.shape[0])]
    return np.concatenate(pieces, axis=0).astype(np.float64), keys


def vector_to_dictionary(theta, layer_dims=LAYER_DIMS):
    """The inverse of dictionary_to_vector, for the notebook's sizes unless told others."""
    theta = np.asarray(theta, np.float64).reshape(-1)
    parameters, start = {}, 0
    for key, shape in _shapes(layer_dims).items():
        size = shape[0] * shape[1]
        parameters[key] = theta[start : start + size].reshape(shape)
        start += size
    return parameters


def gradients_to_vector(gradients):
    """dW1, db1, dW2, db2, dW3, db3 flattened and stacked, (n, 1); other keys (dZ, dA) are ignored."""
    return np.concatenate([np.reshape(gradients["d" + k], (-1, 1)) for k in KEYS], axis=0).astype(np.float64)


def forward_propagation_n(X, Y, parameters):
    """The cost (−(1/m)·Σ of the log-likelihood, with ``sum``, not ``nansum``) and the 12-tuple cache."""
    A3, cache = three_layer.forward_propagation(X, parameters)
    Y = np.asarray(Y, np.float64)
    m = np.shape(X)[1]
    logprobs = -np.log(A3) * Y + -np.log(1 - A3) * (1 - Y)
    return float(np.sum(logprobs) / m), cache


def backward_propagation_n(X, Y, cache):
    """The correct gradients of the three-layer network (the course's keys)."""
    return three_layer.backward_propagation(X, Y, cache)


def backward_propagation_n_as_shipped(X, Y, cache):
    """What the notebook hands out: dW2 and db1 carry the planted factors (2 and 4)."""
    gradients = backward_propagation_n(X, Y, cache)
    for key, factor in PLANTED.items():
        gradients[key] = gradients[key] * factor
    return gradients


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False, *, layer_dims=LAYER_DIMS):
    """The difference between ``gradients`` and the centered differences of forward_propagation_n."""
    return _difference(*grad_and_gradapprox_n(parameters, gradients, X, Y, epsilon, layer_dims=layer_dims))


def grad_and_gradapprox_n(parameters, gradients, X, Y, epsilon=1e-7, *, layer_dims=LAYER_DIMS):
    """The two (n, 1) vectors gradient_check_n compares: ``gradients`` stacked, and the centered differences."""
    theta, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i, 0] += epsilon
        minus[i, 0] -= epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(plus, layer_dims))
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(minus, layer_dims))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return grad, gradapprox
