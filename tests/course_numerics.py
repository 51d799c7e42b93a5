"""Centered differences of a scalar function of a dict of arrays, for the course's engine tests."""

from __future__ import annotations

import numpy as np

from finite_differences import EPS


def numeric_gradients(J, parameters, eps=EPS):
    """{name: ∂J/∂parameters[name]} by centered differences; ``J(parameters)`` returns a float."""
    grads = {}
    for name, value in parameters.items():
        value = np.asarray(value, np.float64)
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[index] += eps
            minus[index] -= eps
            grad[index] = (J({**parameters, name: plus}) - J({**parameters, name: minus})) / (2 * eps)
        grads[name] = grad
    return grads
