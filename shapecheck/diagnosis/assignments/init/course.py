"""The course's code for the initialization assignment, self-contained (numpy only), with a ``bug``
switch per classic mistake (``bug=None``: the right one)."""

import numpy as np


def initialize_parameters_zeros(layers_dims, bug=None):
    parameters = {}
    for l in range(1, len(layers_dims)):  # noqa: E741
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros(layers_dims[l]) if bug == "init_b_rank1" else np.zeros((layers_dims[l], 1))
    return parameters


def _seeded(layers_dims, scale, bug):
    rs = np.random.RandomState(3)
    parameters = {}
    last = len(layers_dims) - (1 if bug == "init_skip_last_layer" else 0)
    for l in range(1, last):  # noqa: E741
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        shape = (n_prev, n) if bug == "init_W_transposed" else (n, n_prev)
        parameters["W" + str(l)] = rs.randn(*shape) * scale(n, n_prev)
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def initialize_parameters_random(layers_dims, bug=None):
    factor = 0.01 if bug == "random_scale_001" else 10
    return _seeded(layers_dims, lambda n, n_prev: factor, bug)


def initialize_parameters_he(layers_dims, bug=None):
    def scale(n, n_prev):
        if bug == "he_fan_out":
            return np.sqrt(2.0 / n)
        if bug == "he_no_sqrt":
            return 2.0 / n_prev
        if bug == "he_xavier":
            return np.sqrt(1.0 / n_prev)
        return np.sqrt(2.0 / n_prev)
    return _seeded(layers_dims, scale, bug)
