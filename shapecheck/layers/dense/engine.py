"""Keras's Dense in numpy, float64: a = g(x·kernel + bias) on the last axis, and its exact backward.

Small tensors make numpy cost per call, not per number: the buffers are kept per input shape and
reused at every step.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from shapecheck.engine.activations import keras_activation
from shapecheck.layers.runtime import PluginRuntime


class DenseRuntime(PluginRuntime):
    """kernel (input_dim, units), bias (units,); any leading axes pass through (Dense acts on the last)."""

    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.units = spec.units
        self.input_dim = self.input_shape[-1]
        self.g = keras_activation(spec.activation)
        self._workspaces: dict[tuple, SimpleNamespace] = {}
        self._last: SimpleNamespace | None = None

    def initialize(self, rng):
        from shapecheck.engine.initializers import glorot_uniform

        self.kernel[...] = glorot_uniform(rng, self.kernel.shape)
        self.bias[...] = 0.0

    def _workspace(self, key: tuple) -> SimpleNamespace:
        """Named arrays for one input shape; created once, reused at every step."""
        ws = self._workspaces.get(key)
        if ws is None:
            if len(self._workspaces) >= 8:  # predict on many batch sizes must not grow memory forever
                self._workspaces.clear()
            ws = self._workspaces[key] = self._allocate(*key)
        self._last = ws
        return ws

    def _allocate(self, rows: int, *lead: int) -> SimpleNamespace:
        ws = SimpleNamespace()
        n = rows * int(np.prod(lead, dtype=int))
        ws.out_shape = (rows, *lead, self.units)
        ws.Z = np.empty((n, self.units))  # (batch·…, units)
        ws.A = ws.Z if self.g.name == "linear" else np.empty_like(ws.Z)
        ws.dZ = np.empty_like(ws.Z)
        ws.scratch = np.empty_like(ws.Z)
        ws.dX = np.empty((n, self.input_dim))
        return ws

    def forward(self, x: np.ndarray) -> np.ndarray:
        ws = self._workspace(x.shape[:-1])
        x2 = x if x.ndim == 2 else x.reshape(-1, self.input_dim)  # Dense acts on the last axis
        ws.x2 = x2
        np.dot(x2, self.kernel, out=ws.Z)  # (batch, units)
        ws.Z += self.bias
        A = self.g.forward(ws.Z, ws.A)
        return A if x.ndim == 2 else A.reshape(ws.out_shape)

    def backward(self, dA: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        ws = self._last
        dA2 = dA if dA.ndim == 2 else dA.reshape(-1, self.units)
        dZ = self.g.backward(ws.A, ws.Z, dA2, ws.dZ, ws.scratch)  # (batch, units)
        np.dot(ws.x2.T, dZ, out=self.d_kernel)  # (input_dim, units)
        np.add.reduce(dZ, axis=0, out=self.d_bias)  # (units,)
        if not need_dx:
            return None
        np.dot(dZ, self.kernel.T, out=ws.dX)  # (batch, input_dim)
        return ws.dX if dA.ndim == 2 else ws.dX.reshape(*ws.out_shape[:-1], self.input_dim)
