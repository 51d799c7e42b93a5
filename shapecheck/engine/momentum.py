"""Gradient descent with momentum (course 2, week 2), on the course's dicts.

    v_dW[l] = β·v_dW[l] + (1 − β)·dW[l]        (an exponentially weighted average of the gradients)
    W[l]    = W[l] − α·v_dW[l]                 (and the same for b[l])

v starts at zeros with the keys dW1, db1, ..., each the shape of its parameter.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.gd import layers


def initialize_velocity(parameters):
    """{"dW{l}": zeros like W[l], "db{l}": zeros like b[l]}."""
    v = {}
    for l in layers(parameters):  # noqa: E741 - the course's index
        v[f"dW{l}"] = np.zeros(np.shape(parameters[f"W{l}"]))
        v[f"db{l}"] = np.zeros(np.shape(parameters[f"b{l}"]))
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One momentum step: (parameters, v), both new dicts."""
    parameters, v = dict(parameters), dict(v)
    for l in layers(parameters):  # noqa: E741 - the course's index
        for p in ("W", "b"):
            d = f"d{p}{l}"
            v[d] = beta * v[d] + (1 - beta) * grads[d]
            parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * v[d]
    return parameters, v
