"""Kinks: points where the cost has no derivative, so a finite difference across one is not evidence.

ReLU and leaky ReLU have one at z = 0. For the engine's own networks we know exactly where:
a perturbation is a kink when it moves any ReLU (or leaky-ReLU) input across 0, that is when
``Z > 0`` (``active``) is not the same at θ − ε, θ and θ + ε. For a black-box cost we only
have J, so we look at it: with J at θ − 2ε, θ − ε, θ, θ + ε, θ + 2ε the four one-sided slopes of
a smooth J change at a steady rate (their second differences are ε²·J''', nothing), while a
kink anywhere in [θ − 2ε, θ + 2ε] makes one of the two second differences at least a third of the
jump in slope (``one_sided``). Prior art: Chainer's ``gradient_check(detect_nondifferentiable=True)``,
which fits polynomials to the same kind of evaluations.

    >>> import numpy as np
    >>> t = np.array([[-2e-7], [-1e-7], [1e-7], [2e-7]])
    >>> bool(one_sided(np.abs(t + 3e-8), t, 3e-8, 1e-7)[0]), bool(one_sided((t + 3e-8) ** 2, t, 9e-16, 1e-7)[0])
    (True, False)
"""

from __future__ import annotations

import numpy as np

ROUNDING = 2.0**-52
MARGIN = 8.0  # the same margin as the verdict's noise floor
RELATIVE = 1e-8  # a smooth J bends by about ε²·J'''' between its slopes: far less than this part of them

KINKED = ("relu", "leaky_relu")  # activations with a kink (at 0)


def one_sided(J: np.ndarray, steps: np.ndarray, J0: float, eps: float) -> np.ndarray:
    """Coordinates where the left and right slopes of J disagree beyond rounding: kinks.

    ``J`` (4, n) holds J at the offsets −2ε, −ε, +ε, +2ε of each of n coordinates, ``steps``
    (4, n) the offsets actually taken (θ + ε is not exactly ε away from θ), ``J0`` = J(θ).
    Each second difference of slopes carries rounding of up to 8·|J|·2⁻⁵³/ε (its weights on J
    are 1, −3, 3, −1, over ε), so that, times the margin, is the bar; and a bend smaller than
    1e-8 of the slopes could not move a centered difference past the course's 2e-7 anyway.
    """
    J = np.asarray(J, dtype=np.float64)
    t = np.asarray(steps, dtype=np.float64)
    Jm2, Jm1, Jp1, Jp2 = J
    tm2, tm1, tp1, tp2 = t
    s1 = (Jm1 - Jm2) / (tm1 - tm2)  # slope on [−2ε, −ε]
    s2 = (J0 - Jm1) / (0.0 - tm1)  # [−ε, 0]
    s3 = (Jp1 - J0) / tp1  # [0, ε]
    s4 = (Jp2 - Jp1) / (tp2 - tp1)  # [ε, 2ε]
    bend = np.maximum(np.abs(s3 - 2 * s2 + s1), np.abs(s4 - 2 * s3 + s2))
    scale = np.maximum(abs(J0), np.abs(J).max(axis=0))  # the size of J around θ sets its rounding
    slope = np.max(np.abs([s1, s2, s3, s4]), axis=0)
    # a bend below 1e-8 of the slope moves a centered difference by less than that: no kink worth the name
    return bend > np.maximum(MARGIN * 8 * scale * ROUNDING / eps, RELATIVE * slope)


def active(Z: np.ndarray) -> np.ndarray:
    """Where g'(Z) is the right-hand slope: Z > 0 (the course's dZ[Z <= 0] = 0 takes the left one at 0)."""
    return Z > 0
