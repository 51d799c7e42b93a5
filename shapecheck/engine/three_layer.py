"""The three-layer network of the regularization and gradient-checking notebooks (reg_utils, gc_utils).

LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID, float64, examples are columns. The cache is the course's
12-tuple ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``; the gradients dict has the course's
keys ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``. The cost is the notebooks'
``compute_cost``: −(1/m)·Σ [Y·log(A3) + (1−Y)·log(1−A3)] with ``nansum`` (0·log 0 counts as 0).

``backward_propagation(X, Y, cache, lambd=0.0, masks=None, keep_prob=1.0)`` is the one backward
that regularization.py (λ) and dropout.py (masks D1, D2) specialise.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine import activations


def forward_propagation(X, parameters):
    """A3 (1, m) and the course's 12-tuple cache."""
    X = np.asarray(X, np.float64)
    W1, b1, W2, b2, W3, b3 = (np.asarray(parameters[k], np.float64) for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1  # (n1, m)
    A1 = activations.relu(Z1)
    Z2 = W2 @ A1 + b2  # (n2, m)
    A2 = activations.relu(Z2)
    Z3 = W3 @ A2 + b3  # (1, m)
    A3 = activations.sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def compute_cost(A3, Y):
    """−(1/m)·Σ [Y·log(A3) + (1−Y)·log(1−A3)], as reg_utils writes it (``nansum``)."""
    A3, Y = np.asarray(A3, np.float64), np.asarray(Y, np.float64)
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = -np.log(A3) * Y + -np.log(1 - A3) * (1 - Y)
    return float(np.nansum(logprobs) / m)


def backward_propagation(X, Y, cache, lambd=0.0, masks=None, keep_prob=1.0):
    """The course's gradients; λ adds (λ/m)·W[l] to dW[l]; masks (D1, D2) drop and rescale dA1, dA2."""
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    dZ3 = A3 - Y  # (1, m)
    dW3 = (1 / m) * dZ3 @ A2.T + (lambd / m) * W3  # (1, n2)
    db3 = (1 / m) * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = W3.T @ dZ3  # (n2, m)
    if masks is not None:
        dA2 = dA2 * masks[1] / keep_prob  # the units forward dropped get no gradient
    dZ2 = dA2 * (A2 > 0)  # relu'(Z2), read from A2 as the notebooks do
    dW2 = (1 / m) * dZ2 @ A1.T + (lambd / m) * W2  # (n2, n1)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = W2.T @ dZ2  # (n1, m)
    if masks is not None:
        dA1 = dA1 * masks[0] / keep_prob
    dZ1 = dA1 * (A1 > 0)
    dW1 = (1 / m) * dZ1 @ X.T + (lambd / m) * W1  # (n1, n0)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
