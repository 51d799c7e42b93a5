"""Costs J and the course's dA[L], for the three losses of the dense engine.

With m examples (columns) and n[L] output units, summed over units and examples:

- binary cross-entropy:      J = −(1/m)·Σ [Y·log(A) + (1−Y)·log(1−A)]      (the course's compute_cost)
- categorical cross-entropy: J = −(1/m)·Σ Y·log(A)                           (softmax over axis 0)
- mean squared error:        J = (1/(2m))·Σ (A − Y)²                         (the ½ makes dA[L] = A − Y)

Note the ½ in our MSE: Keras's "mse" is the plain mean, (1/(m·n[L]))·Σ (A − Y)², twice ours for n[L] = 1.

``loss_derivative`` is the course's dA[L], with no 1/m (it is m·∂J/∂A[L]): backpropagation
applies 1/m in dW and db only. Nothing takes log(0): from A we clip to [tiny, 1 − 2⁻⁵³], and
from the output's Z (``cost_from_logits``) we use log-sum-exp, which is exact for any |z|.
"""

from __future__ import annotations

import numpy as np

from shapecheck.core.errors import ShapecheckError

BCE = "binary_cross_entropy"
CCE = "categorical_cross_entropy"
MSE = "mean_squared_error"
LOSSES = (BCE, CCE, MSE)

# Keras's spellings and the usual short ones
ALIASES = {
    "bce": BCE, "binary_crossentropy": BCE, "cross_entropy": BCE,
    "cce": CCE, "categorical_crossentropy": CCE,
    "mse": MSE,
}

# The loss that goes with each output activation g[L] when none is given
DEFAULT_LOSS = {"sigmoid": BCE, "softmax": CCE, "linear": MSE, "tanh": MSE, "relu": MSE, "leaky_relu": MSE}

# Cross-entropy takes log(A): it needs an output in (0, 1)
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")

# Output activation and loss whose dZ[L] simplifies to A − Y (and whose J is exact from Z)
NATURAL_PAIRS = {("sigmoid", BCE), ("softmax", CCE), ("linear", MSE)}

TINY = np.finfo(np.float64).tiny  # 2.2e-308, the smallest normal float64: log(TINY) ≈ −708
BELOW_ONE = np.nextafter(1.0, 0.0)  # 1 − 2⁻⁵³: log(1 − A) stays finite


def canonical(loss: str) -> str:
    """The full name of ``loss`` ("mse" -> "mean_squared_error"); a name we do not know is an error."""
    name = ALIASES.get(loss, loss) if isinstance(loss, str) else loss
    if name not in LOSSES:
        raise ShapecheckError("engine.unknown_loss", value=loss, known=", ".join(LOSSES + tuple(ALIASES)))
    return name


def resolve_loss(loss: str | None, output: str) -> str:
    """The canonical name of ``loss`` for an output activation g[L]; None means g[L]'s own loss."""
    if loss is None:
        return DEFAULT_LOSS[output]
    name = canonical(loss)
    if name in (BCE, CCE) and output not in PROBABILITY_OUTPUTS:
        raise ShapecheckError("engine.loss_needs_probabilities", loss=name, activation=output)
    return name


def cost(loss: str, AL: np.ndarray, Y: np.ndarray) -> float:
    """J from the output A[L] (n[L], m) and the labels Y (n[L], m)."""
    m = AL.shape[1]
    if loss == BCE:
        A = np.clip(AL, TINY, BELOW_ONE)  # a copy: AL is never written
        return float(-(1 / m) * np.sum(Y * np.log(A) + (1 - Y) * np.log1p(-A)))
    if loss == CCE:
        A = np.clip(AL, TINY, 1.0)
        return float(-(1 / m) * np.sum(Y * np.log(A)))
    if loss == MSE:
        return float((1 / (2 * m)) * np.sum((AL - Y) ** 2))
    raise KeyError(loss)


def binary_cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """−[y·log σ(z) + (1−y)·log(1−σ(z))] entry by entry, from z: max(z, 0) − y·z + log(1 + e^(−|z|)), exact for any z."""
    return np.maximum(ZL, 0.0) - Y * ZL + np.log1p(np.exp(-np.abs(ZL)))


def categorical_cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray, axis: int = 0) -> np.ndarray:
    """−y·log softmax(z) entry by entry, from z: y·(logsumexp(z) − z), the log-sum-exp over the classes' ``axis``."""
    Zmax = ZL.max(axis=axis, keepdims=True)  # e^(z − max) never overflows
    logsumexp = Zmax + np.log(np.sum(np.exp(ZL - Zmax), axis=axis, keepdims=True))
    return Y * (logsumexp - ZL)


def from_logits(output: str, loss: str) -> bool:
    """Whether J is taken exactly from Z[L]: cross-entropy after its own output, σ for binary, softmax for categorical."""
    return (output, loss) in NATURAL_PAIRS and loss != MSE


def cost_from_logits(loss: str, ZL: np.ndarray, Y: np.ndarray) -> float:
    """J from Z[L] when A[L] = σ(Z[L]) (binary cross-entropy) or softmax(Z[L]) (categorical); exact for any |z|."""
    m = ZL.shape[1]
    if loss == BCE:
        return float((1 / m) * np.sum(binary_cross_entropy_from_logits(ZL, Y)))
    if loss == CCE:
        return float((1 / m) * np.sum(categorical_cross_entropy_from_logits(ZL, Y)))
    raise KeyError(loss)


def training_cost(output: str, loss: str, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray) -> float:
    """J as training records it: exact from Z[L] whenever g[L] is the loss's own output, else from A[L]."""
    return cost_from_logits(loss, ZL, Y) if from_logits(output, loss) else cost(loss, AL, Y)


def loss_derivative(loss: str, AL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The course's dA[L] = m·∂J/∂A[L], shape (n[L], m)."""
    if loss == BCE:
        A = np.clip(AL, TINY, BELOW_ONE)
        return -(Y / A - (1 - Y) / (1 - A))
    if loss == CCE:
        return -(Y / np.clip(AL, TINY, 1.0))
    if loss == MSE:
        return AL - Y
    raise KeyError(loss)


def output_delta(output: str, loss: str, AL: np.ndarray, Y: np.ndarray) -> np.ndarray | None:
    """dZ[L] for a natural pair (sigmoid + binary, softmax + categorical, linear + MSE), else None.

    Computed directly, never through dA[L] (whose Y/A is huge when A saturates).
    """
    if (output, loss) not in NATURAL_PAIRS:
        return None
    if loss == CCE:
        # Σ_k Y_k = 1 for one-hot labels, and this is the course's AL − Y; the factor keeps it exact otherwise
        return AL * np.sum(Y, axis=0, keepdims=True) - Y
    return AL - Y  # (n[L], m)
