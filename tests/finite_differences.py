"""The course's gradient-check measure, shared by the engine's tests.

A centered difference (J(θ + ε) − J(θ − ε)) / 2ε is off by truncation, about ε²·|J'''| ≈ 1e-12, and
by rounding: J carries an error of about 2⁻⁵²·|J|, which the difference divides by ε. Where a gradient
is tiny next to J (a saturated tanh), the rounding alone exceeds 1e-7 of it: that is the numbers'
limit, not a wrong gradient, so ``assert_close`` allows it and no more.

J's rounding is not always 2⁻⁵²·|J|: the cross-entropy of a sigmoid output A ≈ 1 with Y = 0 takes
log(1 − A) of an A rounded at 2⁻⁵², so that term is off by 2⁻⁵²·A/(1 − A): 8e4 of them for
A = 0.99998755, where 2.9 would be expected. ``cross_entropy_rounding`` is that size, to pass as
``scale_of_J``; ``step_for`` widens ε by the square root of the excess, so the difference's rounding
grows only as its square root while the truncation, ε²·|J′′′|, stays far below the tolerance.
"""

from __future__ import annotations

import math

import numpy as np

EPS = 1e-6  # the centered-difference step


def cross_entropy_rounding(A, Y, J) -> float:
    """The size rounding touches in J = −(1/m)·Σ [Y·log A + (1−Y)·log(1−A)]: |J| plus each A times its weight in J.

    A·|∂(m·J)/∂A| is A/(1 − A) for Y = 0 (large when A saturates at 1) and 1 for Y = 1.
    """
    A, Y = np.asarray(A, np.float64), np.asarray(Y, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(Y > 0.5, np.abs(A - Y) / A, np.abs(A - Y) / (1 - A))
    return abs(J) + float(np.sum(weight)) / Y.shape[-1]


def centered_differences(J, array, eps=EPS) -> np.ndarray:
    """(J(θ + ε) - J(θ - ε)) / 2ε for every entry θ of ``array``: ``array`` is perturbed in place, then restored."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        plus = J()
        array[index] = saved - eps
        minus = J()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def step_for(scale_of_J, J, eps=EPS) -> float:
    """``eps``, widened by √(scale/max(|J|, 1)) when J rounds far above 2⁻⁵²·|J|."""
    return eps * math.sqrt(max(scale_of_J / max(abs(J), 1.0), 1.0))


def difference(g, g_approx) -> float:
    """The course's measure ‖g − g̃‖ / (‖g‖ + ‖g̃‖); 0 when both are exactly zero (a dead ReLU layer)."""
    scale = np.linalg.norm(g) + np.linalg.norm(g_approx)
    return float(np.linalg.norm(np.subtract(g, g_approx)) / scale) if scale > 0 else 0.0


def rounding_noise(size, scale_of_J, eps=EPS) -> float:
    """The norm a vector of ``size`` centered differences may be off by from rounding J alone."""
    return math.sqrt(size) * 8 * np.finfo(float).eps * max(abs(scale_of_J), 1.0) / eps


def difference_beyond_noise(analytic, numeric, scale_of_J, eps=EPS) -> float:
    """The course's measure of the part of the error that rounding cannot explain (0 when it can)."""
    analytic, numeric = np.ravel(analytic), np.ravel(numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    error = max(np.linalg.norm(analytic - numeric) - rounding_noise(analytic.size, scale_of_J, eps), 0.0)
    return float(error / scale) if scale > 0 else 0.0


def assert_close(analytic, numeric, scale_of_J, eps=EPS, tolerance=1e-7) -> None:
    """The course's measure below ``tolerance``, unless the error is within the difference's rounding noise."""
    analytic, numeric = np.ravel(analytic), np.ravel(numeric)
    error = np.linalg.norm(analytic - numeric)
    noise = rounding_noise(analytic.size, scale_of_J, eps)
    allowed = tolerance * (np.linalg.norm(analytic) + np.linalg.norm(numeric)) + noise
    assert error <= allowed, (difference(analytic, numeric), error, allowed)
