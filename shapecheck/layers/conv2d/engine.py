"""Keras's Conv2D in numpy, float64: Z = A_prev ∗ kernel + bias over every window, then A = g(Z).

The same kernels as the course's conv_forward/conv_backward (engine/conv.py): the windows of the
padded input as one matrix product, the backward scattered over the f_H×f_W offsets.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.conv import columns, convolve, convolve_backward
from shapecheck.engine.initializers import glorot_uniform
from shapecheck.layers.runtime import Activated, PluginRuntime


class Conv2DRuntime(PluginRuntime):
    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.pads = spec.pads(self.input_shape)  # ((top, bottom), (left, right))
        self.g = Activated(spec.activation)

    def initialize(self, rng):
        self.kernel[...] = glorot_uniform(rng, self.kernel.shape)  # fans f_H·f_W·n_C_prev and f_H·f_W·n_C, as Keras
        if self.spec.use_bias:
            self.bias[...] = 0.0

    def _pad(self, x: np.ndarray) -> np.ndarray:
        (top, bottom), (left, right) = self.pads
        if not (top or bottom or left or right):
            return x
        m, n_H, n_W, n_C = x.shape
        shape = (m, n_H + top + bottom, n_W + left + right, n_C)
        if getattr(self, "_x_pad", None) is None or self._x_pad.shape != shape:
            self._x_pad = np.zeros(shape)  # its border stays zero: each batch of this size writes the inside only
        self._x_pad[:, top : top + n_H, left : left + n_W, :] = x
        return self._x_pad

    def forward(self, x):
        self.x_pad = self._pad(x)                                                # (m, n_H_prev + pads, ..., n_C_prev)
        kernel, strides = self.kernel, self.spec.strides
        # the windows as rows, kept for the backward pass's dW (None for inputs too large to keep)
        self.cols = columns(self.x_pad, kernel.shape[:2], strides)
        if self.cols is None:
            Z = convolve(self.x_pad, kernel, strides)                           # (m, n_H, n_W, n_C)
        else:
            Z = (self.cols @ kernel.reshape(self.cols.shape[1], -1)).reshape(len(x), *self.output_shape)
        if self.spec.use_bias:
            Z += self.bias
        return self.g.forward(Z)

    def backward(self, dA, need_dx=True):
        dZ = self.g.backward(dA)                                                 # (m, n_H, n_W, n_C)
        dx, self.d_kernel[...] = convolve_backward(dZ, self.x_pad, self.kernel, self.spec.strides, need_dx, self.cols, self.pads)
        if self.spec.use_bias:
            dZ.sum(axis=(0, 1, 2), out=self.d_bias)                               # (n_C,)
        return dx                                                                # None when not needed; no padding's gradient
