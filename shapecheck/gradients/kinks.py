"""Kinks: points where the cost has no derivative, so a finite difference across one is not evidence.

ReLU and leaky ReLU have one at z = 0. For the engine's own networks we know exactly where:
a perturbation is a kink when it moves any ReLU (or leaky-ReLU) input across 0, that is when
``Z > 0`` (``active``) is not the same at θ − ε, θ and θ + ε and the input moved out of its rounding
(``crossed``): an input that sums to exactly 0 at θ and that the step does not move (two paths that
cancel, ¼·¼ − ¼·¼) comes out as ±1e-17 in one evaluation and as 0 in another, and that is a tie
at 0, not a crossing, however it was computed (``ties`` bounds that rounding). For a black-box cost we only
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


def crossed(Z: np.ndarray, Z0: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Where a ReLU input moved across 0: its side (``active``) is not the one at θ (``Z0``) and it is
    farther from 0 than ``tie``, the rounding of its computation (``ties``). Below that, it is a tie at 0
    whichever side rounding put it on, and J moves by rounding only: the centered difference is evidence."""
    flip = active(Z) != active(Z0)
    if flip.any():  # rare: checked only then, the hot path pays one comparison
        flip &= np.abs(Z) > tie
    return flip


def ties(W: list, b: list, A: list) -> list:
    """Each layer's bound on the rounding of Z[l] = W[l]·A[l-1] + b[l] at θ, times the margin (index 0 unused).

    A sum of n products rounds by at most n·2⁻⁵³ of Σ|terms|, and what A[l-1] carries comes through
    |W[l]|; g adds a few units in the last place and no g has a slope above 1. Steps of ε move this by
    a part in 1e7, so θ's bound serves for every perturbed pass.
    """
    bounds, carried = [None], np.zeros_like(A[0], dtype=np.float64)  # X is exact
    for l in range(1, len(W)):  # noqa: E741
        magnitude = np.abs(W[l]) @ np.abs(A[l - 1]) + np.abs(b[l])
        error = (W[l].shape[1] + 1) * ROUNDING * magnitude + np.abs(W[l]) @ carried
        bounds.append(MARGIN * error)
        carried = error + 4 * ROUNDING * np.abs(A[l])
    return bounds
