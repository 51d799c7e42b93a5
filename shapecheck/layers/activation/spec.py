"""Keras's ``Activation(activation)`` and ``ReLU()``: g applied entry by entry (softmax: over the last
axis); the shape never changes; no weights.

>>> Activation("relu").output_shape((10,))
(10,)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import KerasLayerSpec, check_activation
from shapecheck.core.messages import msg


@dataclass(repr=False)
class Activation(KerasLayerSpec):
    activation: str

    kind = "Activation"
    snake = "activation"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.activation = check_activation(self.activation, self.kind)

    def output_rule(self, inp, out):
        return msg("layers.rule_activation", g=self.activation)


@dataclass(repr=False)
class ReLU(KerasLayerSpec):
    max_value: float | None = None
    negative_slope: float = 0.0
    threshold: float = 0.0

    kind = "ReLU"
    snake = "re_lu"
    activation = "relu"

    def __post_init__(self) -> None:
        super().__post_init__()
        for option, default in (("max_value", None), ("negative_slope", 0.0), ("threshold", 0.0)):
            if getattr(self, option) != default:
                raise ShapecheckError("layers.option_not_modelled", layer=self.kind, option=option, value=getattr(self, option))

    def output_rule(self, inp, out):
        return msg("layers.rule_activation", g="relu")
