"""The course's initializers, with the notebooks' seeds and scales (course 2, week 1; course 1, week 4).

- ``initialize_parameters_zeros(layers_dims)``: every W[l] and b[l] zeros; the units stay symmetric.
- ``initialize_parameters_random(layers_dims)``: ``np.random.seed(3)``, W[l] = randn(n[l], n[l-1])·10.
- ``initialize_parameters_he(layers_dims)``: ``np.random.seed(3)``, W[l] = randn(n[l], n[l-1])·√(2/n[l-1]).
- ``initialize_parameters(n_x, n_h, n_y)``: the two-layer network of "Deep network step by step" and
  of the application notebook, ``np.random.seed(1)``, W = randn·0.01.

Random numbers come from a private ``RandomState`` with the notebook's seed: the notebook's numbers,
and the caller's global stream is left alone. b[l] is always zeros (n[l], 1).

>>> p = initialize_parameters_he([3, 2, 1]); p["W1"].shape, p["b2"].shape
((2, 3), (1, 1))
"""

from __future__ import annotations

import numpy as np

SEED_INIT_ASSIGNMENT = 3  # initialize_parameters_random and _he
SEED_TWO_LAYER = 1  # Deep network step by step: initialize_parameters(n_x, n_h, n_y)


def initialize_parameters_zeros(layers_dims):
    """W[l] = zeros (n[l], n[l-1]), b[l] = zeros (n[l], 1)."""
    parameters = {}
    for l in range(1, len(layers_dims)):  # noqa: E741 - the course's index
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def _seeded(layers_dims, scale, seed):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):  # noqa: E741 - the course's index
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters[f"W{l}"] = rng.randn(n, n_prev) * scale(n_prev)  # (n[l], n[l-1])
        parameters[f"b{l}"] = np.zeros((n, 1))  # (n[l], 1)
    return parameters


def initialize_parameters_random(layers_dims):
    """W[l] = randn(n[l], n[l-1])·10 from seed 3: large weights, so the sigmoid saturates."""
    return _seeded(layers_dims, lambda n_prev: 10.0, SEED_INIT_ASSIGNMENT)


def initialize_parameters_he(layers_dims):
    """W[l] = randn(n[l], n[l-1])·√(2/n[l-1]) from seed 3 (He et al., 2015)."""
    return _seeded(layers_dims, lambda n_prev: np.sqrt(2.0 / n_prev), SEED_INIT_ASSIGNMENT)


def initialize_parameters(n_x, n_h, n_y, *, rng=None):
    """The two-layer network: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1); W = randn·0.01.

    ``rng`` is the stream to draw from; None means the notebook's ``np.random.seed(1)``.
    """
    rng = np.random.RandomState(SEED_TWO_LAYER) if rng is None else rng
    W1 = rng.randn(n_h, n_x) * 0.01
    W2 = rng.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
