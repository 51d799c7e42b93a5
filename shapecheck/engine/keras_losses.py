"""Keras's losses and metrics, in float64 numpy: the value, and ∂loss/∂y_pred written into a buffer.

Losses are reduced over the last axis, then averaged over everything else ("mean over the batch");
a target y of shape (samples,) against a prediction (samples, 1) is read as (samples, 1), never
broadcast to (samples, samples).
"""

from __future__ import annotations

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

EPSILON = 1e-7  # keras.backend.epsilon(): probabilities are clipped to [ε, 1 − ε] before log

# --- losses: value, and ∂loss/∂y_pred written into a buffer ---------------------------------------


class Loss:
    """``loss(y_pred, y_true, grad)`` returns the mean loss and, if ``grad`` is given, writes ∂loss/∂y_pred.

    ``y_true`` has the prediction's shape (``targets`` aligns it once per call of fit/evaluate).
    """

    name = "loss"

    def targets(self, y: np.ndarray, out_shape: tuple[int, ...]) -> np.ndarray:
        """y aligned with predictions of ``out_shape`` as Keras aligns them, or a sentence saying why not."""
        if y.ndim == len(out_shape) - 1 and out_shape[-1] == 1:
            y = y[..., np.newaxis]  # Keras's squeeze_or_expand_to_same_rank: (n,) against (n, 1)
        if y.shape != out_shape:
            raise ShapecheckError("model.target_shape", actual=y.shape, expected=out_shape, rule=msg("model.target_rule"))
        return y

    def __call__(self, y_pred: np.ndarray, y_true: np.ndarray, grad: np.ndarray | None = None) -> float:
        raise NotImplementedError  # pragma: no cover


class MeanSquaredError(Loss):
    """mean((y_pred − y)²); ∂/∂y_pred = 2·(y_pred − y)/N over all N elements."""

    name = "mean_squared_error"

    def __call__(self, y_pred, y_true, grad=None):
        diff = np.subtract(y_pred, y_true, out=grad)  # the gradient buffer doubles as scratch
        size = diff.size
        loss = float(np.vdot(diff, diff)) / size
        if grad is not None:
            grad *= 2.0 / size
        return loss


class MeanAbsoluteError(Loss):
    """mean(|y_pred − y|); ∂/∂y_pred = sign(y_pred − y)/N (0 where equal, as Keras's backends take it)."""

    name = "mean_absolute_error"

    def __call__(self, y_pred, y_true, grad=None):
        diff = np.subtract(y_pred, y_true, out=grad)
        size = diff.size
        loss = float(np.abs(diff).sum()) / size
        if grad is not None:
            np.sign(diff, out=grad)
            grad *= 1.0 / size
        return loss


class BinaryCrossentropy(Loss):
    """−mean(y·log p + (1 − y)·log(1 − p)), p = clip(y_pred, ε, 1 − ε); no gradient where clipped."""

    name = "binary_crossentropy"

    def __call__(self, y_pred, y_true, grad=None):
        p = np.clip(y_pred, EPSILON, 1.0 - EPSILON)
        size = p.size
        loss = -float((y_true * np.log(p) + (1.0 - y_true) * np.log1p(-p)).sum()) / size
        if grad is not None:
            np.subtract(p, y_true, out=grad)
            grad /= p * (1.0 - p) * size  # (−y/p + (1 − y)/(1 − p)) / N
            clipped = p != y_pred
            if clipped.any():
                grad[clipped] = 0.0  # no gradient where the clip held the prediction
        return loss


class CategoricalCrossentropy(Loss):
    """−mean over samples of Σ_k y_k·log q_k, q = clip(p / Σp, ε, 1 − ε) over the last axis (Keras's own).

    With a softmax output Σp = 1; the normalisation matters only for other outputs.
    """

    name = "categorical_crossentropy"

    def __call__(self, y_pred, y_true, grad=None):
        total = y_pred.sum(axis=-1, keepdims=True)  # (…, 1)
        q = y_pred / total
        q_clipped = np.clip(q, EPSILON, 1.0 - EPSILON)
        rows = q.size // q.shape[-1]
        loss = -float(np.sum(y_true * np.log(q_clipped))) / rows
        if grad is not None:
            inside = (q >= EPSILON) & (q <= 1.0 - EPSILON)
            dq = -(y_true / q_clipped) * inside / rows  # ∂loss/∂q
            # q_j = p_j / S: ∂loss/∂p_k = (dq_k − Σ_j dq_j·q_j) / S
            np.copyto(grad, (dq - np.sum(dq * q, axis=-1, keepdims=True)) / total)
        return loss


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Class indices instead of one-hot rows: the same loss once y is made one-hot."""

    name = "sparse_categorical_crossentropy"

    def targets(self, y, out_shape):
        classes = out_shape[-1]
        if y.ndim == len(out_shape) and y.shape[-1] == 1:
            y = y[..., 0]  # (n, 1) labels read as (n,), as Keras does
        if y.shape != out_shape[:-1]:
            raise ShapecheckError("model.sparse_targets", actual=y.shape, expected=out_shape[:-1])
        bad = (y != np.round(y)) | (y < 0) | (y >= classes)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ShapecheckError(
                "model.sparse_labels", value=float(y[index]), index=index, last=classes - 1, classes=classes
            )
        return np.eye(classes)[y.astype(np.intp)]  # (…, classes)


LOSSES: dict[str, type[Loss]] = {
    "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
    "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError,
    "binary_crossentropy": BinaryCrossentropy, "bce": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy, "cce": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}  # fmt: skip


def get_loss(identifier: object) -> Loss:
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in LOSSES:
        return LOSSES[identifier.lower()]()
    raise ShapecheckError("model.unknown_loss", value=identifier, known=", ".join(LOSSES))


# --- metrics: a loss by name, or accuracy as Keras picks it ---------------------------------------


def _accuracy(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Keras's "accuracy": binary (threshold 0.5) for one output unit, else argmax agreement."""
    if y_pred.shape[-1] == 1:
        return float(np.mean((y_pred > 0.5) == (y_true > 0.5)))
    return float(np.mean(y_pred.argmax(axis=-1) == y_true.argmax(axis=-1)))


def get_metric(identifier: object):
    if identifier in ("accuracy", "acc"):
        return _accuracy
    if isinstance(identifier, str) and identifier.lower() in LOSSES:
        loss = LOSSES[identifier.lower()]()
        return lambda y_pred, y_true: loss(y_pred, y_true)
    raise ShapecheckError("model.unknown_metric", value=identifier, known=", ".join(("accuracy", *LOSSES)))
