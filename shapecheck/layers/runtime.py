"""What every plug-in layer's engine has (numpy): weights bound as views of the model's flat buffers,
``forward(x)`` and ``backward(dA, need_dx)`` side by side, and ``training`` set by fit.

An engine keeps what its backward needs from the last forward; the output it returns is its own
array, valid until the next forward.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.keras_layers import activation


class PluginRuntime:
    """The runtime of one spec layer for inputs of ``input_shape`` (batch excluded)."""

    def __init__(self, spec, input_shape: tuple[int, ...]) -> None:
        self.spec = spec
        self.name = spec.name or spec.snake
        self.input_shape = tuple(input_shape)
        self.output_shape = spec.output_shape(self.input_shape)
        self.training = False  # fit sets it for each training step; Dropout and BatchNormalization read it
        self._weights = spec.weights(self.input_shape)
        self.weight_names = tuple(w.name for w in self._weights)

    def weight_shapes(self) -> list[tuple[int, ...]]:
        return [w.shape for w in self._weights]

    def weight_rules(self) -> list[str]:
        return [w.rule for w in self._weights]

    def bind(self, weights: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Views of the model's flat parameter and gradient buffers, in ``weight_names`` order."""
        for name, w, g in zip(self.weight_names, weights, grads):
            setattr(self, name, w)
            setattr(self, "d_" + name, g)

    def initialize(self, rng: np.random.Generator) -> None:
        """Keras's default initial weights (nothing for a layer without weights)."""

    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - every layer overrides it
        raise NotImplementedError

    def backward(self, dA: np.ndarray, need_dx: bool = True) -> np.ndarray | None:  # pragma: no cover
        raise NotImplementedError


class Activated:
    """A = g(Z) after a layer's linear part, and dZ = dA ∗ g'(Z) before its backward (Keras's ``activation=``)."""

    def __init__(self, name: str | None) -> None:
        self.g = activation(name)

    def forward(self, Z: np.ndarray) -> np.ndarray:
        self.Z = Z
        self.A = Z if self.g.name == "linear" else self.g.forward(Z, np.empty_like(Z))
        return self.A

    def backward(self, dA: np.ndarray) -> np.ndarray:
        if self.g.name == "linear":
            return dA
        return self.g.backward(self.A, self.Z, dA, np.empty_like(dA), np.empty_like(dA))
