"""Keras's ``ZeroPadding2D(padding=(1, 1))``: rows and columns of zeros around each image (the course's zero_pad).

``padding`` is p (every side), (p_H, p_W) (top and bottom, left and right), or ((top, bottom), (left, right)).

>>> ZeroPadding2D(3).output_shape((64, 64, 3))
(70, 70, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import KerasLayerSpec, _whole, pair
from shapecheck.core.messages import msg


@dataclass(repr=False)
class ZeroPadding2D(KerasLayerSpec):
    padding: Any = (1, 1)

    kind = "ZeroPadding2D"
    snake = "zero_padding2d"
    input_rank = 3

    def __post_init__(self) -> None:
        super().__post_init__()
        value = self.padding
        if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, (tuple, list)) for v in value):
            self.padding = (pair(value[0], "zero_padding", self.kind, least=0), pair(value[1], "zero_padding", self.kind, least=0))
        else:
            if _whole(value) and value < 0:
                raise ShapecheckError("conv.bad_pad", value=value, where=self.kind)
            p_H, p_W = pair(value, "zero_padding", self.kind, least=0)
            self.padding = ((p_H, p_H), (p_W, p_W))

    def output_shape(self, inp):
        self.check_input(inp)
        (top, bottom), (left, right) = self.padding
        return inp[0] + top + bottom, inp[1] + left + right, inp[2]

    def output_rule(self, inp, out):
        (top, bottom), (left, right) = self.padding
        return msg("layers.rule_zero_padding", n_H=inp[0], top=top, bottom=bottom, out_H=out[0],
                   n_W=inp[1], left=left, right=right, out_W=out[1])
