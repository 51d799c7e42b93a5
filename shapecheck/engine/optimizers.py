"""Keras 3's SGD and Adam, with Keras's argument names, defaults and update formulas.

An optimizer updates the model's one flat float64 parameter buffer in place from the flat
gradient buffer: a handful of numpy calls per step, whatever the number of weights.

>>> import numpy as np
>>> theta, grad = np.zeros(3), np.ones(3)
>>> opt = Adam(learning_rate=0.1)
>>> opt.build(theta.size)
>>> opt.apply(theta, grad); theta.round(6)   # the first Adam step moves every weight by ≈ lr
array([-0.1, -0.1, -0.1])
"""

from __future__ import annotations

import math

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg


def _check(optimizer: str, name: str, value: object, low: float, high: float, expected: str) -> float:
    """A hyper-parameter as a float in [low, high), or a sentence saying which and why (``expected`` is a message id)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value < high:
        raise ShapecheckError("model.optimizer_value", optimizer=optimizer, name=name, value=value, expected=msg(expected))
    return float(value)


class Optimizer:
    """State lives in flat buffers made by ``build(size)``; ``apply(theta, grad)`` is one step."""

    name = "optimizer"

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = _check(self.name, "learning_rate", learning_rate, 0.0, math.inf, "model.expected_nonnegative")
        self.iterations = 0
        self.size: int | None = None

    def build(self, size: int) -> None:
        """Fresh state for ``size`` parameters (kept if already built for that size, as Keras keeps it)."""
        if self.size != size:
            self.size = size
            self.iterations = 0
            self._build(size)

    def _build(self, size: int) -> None:
        pass

    def apply(self, theta: np.ndarray, grad: np.ndarray) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name, "learning_rate": self.learning_rate}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Keras ``SGD(learning_rate=0.01, momentum=0.0, nesterov=False)``.

    momentum 0:  θ ← θ − lr·g
    momentum μ:  m ← μ·m − lr·g;  θ ← θ + m   (nesterov: θ ← θ + μ·m − lr·g)
    """

    name = "SGD"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(learning_rate)
        self.momentum = _check(self.name, "momentum", momentum, 0.0, math.nextafter(1.0, 2.0), "model.expected_momentum")
        self.nesterov = bool(nesterov)

    def _build(self, size: int) -> None:
        self._m = np.zeros(size)
        self._step = np.empty(size)
        self._a = np.empty(size)

    def apply(self, theta: np.ndarray, grad: np.ndarray) -> None:
        self.iterations += 1
        lr, mu, step = self.learning_rate, self.momentum, self._step
        np.multiply(grad, lr, out=step)  # lr·g
        if mu == 0.0:
            theta -= step
            return
        m = self._m
        m *= mu
        m -= step  # m = μ·m − lr·g
        if self.nesterov:
            np.multiply(m, mu, out=self._a)
            self._a -= step
            theta += self._a  # θ + μ·m − lr·g
        else:
            theta += m

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Keras ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)``.

    Keras 3's formula (keras/src/optimizers/adam.py), with t = iterations + 1:

        α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
        m ← m + (g − m)·(1 − β₁);   v ← v + (g² − v)·(1 − β₂)
        θ ← θ − (m·α) / (√v + ε)

    ε sits outside the bias correction (the paper's ε̂), so Keras's 1e-7 is not torch's 1e-8 on √v̂.
    """

    name = "Adam"

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1 = _check(self.name, "beta_1", beta_1, 0.0, 1.0, "model.expected_unit_interval")
        self.beta_2 = _check(self.name, "beta_2", beta_2, 0.0, 1.0, "model.expected_unit_interval")
        self.epsilon = _check(self.name, "epsilon", epsilon, 0.0, math.inf, "model.expected_nonnegative")
        self.amsgrad = bool(amsgrad)

    def _build(self, size: int) -> None:
        self._m = np.zeros(size)  # first moment
        self._v = np.zeros(size)  # second moment
        self._v_hat = np.zeros(size) if self.amsgrad else None
        self._a = np.empty(size)
        self._b = np.empty(size)

    def apply(self, theta: np.ndarray, grad: np.ndarray) -> None:
        self.iterations += 1
        t = self.iterations
        b1, b2 = self.beta_1, self.beta_2
        alpha = self.learning_rate * math.sqrt(1.0 - b2**t) / (1.0 - b1**t)
        m, v, a, b = self._m, self._v, self._a, self._b
        np.subtract(grad, m, out=a)
        a *= 1.0 - b1
        m += a  # m ← m + (g − m)(1 − β₁)
        np.multiply(grad, grad, out=a)
        a -= v
        a *= 1.0 - b2
        v += a  # v ← v + (g² − v)(1 − β₂)
        if self._v_hat is not None:
            np.maximum(self._v_hat, v, out=self._v_hat)
            v = self._v_hat
        np.sqrt(v, out=b)
        b += self.epsilon
        np.multiply(m, alpha, out=a)
        a /= b
        theta -= a  # θ ← θ − m·α / (√v + ε)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon, amsgrad=self.amsgrad)
        return config


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "adam": Adam}


def get(identifier: object) -> Optimizer:
    """``"adam"``/``"sgd"`` (Keras's defaults) or an optimizer object, used as it is."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in OPTIMIZERS:
        return OPTIMIZERS[identifier.lower()]()
    raise ShapecheckError("model.unknown_optimizer", value=identifier, known="'sgd', 'adam', sc.SGD(...), sc.Adam(...)")
