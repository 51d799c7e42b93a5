"""Sampling characters from the Dinosaurus RNN (course 5, week 1), with the notebook's seeds.

Start from x⟨1⟩ = 0 and a⟨0⟩ = 0; at each step draw the next index from ŷ⟨t⟩ with
``np.random.seed(counter + seed)`` then ``np.random.choice(range(vocab_size), p=ŷ.ravel())``, feed
it back one-hot, and stop at "\\n" or after 50 characters (then "\\n" is appended). Note the notebook's
seed walks twice per step (``seed += 1`` and ``counter += 1``): the k-th draw uses seed + 2k.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.char_rnn import softmax

MAX_LENGTH = 50


def sample(parameters, char_to_ix, seed):
    """The list of sampled indices, ending with char_to_ix["\\n"]."""
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    vocab_size, n_a = by.shape[0], Waa.shape[1]
    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((n_a, 1))
    indices: list[int] = []
    idx, counter, newline = -1, 0, char_to_ix["\n"]
    while idx != newline and counter != MAX_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)  # (n_a, 1)
        y = softmax(Wya @ a + by)  # (vocab_size, 1)
        idx = int(np.random.RandomState(counter + seed).choice(range(vocab_size), p=y.ravel()))
        indices.append(idx)
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
        a_prev = a
        seed += 1
        counter += 1
    if counter == MAX_LENGTH:
        indices.append(newline)
    return indices
