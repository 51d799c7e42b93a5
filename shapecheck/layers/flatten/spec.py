"""Keras's ``Flatten()``: (m, n_H, n_W, n_C) becomes (m, n_H·n_W·n_C), row by row (C order), channels last.

>>> Flatten().output_shape((5, 5, 16))
(400,)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapecheck.layers.base import KerasLayerSpec
from shapecheck.core.messages import msg


@dataclass(repr=False)
class Flatten(KerasLayerSpec):
    kind = "Flatten"
    snake = "flatten"

    def output_shape(self, inp):
        return (math.prod(inp),)

    def output_rule(self, inp, out):
        return msg("layers.rule_flatten", product="·".join(map(str, inp)), count=out[0])
