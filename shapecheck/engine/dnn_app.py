"""The deep-network application notebook (course 1, week 4, "Deep Neural Network - Application").

``two_layer_model`` and ``L_layer_model`` train LINEAR→RELU→...→LINEAR→SIGMOID on (X, Y) with the
notebook's seeds, using dnn_app_utils_v3's initializers:

- two layers: ``np.random.seed(1)``; W = randn·0.01 (course_inits.initialize_parameters);
- L layers: ``np.random.seed(1)``; W[l] = randn(n[l], n[l-1]) / √n[l-1] (``initialize_parameters_deep`` here).

Each iteration: forward, cost, backward, W ← W − α·dW. The cost is kept every 100 iterations.
The 2021+ notebook returns ``(parameters, costs)``, the 2017–20 one ``parameters``: this returns the pair.
``predict(X, y, parameters)`` is dnn_app_utils_v3's: p (1, m) with 1 where A[L] > 0.5.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine import dense
from shapecheck.engine.course_inits import initialize_parameters


def initialize_parameters_deep(layer_dims):
    """dnn_app_utils_v3's: ``np.random.seed(1)``, W[l] = randn(n[l], n[l-1]) / √n[l-1], b[l] zeros."""
    rng = np.random.RandomState(1)
    parameters = {}
    for l in range(1, len(layer_dims)):  # noqa: E741 - the course's index
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def _train(X, Y, layers_dims, parameters, learning_rate, num_iterations):
    costs = []
    for i in range(num_iterations):
        AL, caches = dense.forward(list(layers_dims), parameters, X)
        if i % 100 == 0:
            costs.append(dense.compute_cost(AL, Y))
        grads = dense.backward(list(layers_dims), AL, Y, caches)
        parameters = dense.update_params(parameters, grads, learning_rate)
    return parameters, costs


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """(parameters, costs) of LINEAR→RELU→LINEAR→SIGMOID, ``layers_dims = (n_x, n_h, n_y)``."""
    n_x, n_h, n_y = layers_dims
    return _train(X, Y, layers_dims, initialize_parameters(n_x, n_h, n_y), learning_rate, num_iterations)


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):  # noqa: N802
    """(parameters, costs) of [LINEAR→RELU]×(L−1)→LINEAR→SIGMOID."""
    return _train(X, Y, layers_dims, initialize_parameters_deep(layers_dims), learning_rate, num_iterations)


def predict(X, y, parameters):
    """p (1, m): 1.0 where A[L] > 0.5, else 0.0 (the notebook's helper also prints the accuracy)."""
    L = len(parameters) // 2
    dims = [np.shape(X)[0]] + [np.shape(parameters[f"W{l}"])[0] for l in range(1, L + 1)]
    AL, _ = dense.forward(dims, parameters, X)
    return (AL > 0.5).astype(np.float64)
