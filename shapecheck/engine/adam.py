"""The course's Adam on its dicts (course 2, week 2), with bias correction; t counts steps from 1.

    v = β₁·v + (1 − β₁)·dW            v_corrected = v / (1 − β₁ᵗ)
    s = β₂·s + (1 − β₂)·dW²           s_corrected = s / (1 − β₂ᵗ)
    W = W − α·v_corrected / (√s_corrected + ε)

ε sits outside the square root, after the correction (the course's and the paper's form; Keras's
Adam in optimizers.py folds the correction into α instead). The 2017–20 notebook returns
``(parameters, v, s)``; the 2021+ one also ``v_corrected, s_corrected``: this returns all five.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.gd import layers
from shapecheck.engine.momentum import initialize_velocity


def initialize_adam(parameters):
    """v and s, zeros with the keys dW1, db1, ..."""
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One Adam step at step t ≥ 1: (parameters, v, s, v_corrected, s_corrected), all new dicts."""
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for l in layers(parameters):  # noqa: E741 - the course's index
        for p in ("W", "b"):
            d = f"d{p}{l}"
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1**t)
            s[d] = beta2 * s[d] + (1 - beta2) * np.square(grads[d])
            s_corrected[d] = s[d] / (1 - beta2**t)
            parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
