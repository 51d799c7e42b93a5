"""Seeded three-layer nets for the regularization assignment.

Sizes n0 = 3, n1 = 5, n2 = 4, n3 = 1 (no two equal, so a mask or a weight of the wrong layer cannot
broadcast by luck) with m = 6, 1 and 4; λ = 0.37, 0.1 and 0.23, keep_prob = 0.7, 0.62 and 0.8: none is the
notebook's (0.7 for λ, 0.86 for keep_prob), so a function that reads the notebook's number instead of
its argument shows. Every ReLU input stays away from 0; A3 stays within (0.05, 0.95).
"""

import numpy as np

from shapecheck.diagnosis.plugin import KINK_MARGIN, Case, arrays, rng as _rng
from shapecheck.engine import dropout, three_layer

DIMS = (3, 5, 4, 1)


def _net(rng, m):
    for _ in range(1000):
        params = arrays("dense_params", _sizes(m), lambda key, shape: rng.standard_normal(shape) * (1.2 / np.sqrt(shape[1]))
                        if key[0] == "W" else rng.uniform(-0.5, 0.5, shape), L=3)
        X = rng.standard_normal((DIMS[0], m))
        A3, cache = three_layer.forward_propagation(X, params)
        Z1, Z2 = cache[0], cache[4]
        if min(np.abs(Z1).min(), np.abs(Z2).min()) > KINK_MARGIN and (Z2 > 0).any() and np.all((A3 > 0.05) & (A3 < 0.95)):
            break
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    if m > 1:
        Y[0, :2] = 1.0, 0.0
    return X, Y, params, cache


def _sizes(m):
    return {"m": m, **{f"n{l}": n for l, n in enumerate(DIMS)}, "L": 3, "layer_dims": list(DIMS)}


def _cases(name, build):
    def cases(seed):
        out = []
        for k, (m, value) in enumerate(((6, 0.37), (1, 0.1), (4, 0.23)) if "regularization" in name else ((6, 0.7), (1, 0.62), (4, 0.8))):
            X, Y, params, cache = _net(_rng(seed, name, k), m)
            args, forward_args = build(X, Y, params, cache, value)
            out.append(Case(name, args, f"n={list(DIMS)}, m={m}, {'lambd' if 'regularization' in name else 'keep_prob'}={value}", _sizes(m), forward_args))
        return out
    return cases


def _dropout_backward(X, Y, params, cache, keep_prob):
    _, dropped = dropout.forward_propagation_with_dropout(X, params, keep_prob)
    return (X, Y, dropped, keep_prob), (X, params, keep_prob)


CASES = {
    "compute_cost_with_regularization": _cases("compute_cost_with_regularization", lambda X, Y, p, c, v: ((c[9], Y, p, v), None)),
    "backward_propagation_with_regularization": _cases("backward_propagation_with_regularization", lambda X, Y, p, c, v: ((X, Y, c, v), None)),
    "forward_propagation_with_dropout": _cases("forward_propagation_with_dropout", lambda X, Y, p, c, v: ((X, p, v), None)),
    "backward_propagation_with_dropout": _cases("backward_propagation_with_dropout", _dropout_backward),
}
