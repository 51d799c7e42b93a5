"""Initial parameters of an L-layer network: W[l] random (n[l], n[l-1]), b[l] zeros (n[l], 1).

Three scales for W[l] = randn(n[l], n[l-1]) · scale:

- "course": 0.01, the course's initialize_parameters_deep (small: deep ReLU nets learn slowly from it)
- "he":     √(2 / n[l-1]), for ReLU layers (He et al., 2015)
- "xavier": √(1 / n[l-1]), for tanh layers (Glorot and Bengio, 2010; the course's form)

Random numbers come from ``np.random.default_rng(seed)``: the same seed gives the same weights.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.seeds import check_seed
from shapecheck.spec.networks import DenseNet, dense_net

INIT_METHODS = ("course", "he", "xavier")


def as_dense_net(spec: DenseNet | Sequence[int]) -> DenseNet:
    """A DenseNet, from itself or from a plain list of layer sizes [n0, ..., nL] (ReLU hidden, sigmoid output)."""
    if isinstance(spec, DenseNet):
        return spec
    if isinstance(spec, (list, tuple)):
        return dense_net(spec)
    raise ShapecheckError("engine.not_dense_spec", value=type(spec).__name__)


def init_scale(method: str, n_prev: int) -> float:
    """The factor that multiplies randn(n[l], n[l-1])."""
    if method == "course":
        return 0.01
    if method == "he":
        return float(np.sqrt(2.0 / n_prev))
    if method == "xavier":
        return float(np.sqrt(1.0 / n_prev))
    raise ShapecheckError("engine.unknown_init", value=method, known=", ".join(INIT_METHODS))


def init_params(spec: DenseNet | Sequence[int], seed: int | None = 0, method: str = "course") -> dict[str, np.ndarray]:
    """{"W1", "b1", ..., "WL", "bL"}, float64.

    >>> params = init_params([5, 4, 1], seed=0, method="he")
    >>> params["W1"].shape, params["b1"].shape, params["W2"].shape
    ((4, 5), (4, 1), (1, 4))
    """
    spec = as_dense_net(spec)
    seed = check_seed(seed)
    if method not in INIT_METHODS:  # before drawing anything
        raise ShapecheckError("engine.unknown_init", value=method, known=", ".join(INIT_METHODS))
    rng = np.random.default_rng(seed)
    params: dict[str, np.ndarray] = {}
    for l in range(1, spec.L + 1):  # noqa: E741 - the course's index
        n_l, n_prev = spec.n(l), spec.n(l - 1)
        params[f"W{l}"] = rng.standard_normal((n_l, n_prev)) * init_scale(method, n_prev)  # (n[l], n[l-1])
        params[f"b{l}"] = np.zeros((n_l, 1))  # (n[l], 1): a column, never rank-1 (n,)
    return params
