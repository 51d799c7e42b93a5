"""Activation and ReLU in numpy: the engine's activations (engine/activations.py), forward and backward."""

from __future__ import annotations

from shapecheck.layers.runtime import Activated, PluginRuntime


class ActivationRuntime(PluginRuntime):
    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.g = Activated(spec.activation)

    def forward(self, x):
        return self.g.forward(x)

    def backward(self, dA, need_dx=True):
        return self.g.backward(dA) if need_dx else None


ReLURuntime = ActivationRuntime
