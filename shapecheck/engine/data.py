"""Small synthetic binary-classification sets, made by numpy from a seed (nothing is downloaded).

Each returns X (n_x, m) and Y (1, m), float64, examples as columns as the course stores them,
labels 0 and 1. The same seed gives the same set.

- ``make_flower``: the course's planar "flower" (two classes as the petals of r = 4·sin(4t));
  a straight line cannot separate them, a small hidden layer can.
- ``make_moons``: two interleaving half circles.
- ``make_circles``: a small circle inside a large one.
- ``make_linear``: half the points on each side of a random hyperplane, with a margin: logistic regression suffices.

``split(X, Y, test_fraction, seed)`` shuffles the columns and returns X_train, Y_train, X_test, Y_test.
"""

from __future__ import annotations

import numpy as np

from shapecheck.core.errors import ShapecheckError


def _count(name: str, value: object, least: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
        raise ShapecheckError("engine.bad_count", name=name, value=value, least=least)
    return int(value)


def _nonnegative(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not 0 <= value < float("inf"):
        raise ShapecheckError("engine.bad_nonnegative", name=name, value=value)
    return float(value)


def _halves(m: int) -> tuple[int, int]:
    """Examples of class 0 and class 1: as even as m allows."""
    return m - m // 2, m // 2


def make_flower(m: int = 400, seed: int | None = 0, noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """The course's planar data set: a flower whose petals alternate between the two classes.

    Class j has angles t spread over [3.12·j, 3.12·(j+1)] and radius r = 4·sin(4t), both with
    Gaussian noise; the point is (r·sin t, r·cos t).

    >>> X, Y = make_flower(m=400)
    >>> X.shape, Y.shape, float(Y.mean())
    ((2, 400), (1, 400), 0.5)
    """
    m, noise = _count("m", m, 2), _nonnegative("noise", noise)
    rng = np.random.default_rng(seed)
    X = np.empty((2, m))  # (n_x, m)
    Y = np.empty((1, m))  # (1, m)
    start = 0
    for j, count in enumerate(_halves(m)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, count) + rng.standard_normal(count) * noise  # angle
        r = 4 * np.sin(4 * t) + rng.standard_normal(count) * noise  # radius: a = 4, the petals' length
        X[:, start : start + count] = r * np.sin(t), r * np.cos(t)
        Y[:, start : start + count] = j
        start += count
    return X, Y


def make_moons(m: int = 400, seed: int | None = 0, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 the upper one, class 1 the lower one, shifted right.

    >>> X, Y = make_moons(m=5)
    >>> X.shape, Y.tolist()
    ((2, 5), [[0.0, 0.0, 0.0, 1.0, 1.0]])
    """
    m, noise = _count("m", m, 2), _nonnegative("noise", noise)
    rng = np.random.default_rng(seed)
    m0, m1 = _halves(m)
    t0, t1 = np.linspace(0, np.pi, m0), np.linspace(0, np.pi, m1)
    X = np.hstack([np.vstack([np.cos(t0), np.sin(t0)]), np.vstack([1 - np.cos(t1), 0.5 - np.sin(t1)])])  # (2, m)
    X += rng.standard_normal(X.shape) * noise
    Y = np.hstack([np.zeros(m0), np.ones(m1)])[np.newaxis, :]  # (1, m)
    return X, Y


def make_circles(m: int = 400, seed: int | None = 0, noise: float = 0.05, factor: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Class 0 on the unit circle, class 1 on a circle of radius ``factor`` inside it.

    >>> X, Y = make_circles(m=4, noise=0.0)
    >>> np.round(np.hypot(*X), 6).tolist()
    [1.0, 1.0, 0.5, 0.5]
    """
    m, noise = _count("m", m, 2), _nonnegative("noise", noise)
    if not 0 < factor < 1:
        raise ShapecheckError("engine.bad_factor", value=factor)
    rng = np.random.default_rng(seed)
    m0, m1 = _halves(m)
    t0 = np.linspace(0, 2 * np.pi, m0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, m1, endpoint=False)
    X = np.hstack([np.vstack([np.cos(t0), np.sin(t0)]), factor * np.vstack([np.cos(t1), np.sin(t1)])])  # (2, m)
    X += rng.standard_normal(X.shape) * noise
    Y = np.hstack([np.zeros(m0), np.ones(m1)])[np.newaxis, :]  # (1, m)
    return X, Y


def make_linear(m: int = 400, seed: int | None = 0, n_x: int = 2, margin: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Half the points on each side of a random hyperplane w·x = 0, at least ``margin`` away from it.

    Points start uniform in [−1, 1]^n_x; a point on the wrong side for its class is reflected
    across the plane, then every point moves ``margin`` further from it.

    >>> X, Y = make_linear(m=50, n_x=3)
    >>> X.shape, Y.shape, float(Y.mean())
    ((3, 50), (1, 50), 0.5)
    """
    m, n_x, margin = _count("m", m, 2), _count("n_x", n_x, 1), _nonnegative("margin", margin)
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n_x, 1))
    w /= np.linalg.norm(w)  # (n_x, 1), a unit normal
    X = rng.uniform(-1.0, 1.0, (n_x, m))  # (n_x, m)
    m0, m1 = _halves(m)
    side = np.hstack([-np.ones(m0), np.ones(m1)])[np.newaxis, :]  # (1, m): class 0 below the plane, class 1 above
    distance = w.T @ X  # (1, m), signed
    wrong = np.sign(distance) != side
    X -= 2 * (distance * wrong) * w  # reflect the points on the wrong side: x − 2(w·x)w
    X += margin * side * w  # every point at least ``margin`` from the plane, on its own side
    Y = (side > 0).astype(np.float64)  # (1, m)
    return X, Y


def split(
    X: np.ndarray, Y: np.ndarray, test_fraction: float = 0.2, seed: int | None = 0  # noqa: N803
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the m columns, keep round(m·test_fraction) of them for testing: X_train, Y_train, X_test, Y_test.

    New arrays: X and Y are not changed.

    >>> X, Y = make_moons(m=10)
    >>> [a.shape for a in split(X, Y, 0.2)]
    [(2, 8), (1, 8), (2, 2), (1, 2)]
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2:
        raise ShapecheckError("engine.split_rank", x_shape=X.shape, y_shape=Y.shape)
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ShapecheckError(
            "check.conflict", symbol="m", first_size=m, first_place="X", size=Y.shape[1], place="Y", bindings=f"m={m}"
        )
    is_number = isinstance(test_fraction, (int, float, np.floating)) and not isinstance(test_fraction, bool)
    test = round(m * test_fraction) if is_number and 0 < test_fraction < 1 else 0
    if not 1 <= test <= m - 1:
        raise ShapecheckError("engine.bad_test_fraction", value=test_fraction, m=m)
    order = np.random.default_rng(seed).permutation(m)
    train_columns, test_columns = order[test:], order[:test]
    return X[:, train_columns], Y[:, train_columns], X[:, test_columns], Y[:, test_columns]
