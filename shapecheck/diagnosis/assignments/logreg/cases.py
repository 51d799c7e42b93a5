"""Seeded inputs for logistic regression: n_x = 3 and m = 5 (and m = 1), b ≠ 0, labels of both kinds,
w·x + b within ±3; optimize and model run 101 to 150 iterations at learning rates 0.02 to 0.2 (not
the notebook's 100/0.009 and 2000/0.5), so a typed-in number or a costs list kept every iteration shows."""

from shapecheck.diagnosis.plugin import Case, rng as _rng


def _data(rng, n_x, m):
    X = rng.standard_normal((n_x, m))
    w = rng.standard_normal((n_x, 1)) * 0.5
    b = float(rng.uniform(0.1, 0.5))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    if m > 1:
        Y[0, :2] = 1.0, 0.0
    return w, b, X, Y


def _sizes(n_x, m):
    return {"n_x": n_x, "m": m, "n": 1}


def _sigmoid(seed):
    rng = _rng(seed, "sigmoid", 0)
    return [Case("sigmoid", (rng.uniform(-3, 3, (1, 5)),), "z (1, 5)", {"n": 1, "m": 5}),
            Case("sigmoid", (rng.uniform(-3, 3, (3, 2)),), "z (3, 2)", {"n": 3, "m": 2}),
            Case("sigmoid", (rng.uniform(-3, 3, (2, 1)),), "z (2, 1)", {"n": 2, "m": 1})]


def _init(seed):
    return [Case("initialize_with_zeros", (dim,), f"dim={dim}", {"n_x": dim}) for dim in (4, 1, 7)]


def _propagate(seed):
    return [Case("propagate", _data(_rng(seed, "propagate", k), 3, m), f"n_x=3, m={m}", _sizes(3, m)) for k, m in enumerate((5, 1, 4))]


def _optimize(seed):
    cases = []
    for k, (n_x, m, iterations, rate) in enumerate(((3, 5, 150, 0.05), (1, 4, 101, 0.2), (4, 1, 130, 0.02))):
        w, b, X, Y = _data(_rng(seed, "optimize", k), n_x, m)
        cases.append(Case("optimize", (w, b, X, Y, iterations, rate, False),
                          f"n_x={n_x}, m={m}, {iterations} iterations, learning_rate={rate}", {**_sizes(n_x, m), "k": 2}))
    return cases


def _predict(seed):
    cases = []
    for k, m in enumerate((6, 1, 4)):
        w, b, X, _ = _data(_rng(seed, "predict", k), 3, m)
        cases.append(Case("predict", (w, b, X), f"n_x=3, m={m}", _sizes(3, m)))
    w, _, X, _ = _data(_rng(seed, "predict", 3), 3, 5)
    X[:, 2] = 0.0  # with b = 0, A = σ(0) = 0.5 exactly at example 2: "> 0.5" says 0 there (the untrained model's case)
    cases.append(Case("predict", (w, 0.0, X), "n_x=3, m=5, b=0, A=0.5 at example 2", _sizes(3, 5)))
    return cases


def _model(seed):
    cases = []
    for k, (n_x, m, iterations, rate) in enumerate(((3, 7, 120, 0.1), (4, 6, 101, 0.05), (2, 5, 140, 0.03))):
        w, b, X, Y = _data(_rng(seed, "model", k), n_x, m)
        cases.append(Case("model", (X, Y, X[:, :2], Y[:, :2], iterations, rate, False),
                          f"n_x={n_x}, m={m}, {iterations} iterations, learning_rate={rate}", {**_sizes(n_x, m), "m_test": 2, "k": 2}))
    return cases


CASES = {"sigmoid": _sigmoid, "initialize_with_zeros": _init, "propagate": _propagate, "optimize": _optimize,
         "predict": _predict, "model": _model}
