"""Dropout in numpy: a fresh mask per training step, from the layer's own seeded stream."""

from __future__ import annotations

import numpy as np

from shapecheck.layers.runtime import PluginRuntime


class DropoutRuntime(PluginRuntime):
    reads_training = True

    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.rng = np.random.default_rng(spec.seed)
        self.mask = None

    def initialize(self, rng):
        # the layer's seed if given, else a stream spawned from the model's: the same model seed, the same masks
        seed = self.spec.seed if self.spec.seed is not None else int(rng.integers(2**63))
        self.rng = np.random.default_rng(seed)

    def forward(self, x):
        self.mask = None
        if not self.training or self.spec.rate == 0.0:
            return x
        keep = 1.0 - self.spec.rate
        self.mask = (self.rng.random(x.shape) < keep) / keep                  # D ∗ 1/keep_prob, the course's
        return x * self.mask

    def backward(self, dA, need_dx=True):
        if not need_dx:
            return None
        return dA if self.mask is None else dA * self.mask
