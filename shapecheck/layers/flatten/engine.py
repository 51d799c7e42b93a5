"""Flatten in numpy: a reshape each way (no copy)."""

from __future__ import annotations

from shapecheck.layers.runtime import PluginRuntime


class FlattenRuntime(PluginRuntime):
    def forward(self, x):
        return x.reshape(len(x), -1)

    def backward(self, dA, need_dx=True):
        return dA.reshape(len(dA), *self.input_shape) if need_dx else None
