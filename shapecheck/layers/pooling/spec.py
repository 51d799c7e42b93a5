"""Keras's ``MaxPooling2D`` and ``AveragePooling2D(pool_size=(2, 2), strides=None, padding="valid")``.

n_H = ⌊(n_H_prev + pads − f)/stride⌋ + 1 with f = pool_size and stride = pool_size unless given; n_C
stays. No weights. "same" pads so that n_H = ⌈n_H_prev/stride⌉; the padding is never a maximum and
never counts in an average.

>>> MaxPooling2D().output_shape((28, 28, 6))
(14, 14, 6)
>>> AveragePooling2D(3, strides=2, padding="same").output_shape((7, 7, 2))
(4, 4, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapecheck.spec.conv_rules import check_window, keras_padding, output_size
from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import KerasLayerSpec, pair, padding_mode
from shapecheck.layers.conv2d.spec import looks_channels_first, window_rule
from shapecheck.core.messages import msg


@dataclass(repr=False)
class _Pooling2D(KerasLayerSpec):
    pool_size: Any = (2, 2)
    strides: Any = None
    padding: str = "valid"

    input_rank = 3
    mode = "max"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.pool_size = pair(self.pool_size, "pool_size", self.kind)
        self.strides = self.pool_size if self.strides is None else pair(self.strides, "strides", self.kind)
        self.padding = padding_mode(self.padding, self.kind)

    def pads(self, inp):
        return tuple(keras_padding(self.padding, n, f, s) for n, f, s in zip(inp[:2], self.pool_size, self.strides))

    def output_shape(self, inp):
        self.check_input(inp)
        if looks_channels_first(inp):
            raise ShapecheckError("layers.channels_first", layer=self.label(), shape=inp, fixed=(inp[1], inp[2], inp[0]))
        pads = self.pads(inp)
        check_window(self.pool_size, inp[0], inp[1], pads, self.label())
        n_H, n_W = (output_size(n, f, s, p) for n, f, s, p in zip(inp[:2], self.pool_size, self.strides, pads))
        return n_H, n_W, inp[2]

    def output_rule(self, inp, out):
        return window_rule(inp, out, self.pool_size, self.strides, self.pads(inp), self.padding,
                           msg(f"layers.channels_pool_{self.mode}", n_C=inp[2]))

    def _options(self):
        options = super()._options()
        if self.strides == self.pool_size:
            options.pop("strides", None)
        return options


@dataclass(repr=False)
class MaxPooling2D(_Pooling2D):
    kind = "MaxPooling2D"
    snake = "max_pooling2d"
    mode = "max"


@dataclass(repr=False)
class AveragePooling2D(_Pooling2D):
    kind = "AveragePooling2D"
    snake = "average_pooling2d"
    mode = "average"


MaxPool2D = MaxPooling2D  # Keras's aliases: the same layer, named max_pooling2d
AvgPool2D = AveragePooling2D
