"""The course's random_mini_batches (course 2, week 2): shuffle once, then slice into batches.

    np.random.seed(seed); permutation = np.random.permutation(m)
    shuffled = X[:, permutation], Y[:, permutation]
    batch k = columns [k·size, (k+1)·size) for k < ⌊m/size⌋; the last, partial one [⌊m/size⌋·size, m)

The same columns of X and Y go together; every example is used exactly once per epoch.

>>> X, Y = np.arange(10.0).reshape(2, 5), np.arange(5.0).reshape(1, 5)
>>> [b[0].shape for b in random_mini_batches(X, Y, mini_batch_size=2)]
[(2, 2), (2, 2), (2, 1)]
"""

from __future__ import annotations

import numpy as np


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """[(mini_batch_X, mini_batch_Y), ...], the notebook's permutation from ``np.random.seed(seed)``."""
    X, Y = np.asarray(X), np.asarray(Y)
    m = X.shape[1]
    permutation = np.random.RandomState(seed).permutation(m)  # the same numbers as seed() + permutation()
    shuffled_X = X[:, permutation]  # (n_x, m)
    shuffled_Y = Y[:, permutation].reshape((Y.shape[0], m))  # (n_y, m)
    mini_batches = []
    num_complete = m // mini_batch_size
    for k in range(num_complete):
        columns = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
        mini_batches.append((shuffled_X[:, columns], shuffled_Y[:, columns]))
    if m % mini_batch_size != 0:
        rest = slice(num_complete * mini_batch_size, m)  # the last, smaller batch
        mini_batches.append((shuffled_X[:, rest], shuffled_Y[:, rest]))
    return mini_batches
