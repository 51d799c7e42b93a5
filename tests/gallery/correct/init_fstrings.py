import numpy as np


def initialize_parameters_zeros(layers_dims):
    return {name: np.zeros(shape)
            for l in range(1, len(layers_dims))
            for name, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])), (f"b{l}", (layers_dims[l], 1)))}


def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters[f"W{l}"] = 10 * np.random.randn(n, n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * (2 / n_prev) ** 0.5
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
