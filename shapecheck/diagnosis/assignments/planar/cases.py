"""Seeded inputs for planar data classification: n_x, n_h, n_y and m all different (n_x ≠ 2, the planar
data's, and n_h ≠ 4, layer_sizes' own, so neither can be typed in), one case with m = 1, biases ≠ 0, tanh
and sigmoid inputs within ±3, labels of both classes, learning rates that are not the notebook's 1.2. The
network has one output unit where the notebook asserts it (forward_propagation: A2.shape == (1, m)).

``initialize_parameters`` is called after ``np.random.seed(2)``, as the 2021+ notebook's test cell does
(``Case.global_seed``): the 2017–20 function seeds itself with 2, so both editions draw the same numbers."""

import numpy as np

from shapecheck.diagnosis.plugin import Case, rng as _rng

SIZES = ((3, 5, 1, 7), (5, 3, 2, 1), (1, 6, 1, 4))  # (n_x, n_h, n_y, m)


def _sizes(n_x, n_h, n_y, m):
    return {"n_x": n_x, "n_h": n_h, "n_y": n_y, "m": m}


def _label(n_x, n_h, n_y, m):
    return f"n_x={n_x}, n_h={n_h}, n_y={n_y}, m={m}"


def _parameters(rng, n_x, n_h, n_y):
    return {"W1": rng.standard_normal((n_h, n_x)) * 0.5, "b1": rng.uniform(-0.5, 0.5, (n_h, 1)),
            "W2": rng.standard_normal((n_y, n_h)) * 0.5, "b2": rng.uniform(-0.5, 0.5, (n_y, 1))}


def _labels(rng, n_y, m):
    Y = (rng.uniform(size=(n_y, m)) < 0.5).astype(float)
    if m > 1:
        Y[:, :2] = [[1.0, 0.0]]
    return Y


def _data(function, seed, k, n_x, n_h, n_y, m):
    rng = _rng(seed, function, k)
    X = rng.standard_normal((n_x, m))
    return rng, X, _labels(rng, n_y, m), _parameters(rng, n_x, n_h, n_y)


def _cache(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": 1 / (1 + np.exp(-Z2))}


def _each(function, make, n_y=None):
    """One case per SIZES; ``n_y``: the output size the function's notebook asserts (forward_propagation: 1)."""
    def cases(seed):
        chosen = [(n_x, n_h, n_y or n, m) for n_x, n_h, n, m in SIZES]
        return [Case(function, make(*_data(function, seed, k, *sizes)), _label(*sizes), _sizes(*sizes))
                for k, sizes in enumerate(chosen)]
    return cases


def _initialize(seed):
    return [Case("initialize_parameters", (n_x, n_h, n_y), _label(n_x, n_h, n_y, m), _sizes(n_x, n_h, n_y, m), global_seed=2)
            for n_x, n_h, n_y, m in SIZES]


def _cost(seed):
    cases = []
    for k, (n_x, n_h, n_y, m) in enumerate(SIZES):
        rng, _, Y, parameters = _data("compute_cost", seed, k, n_x, n_h, 1, m)
        A2 = rng.uniform(0.05, 0.95, (1, m))
        cases.append(Case("compute_cost", (A2, Y, parameters), _label(n_x, n_h, 1, m), _sizes(n_x, n_h, 1, m)))
    return cases


def _update(seed):
    cases = []
    for k, (sizes, rate) in enumerate(zip(SIZES, (0.5, 0.05, 2.0))):
        rng, _, _, parameters = _data("update_parameters", seed, k, *sizes)
        grads = {f"d{name}": rng.standard_normal(value.shape) for name, value in parameters.items()}
        cases.append(Case("update_parameters", (parameters, grads, rate), f"{_label(*sizes)}, learning_rate={rate}", _sizes(*sizes)))
    return cases


def _nn_model(seed):
    cases = []
    for k, ((n_x, n_h, _, m), iterations) in enumerate(zip(((3, 5, 1, 7), (5, 3, 1, 1), (2, 6, 1, 5)), (60, 40, 80))):
        _, X, Y, _ = _data("nn_model", seed, k, n_x, n_h, 1, m)
        cases.append(Case("nn_model", (X, Y, n_h, iterations, False), f"{_label(n_x, n_h, 1, m)}, {iterations} iterations",
                          _sizes(n_x, n_h, 1, m)))
    return cases


def _predict(seed):
    cases = []
    for k, (n_x, n_h, _, m) in enumerate(SIZES):
        _, X, _, parameters = _data("predict", seed, k, n_x, n_h, 1, m)
        cases.append(Case("predict", (parameters, X), _label(n_x, n_h, 1, m), _sizes(n_x, n_h, 1, m)))
    return cases


CASES = {
    "layer_sizes": _each("layer_sizes", lambda rng, X, Y, parameters: (X, Y)),
    "initialize_parameters": _initialize,
    "forward_propagation": _each("forward_propagation", lambda rng, X, Y, parameters: (X, parameters), n_y=1),
    "compute_cost": _cost,
    "backward_propagation": _each("backward_propagation", lambda rng, X, Y, parameters: (parameters, _cache(X, parameters), X, Y),
                                  n_y=1),
    "update_parameters": _update,
    "nn_model": _nn_model,
    "predict": _predict,
}
