"""Cases for gradient checking.

1-D: x = 3, θ = 5 (so θ·x, θ + x and x·x all differ), and the same with a wrong backward_propagation
standing in (2x, then −x): a right gradient_check reports 1/3 and 1 there. N-D: the notebook's own
test case (np.random.seed(1); X (4, 3), Y = [1, 1, 0], the [4, 5, 3, 1] network), with the right
gradients and with the ones the notebook's planted backward_propagation_n makes (difference ≈ 0.2851).
"""

import numpy as np

from shapecheck.diagnosis.plugin import Case, arrays, rng as _rng
from shapecheck.engine import gradient_checking as gc

SIZES = {"n0": 4, "n1": 5, "n2": 3, "n3": 1, "m": 3, "L": 3, "layer_dims": list(gc.LAYER_DIMS)}


def notebook_case():
    """gradient_check_n_test_case of the notebook's testCases."""
    rs = np.random.RandomState(1)
    X = rs.randn(4, 3)
    Y = np.array([[1.0, 1.0, 0.0]])
    params = {"W1": rs.randn(5, 4), "b1": rs.randn(5, 1), "W2": rs.randn(3, 5), "b2": rs.randn(3, 1), "W3": rs.randn(1, 3), "b3": rs.randn(1, 1)}
    return X, Y, params


def seeded_case(rng, m):
    """The notebook's [4, 5, 3, 1] network (gc_utils hard-codes it) on m seeded examples with labels of both kinds."""
    X = rng.standard_normal((4, m))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    Y[0, :2] = 1.0, 0.0
    return X, Y, arrays("dense_params", SIZES, lambda key, shape: rng.standard_normal(shape), L=3)


def _sizes(m):
    return {**SIZES, "m": m}


def _drawn_scalars(rng):
    x, theta = float(rng.uniform(-4, 4)), float(rng.uniform(0.5, 6))
    return (x, theta), f"x={x:.3g}, theta={theta:.3g}"


def _scalar(name):
    def cases(seed):
        args, label = _drawn_scalars(_rng(seed, name, 0))
        return [Case(name, (3.0, 5.0), "x=3, theta=5", {}), Case(name, (-2.0, 0.5), "x=-2, theta=0.5", {}), Case(name, args, label, {})]
    return cases


def _gradient_check(seed):
    return [Case("gradient_check", (3.0, 5.0), "x=3, theta=5", {}),
            Case("gradient_check", (3.0, 5.0), "x=3, theta=5, with a backward_propagation that returns 2x",
                 {}, stand_ins={"backward_propagation": "backward_propagation_doubled"}),
            Case("gradient_check", (3.0, 5.0), "x=3, theta=5, with a backward_propagation that returns −x",
                 {}, stand_ins={"backward_propagation": "backward_propagation_negated"}),
            Case("gradient_check", *_drawn_scalars(_rng(seed, "gradient_check", 0)), {})]


def _forward_n(seed):
    X, Y, params = notebook_case()
    drawn = [(m, seeded_case(_rng(seed, "forward_propagation_n", k), m)) for k, m in enumerate((5, 2))]
    return [Case("forward_propagation_n", (X, Y, params), "the notebook's test case", SIZES)] + [
        Case("forward_propagation_n", case, f"layers [4, 5, 3, 1], m={m}", _sizes(m)) for m, case in drawn]


def _backward_n(seed):
    cases = []
    for k, (m, label) in enumerate(((3, "the notebook's test case"), (5, "layers [4, 5, 3, 1], m=5"), (2, "layers [4, 5, 3, 1], m=2"))):
        X, Y, params = notebook_case() if k == 0 else seeded_case(_rng(seed, "backward_propagation_n", k), m)
        _, cache = gc.forward_propagation_n(X, Y, params)
        cases.append(Case("backward_propagation_n", (X, Y, cache), label, _sizes(m), forward_args=(X, Y, params)))
    return cases


def _gradient_check_n(seed):
    X, Y, params = notebook_case()
    _, cache = gc.forward_propagation_n(X, Y, params)
    right, planted = gc.backward_propagation_n(X, Y, cache), gc.backward_propagation_n_as_shipped(X, Y, cache)
    # the planted gradients first: there a one-sided difference and a doubled one give different numbers
    return [Case("gradient_check_n", (params, planted, X, Y), "the notebook's test case, the planted gradients", SIZES),
            Case("gradient_check_n", (params, right, X, Y), "the notebook's test case, right gradients", SIZES),
            _drawn_gradient_check_n(_rng(seed, "gradient_check_n", 0))]


def _drawn_gradient_check_n(rng):
    X, Y, params = seeded_case(rng, 5)
    _, cache = gc.forward_propagation_n(X, Y, params)
    return Case("gradient_check_n", (params, gc.backward_propagation_n(X, Y, cache), X, Y), "layers [4, 5, 3, 1], m=5, right gradients", _sizes(5))


CASES = {"forward_propagation": _scalar("forward_propagation"), "backward_propagation": _scalar("backward_propagation"),
         "gradient_check": _gradient_check, "forward_propagation_n": _forward_n, "backward_propagation_n": _backward_n,
         "gradient_check_n": _gradient_check_n}
