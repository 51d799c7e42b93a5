"""Plain gradient descent on the course's parameter dict (course 2, week 2): θ ← θ − α·dθ.

``parameters`` holds W1, b1, ..., WL, bL and ``grads`` dW1, db1, ...; L = len(parameters) // 2.
Every function here returns new arrays: the caller's are left alone.
"""

from __future__ import annotations


def layers(parameters) -> range:
    """l = 1..L, for a dict of W[l] and b[l]."""
    return range(1, len(parameters) // 2 + 1)


def update_parameters_with_gd(parameters, grads, learning_rate):
    """W[l] ← W[l] − α·dW[l];  b[l] ← b[l] − α·db[l]."""
    updated = dict(parameters)
    for l in layers(parameters):  # noqa: E741 - the course's index
        for p in ("W", "b"):
            updated[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[f"d{p}{l}"]
    return updated
