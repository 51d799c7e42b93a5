"""Keras's default initial weights, drawn from a numpy Generator (float64).

Keras draws ``glorot_uniform`` kernels, ``orthogonal`` recurrent kernels and ``zeros`` biases, with
an LSTM's forget-gate bias at 1 (``unit_forget_bias=True``). Same formulas, numpy's random stream:
the numbers differ from Keras's, the distributions do not.

>>> import numpy as np
>>> glorot_uniform(np.random.default_rng(0), (1, 40)).shape
(1, 40)
"""

from __future__ import annotations

import math

import numpy as np

from shapecheck.core.tensors import KERAS_LSTM_GATES


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)); fan_in = shape[0], fan_out = shape[-1]."""
    fan_in, fan_out = _fans(shape)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(rng: np.random.Generator, shape: tuple[int, ...], gain: float = 1.0) -> np.ndarray:
    """Keras's Orthogonal: QR of a normal matrix, signs fixed by diag(R), transposed when wide.

    For a recurrent kernel (units, 4·units) the rows come out orthonormal: R·Rᵀ = I.
    """
    rows = math.prod(shape[:-1])
    cols = shape[-1]
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # makes Q unique (uniform over orthogonal matrices), as Keras does
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


def lstm_bias(units: int) -> np.ndarray:
    """(4·units,) zeros with the forget gate's block at 1: gates i, f, c, o, so f is [units, 2·units)."""
    bias = np.zeros(4 * units)
    f = KERAS_LSTM_GATES.index("f")
    bias[f * units : (f + 1) * units] = 1.0  # unit_forget_bias: start by remembering (Jozefowicz et al., 2015)
    return bias


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive
