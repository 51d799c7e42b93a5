"""Gradient clipping (course 5, week 1): every entry of dWaa, dWax, dWya, db, dby into [−maxValue, maxValue].

Clipping stops an exploding gradient from throwing the parameters far off in one step; it changes
only the entries beyond the bound. This returns new arrays (the 2017 notebook clips in place with
``out=``; the 2021+ one first deep-copies the dict).

>>> clip({"dWaa": np.array([[10.0, -0.5]]), "dWax": np.zeros((1, 1)), "dWya": np.zeros((1, 1)),
...       "db": np.zeros((1, 1)), "dby": np.zeros((1, 1))}, 5)["dWaa"]
array([[ 5. , -0.5]])
"""

from __future__ import annotations

import numpy as np

CLIPPED = ("dWaa", "dWax", "dWya", "db", "dby")


def clip(gradients, maxValue):  # noqa: N803 - the notebook's name
    """{"dWaa", "dWax", "dWya", "db", "dby"} clipped to [−maxValue, maxValue]; other keys are dropped, as the notebook's are."""
    return {k: np.clip(gradients[k], -maxValue, maxValue) for k in CLIPPED}
