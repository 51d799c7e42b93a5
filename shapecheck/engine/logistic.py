"""Logistic regression with a neural-network mindset (course 1, week 2): one sigmoid unit.

The course's functions, with its signatures, in float64 (examples are columns):

    A  = σ(wᵀ·X + b)                                  (1, m)
    J  = −(1/m)·Σ [Y·log(A) + (1−Y)·log(1−A)]
    dw = (1/m)·X·(A − Y)ᵀ                             (n_x, 1), like w
    db = (1/m)·Σ (A − Y)                              a number, like b

>>> w, b = initialize_with_zeros(2)
>>> grads, cost = propagate(w, b, np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1, 0]]))
>>> round(float(cost), 6), grads["dw"].shape
(0.693147, (2, 1))
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine import activations


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), for a number or an array (the notebook's sigmoid returns s alone)."""
    return activations.sigmoid(np.asarray(z, dtype=np.float64))


def initialize_with_zeros(dim):
    """w = zeros (dim, 1), b = 0.0: a zero start is fine here, one unit has no symmetry to break."""
    return np.zeros((dim, 1)), 0.0


def _cost_from_z(Z, Y) -> float:
    # log σ(z) = −log(1 + e^(−z)), log(1 − σ(z)) = −log(1 + e^z): exact where A would round to 0 or 1
    m = Y.shape[1]
    return float(np.sum(Y * np.logaddexp(0.0, -Z) + (1 - Y) * np.logaddexp(0.0, Z)) / m)


def propagate(w, b, X, Y):
    """The cost J and its gradients {"dw": (n_x, 1), "db": number} for the current w, b."""
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    m = X.shape[1]
    Z = w.T @ X + b  # (1, m)
    A = sigmoid(Z)  # (1, m)
    dw = (1 / m) * X @ (A - Y).T  # (n_x, 1)
    db = float((1 / m) * np.sum(A - Y))  # a number: b is a number
    return {"dw": dw, "db": db}, _cost_from_z(Z, Y)


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Gradient descent: w ← w − α·dw, b ← b − α·db; the cost is kept every 100 iterations.

    Returns ``({"w", "b"}, {"dw", "db"} of the last step, costs)``; the caller's w is left alone.
    """
    w = np.array(w, dtype=np.float64)  # a copy: the 2021 notebook deep-copies, the 2017 one rebinds
    costs = []
    grads = {"dw": np.zeros_like(w), "db": 0.0}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """Y_prediction (1, m): 1.0 where σ(wᵀ·X + b) > 0.5, else 0.0 (the course's strict >)."""
    X = np.asarray(X, np.float64)
    w = np.asarray(w, np.float64).reshape(X.shape[0], 1)
    A = sigmoid(w.T @ X + b)  # (1, m)
    return (A > 0.5).astype(np.float64)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """Zeros, then ``optimize``, then ``predict`` on both sets; the notebook's dict of results."""
    w, b = initialize_with_zeros(np.shape(X_train)[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
