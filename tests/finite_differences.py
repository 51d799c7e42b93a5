"""The course's gradient-check measure, shared by the engine's tests.

A centered difference (J(θ + ε) − J(θ − ε)) / 2ε is off by truncation, about ε²·|J'''| ≈ 1e-12, and
by rounding: J carries an error of about 2⁻⁵²·|J|, which the difference divides by ε. Where a gradient
is tiny next to J (a saturated tanh), the rounding alone exceeds 1e-7 of it: that is the numbers'
limit, not a wrong gradient, so ``assert_close`` allows it and no more.
"""

from __future__ import annotations

import math

import numpy as np

EPS = 1e-6  # the centered-difference step


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
