"""The one centered-difference loop: J with one coordinate of θ moved by ±ε at a time, θ put back exactly.

It imports nothing, so it runs in two places: here, as the black-box estimator of the gradient
check (``gradcheck.py``, any ``f`` and a Keras model), and inside the sandbox, where the diagnosis
worker (``diagnosis/worker.py``, which never imports the package) loads this file by its path and
runs it next to a student's own forward. ``array`` is anything with numpy's ``.flat``.

    >>> import numpy as np
    >>> W = np.array([1.0, 2.0])
    >>> values, steps = evaluations(lambda: float(np.sum(W ** 2)), W, range(2), 1e-3)
    >>> [round(q, 6) for q in quotients(values, (-1, 1), 1e-3)], W.tolist()
    ([2.0, 4.0], [1.0, 2.0])
"""


def evaluations(J, array, flat, eps, offsets=(-1, 1), advance=None):
    """J() with coordinate i of ``array`` at original + o·ε, for each i in ``flat`` and each offset o.

    Returns (values, steps): one row per offset, one column per coordinate; steps are the moves
    actually taken (original + o·ε − original is not exactly o·ε). ``advance(1)`` after each coordinate.
    """
    values = [[0.0] * len(flat) for _ in offsets]
    steps = [[0.0] * len(flat) for _ in offsets]
    for col, i in enumerate(flat):
        original = array.flat[i]
        for row, o in enumerate(offsets):
            array.flat[i] = original + o * eps
            steps[row][col] = array.flat[i] - original
            values[row][col] = J()
        array.flat[i] = original  # exactly the original number: nothing drifts
        if advance is not None:
            advance(1)
    return values, steps


def quotients(values, offsets, eps):
    """(J(θ + ε) − J(θ − ε)) / 2ε for each coordinate: the course's centered difference."""
    plus, minus = values[offsets.index(1)], values[offsets.index(-1)]
    return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]
