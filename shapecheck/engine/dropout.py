"""Inverted dropout on the three-layer network (course 2, week 1), with the notebook's seeded masks.

Forward, for the hidden layers l = 1, 2:  D[l] = rand(n[l], m) < keep_prob;  A[l] = A[l] ∗ D[l] / keep_prob.
Backward applies the same masks and scale to dA[l]. The notebook seeds with ``np.random.seed(1)``
and draws D1 then D2 with ``np.random.rand``: a private ``RandomState(1)`` gives the same masks.
Dividing by keep_prob keeps the expected value of A[l] unchanged, so no rescaling is needed at test time.

The cache is the notebook's 14-tuple ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine import activations, three_layer

SEED = 1


def dropout_mask(rng, shape, keep_prob):
    """rand(shape) < keep_prob as 0/1 floats: each unit kept with probability keep_prob."""
    return (rng.rand(*shape) < keep_prob).astype(np.float64)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """A3 and the 14-tuple cache, dropping hidden units with the notebook's masks."""
    return forward_with_seed(X, parameters, keep_prob, SEED)


def forward_with_seed(X, parameters, keep_prob, seed):
    """The same with the masks np.random.seed(``seed``) gives (another seed's: to recognise a file that uses it)."""
    rng = np.random.RandomState(seed)
    X = np.asarray(X, np.float64)
    W1, b1, W2, b2, W3, b3 = (np.asarray(parameters[k], np.float64) for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = activations.relu(Z1)  # (n1, m)
    D1 = dropout_mask(rng, A1.shape, keep_prob)
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = activations.relu(Z2)  # (n2, m)
    D2 = dropout_mask(rng, A2.shape, keep_prob)  # drawn after D1, from the same stream
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = activations.sigmoid(Z3)  # (1, m): the output layer is never dropped
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """The three-layer backward with dA1, dA2 masked by D1, D2 and divided by keep_prob."""
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    plain = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    return three_layer.backward_propagation(X, Y, plain, masks=(D1, D2), keep_prob=keep_prob)
