"""ZeroPadding2D in numpy: the image copied into the middle of zeros; backward keeps the middle."""

from __future__ import annotations

import numpy as np

from shapecheck.layers.runtime import PluginRuntime


class ZeroPadding2DRuntime(PluginRuntime):
    def forward(self, x):
        (top, _), (left, _) = self.spec.padding
        out = np.zeros((x.shape[0], *self.output_shape))
        out[:, top : top + x.shape[1], left : left + x.shape[2], :] = x
        return out

    def backward(self, dA, need_dx=True):
        if not need_dx:
            return None
        (top, _), (left, _) = self.spec.padding
        n_H, n_W, _ = self.input_shape
        return dA[:, top : top + n_H, left : left + n_W, :]
