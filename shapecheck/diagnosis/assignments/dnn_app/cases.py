"""Small seeded problems for the two models, labels of both kinds: X (4, 7), 201 iterations at learning
rate 0.05 (the notebook's are 3000 and 0.0075), layers (4, 3, 1) and [4, 5, 3, 1]; then two short runs
on other sizes and rates."""

from shapecheck.diagnosis.plugin import Case, rng as _rng


def _data(rng, n_x=4, m=7):
    X = rng.standard_normal((n_x, m))
    Y = (X[:1] + 0.5 * X[1:2] > 0).astype(float)
    Y[0, :2] = 1.0, 0.0
    return X, Y


def _sizes(dims, m, iterations):
    return {**{f"n{l}": n for l, n in enumerate(dims)}, "m": m, "k": (iterations - 1) // 100 + 1, "L": len(dims) - 1}


# (layers, m, iterations, learning_rate): the first is the one the hint rules were written on; the others are
# short runs on other sizes (a hard-coded size or iteration count shows there)
TWO = (((4, 3, 1), 7, 201, 0.05), ((3, 5, 1), 5, 61, 0.1), ((5, 2, 1), 6, 41, 0.2))
DEEP = (([4, 5, 3, 1], 7, 201, 0.05), ([3, 4, 2, 1], 5, 61, 0.1), ([5, 3, 1], 6, 41, 0.2))


def _cases(name, table):
    def cases(seed):
        out = []
        for k, (dims, m, iterations, rate) in enumerate(table):
            X, Y = _data(_rng(seed, name, k), dims[0], m)
            out.append(Case(name, (X, Y, dims, rate, iterations), f"layers {dims}, m={m}, {iterations} iterations, learning_rate={rate}",
                            _sizes(dims, m, iterations)))
        return out
    return cases


CASES = {"two_layer_model": _cases("two_layer_model", TWO), "L_layer_model": _cases("L_layer_model", DEEP)}
