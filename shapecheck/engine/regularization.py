"""L2 regularization (course 2, week 1): the cost's extra term and the gradients' extra terms.

    J_reg = J + (1/m)·(λ/2)·Σ_l ‖W[l]‖²_F          (λ/2m, not λ/m: the ½ cancels the square's 2)
    dW[l] += (λ/m)·W[l]

The notebook's functions work on the three-layer network (three_layer.py).
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine import three_layer


def l2_cost(parameters, lambd, m):
    """(1/m)·(λ/2)·Σ ‖W[l]‖², over every W[l] in ``parameters``."""
    squares = sum(float(np.sum(np.square(W))) for name, W in parameters.items() if name.startswith("W"))
    return (1 / m) * (lambd / 2) * squares


def l2_gradient(W, lambd, m):
    """(λ/m)·W: what the L2 term adds to dW."""
    return (lambd / m) * W


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """The notebook's cross-entropy plus the L2 term of W1, W2, W3."""
    m = np.shape(Y)[1]
    weights = {k: parameters[k] for k in ("W1", "W2", "W3")}
    return three_layer.compute_cost(A3, Y) + l2_cost(weights, lambd, m)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """The three-layer backward with (λ/m)·W[l] added to each dW[l]."""
    return three_layer.backward_propagation(X, Y, cache, lambd=lambd)
