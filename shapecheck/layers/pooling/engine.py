"""Keras's pooling in numpy: the max or the mean of every window, channel by channel.

The course's pool_forward/pool_backward kernels (engine/conv.py). "same" padding: a max pads with
−∞ (never chosen), an average divides by the entries of each window that are not padding.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.conv import pool, pool_backward_windows
from shapecheck.layers.runtime import PluginRuntime


class _PoolingRuntime(PluginRuntime):
    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        (self.top, bottom), (self.left, right) = spec.pads(self.input_shape)
        self.padded = bool(self.top or bottom or self.left or right)
        n_H, n_W, _ = self.input_shape
        self.padded_shape = (n_H + self.top + bottom, n_W + self.left + right)
        self.count = None
        if self.padded and spec.mode == "average":  # entries of each window inside the image
            inside = np.zeros((1, *self.padded_shape, 1))
            inside[:, self.top : self.top + n_H, self.left : self.left + n_W, :] = 1.0
            self.count = pool(inside, spec.pool_size, spec.strides, "average") * (spec.pool_size[0] * spec.pool_size[1])

    def _pad(self, x):
        if not self.padded:
            return x
        m, n_H, n_W, n_C = x.shape
        x_pad = np.full((m, *self.padded_shape, n_C), -np.inf if self.spec.mode == "max" else 0.0)
        x_pad[:, self.top : self.top + n_H, self.left : self.left + n_W, :] = x
        return x_pad

    def forward(self, x):
        self.x_pad = self._pad(x)
        self.out = pool(self.x_pad, self.spec.pool_size, self.spec.strides, self.spec.mode, self.count)
        return self.out

    def backward(self, dA, need_dx=True):
        if not need_dx:
            return None
        dx_pad = pool_backward_windows(dA, self.x_pad, self.out, self.spec.pool_size, self.spec.strides, self.spec.mode, self.count)
        n_H, n_W, _ = self.input_shape
        return dx_pad[:, self.top : self.top + n_H, self.left : self.left + n_W, :]


class MaxPooling2DRuntime(_PoolingRuntime):
    pass


class AveragePooling2DRuntime(_PoolingRuntime):
    pass
