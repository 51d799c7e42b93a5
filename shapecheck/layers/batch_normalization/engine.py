"""BatchNormalization in numpy, per channel (the last axis), as Keras 3 computes it.

Training: μ, σ² of the batch (σ² biased, over every axis but the last); the moving statistics move
towards them, moving = moving·momentum + batch·(1 − momentum), in the forward pass, as Keras
updates them. Otherwise the moving statistics normalise and nothing moves.
"""

from __future__ import annotations

import numpy as np

from shapecheck.layers.runtime import PluginRuntime


class BatchNormalizationRuntime(PluginRuntime):
    reads_training = True

    def initialize(self, rng):
        if self.spec.scale:
            self.gamma[...] = 1.0
        if self.spec.center:
            self.beta[...] = 0.0
        self.moving_mean[...] = 0.0
        self.moving_variance[...] = 1.0

    def forward(self, x):
        spec = self.spec
        axes = tuple(range(x.ndim - 1))
        if self.training:
            mean = x.mean(axis=axes)                                                # (n_C,)
            variance = x.var(axis=axes)                                             # (n_C,), biased
            self.moving_mean *= spec.momentum
            self.moving_mean += (1.0 - spec.momentum) * mean
            self.moving_variance *= spec.momentum
            self.moving_variance += (1.0 - spec.momentum) * variance
        else:
            mean, variance = self.moving_mean, self.moving_variance
        self.batch_statistics = self.training
        self.inv = 1.0 / np.sqrt(variance + spec.epsilon)                           # (n_C,)
        self.x_hat = (x - mean) * self.inv                                          # like x
        y = self.x_hat * self.gamma if spec.scale else self.x_hat.copy()
        if spec.center:
            y += self.beta
        return y

    def backward(self, dA, need_dx=True):
        spec = self.spec
        axes = tuple(range(dA.ndim - 1))
        if spec.scale:
            np.sum(dA * self.x_hat, axis=axes, out=self.d_gamma)                    # (n_C,)
        if spec.center:
            np.sum(dA, axis=axes, out=self.d_beta)                                  # (n_C,)
        d_x_hat = dA * self.gamma if spec.scale else dA
        if self.batch_statistics:  # training: the moving statistics are not in this output (and never trained)
            self.d_moving_mean[...] = 0.0
            self.d_moving_variance[...] = 0.0
        else:  # outside training they are: their true gradients, for a gradient check (no optimizer sees them)
            np.sum(-d_x_hat * self.inv, axis=axes, out=self.d_moving_mean)
            np.sum(-0.5 * d_x_hat * self.x_hat * self.inv**2, axis=axes, out=self.d_moving_variance)
        if not need_dx:
            return None
        if not self.batch_statistics:  # the statistics are constants
            return d_x_hat * self.inv
        N = dA.size // dA.shape[-1]
        # through μ and σ² of the batch: dx = inv/N·(N·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂))
        return (self.inv / N) * (N * d_x_hat - d_x_hat.sum(axis=axes) - self.x_hat * (d_x_hat * self.x_hat).sum(axis=axes))
