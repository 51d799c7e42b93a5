"""Planar data classification with one hidden layer (course 1, week 3): LINEAR→TANH→LINEAR→SIGMOID.

The course's functions and signatures, float64, examples are columns:

    Z1 = W1·X + b1    (n_h, m);   A1 = tanh(Z1)
    Z2 = W2·A1 + b2   (n_y, m);   A2 = σ(Z2)
    dZ2 = A2 − Y;  dW2 = (1/m)·dZ2·A1ᵀ;  db2 = (1/m)·Σ dZ2
    dZ1 = W2ᵀ·dZ2 ∗ (1 − A1²);  dW1 = (1/m)·dZ1·Xᵀ;  db1 = (1/m)·Σ dZ1

Editions: the 2017–20 notebook's ``initialize_parameters`` re-seeds (``np.random.seed(2)``) and its
``compute_cost(A2, Y, parameters)`` takes the unused parameters; the 2021+ one draws from the
caller's stream and has ``compute_cost(A2, Y)``. Both ``nn_model`` start with ``np.random.seed(3)``.
Random numbers come from a private ``RandomState`` with the course's seed: the same numbers as the
notebook's, and the caller's global stream is left alone.

>>> X, Y = np.ones((2, 3)), np.array([[0, 1, 1]])
>>> layer_sizes(X, Y)
(2, 4, 1)
"""

from __future__ import annotations

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.engine import activations

EDITIONS = ("2017", "2021")


def layer_sizes(X, Y):
    """(n_x, n_h, n_y): input size, the notebook's 4 hidden units, output size."""
    return np.shape(X)[0], 4, np.shape(Y)[0]


def initialize_parameters(n_x, n_h, n_y, *, rng=None):
    """W1 randn(n_h, n_x)·0.01, b1 zeros (n_h, 1), W2 randn(n_y, n_h)·0.01, b2 zeros (n_y, 1).

    ``rng`` is the stream to draw from; None means the 2017–20 notebook's ``np.random.seed(2)``.
    """
    rng = np.random.RandomState(2) if rng is None else rng
    W1 = rng.randn(n_h, n_x) * 0.01  # (n_h, n_x)
    W2 = rng.randn(n_y, n_h) * 0.01  # (n_y, n_h): drawn after W1, as the notebook does
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


def forward_propagation(X, parameters):
    """A2 and the cache {"Z1", "A1", "Z2", "A2"}."""
    X = np.asarray(X, np.float64)
    Z1 = parameters["W1"] @ X + parameters["b1"]  # (n_h, m)
    A1 = np.tanh(Z1)  # (n_h, m)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]  # (n_y, m)
    A2 = activations.sigmoid(Z2)  # (n_y, m)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y, parameters=None):
    """J = −(1/m)·Σ [Y·log(A2) + (1−Y)·log(1−A2)], a float (``parameters`` is the 2017 edition's unused argument)."""
    A2, Y = np.asarray(A2, np.float64), np.asarray(Y, np.float64)
    m = Y.shape[1]
    logprobs = Y * np.log(A2) + (1 - Y) * np.log(1 - A2)
    return float(-np.sum(logprobs) / m)


def backward_propagation(parameters, cache, X, Y):
    """{"dW1", "db1", "dW2", "db2"}: exactly ∂J/∂W and ∂J/∂b."""
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y  # (n_y, m)
    dW2 = (1 / m) * dZ2 @ A1.T  # (n_y, n_h)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)  # (n_y, 1)
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - A1**2)  # (n_h, m): tanh'(Z1) = 1 − A1²
    dW1 = (1 / m) * dZ1 @ X.T  # (n_h, n_x)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)  # (n_h, 1)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """θ ← θ − α·dθ for W1, b1, W2, b2, in a new dict (the caller's arrays are left alone)."""
    return {name: parameters[name] - learning_rate * grads["d" + name] for name in ("W1", "b1", "W2", "b2")}


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, *, edition="2021"):
    """Train from the course's seeds: ``np.random.seed(3)``, then (2017–20) ``initialize_parameters`` re-seeds with 2."""
    if edition not in EDITIONS:
        raise ShapecheckError("engine.planar_edition", edition=edition, editions=", ".join(EDITIONS))
    rng = np.random.RandomState(3)
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y, rng=None if edition == "2017" else rng)
    for _ in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


def predict(parameters, X):
    """predictions (1, m): True where A2 > 0.5 (the notebook returns the boolean array)."""
    A2, _ = forward_propagation(X, parameters)
    return A2 > 0.5
