"""Keras's ``Dropout(rate, seed=None)``: in training, each entry is kept with probability 1 − rate and
scaled by 1/(1 − rate) (inverted dropout, as Keras and the course's dropout assignment); outside
training it is the identity. The shape never changes; no weights.

>>> Dropout(0.5).output_shape((120,))
(120,)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import KerasLayerSpec, _whole, check_rate
from shapecheck.core.messages import msg


@dataclass(repr=False)
class Dropout(KerasLayerSpec):
    rate: float
    seed: int | None = None

    kind = "Dropout"
    snake = "dropout"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.rate = check_rate(self.rate, "rate", self.kind)
        if self.seed is not None and (not _whole(self.seed) or self.seed < 0):
            raise ShapecheckError("layers.bad_seed", layer=self.kind, value=self.seed)

    def output_rule(self, inp, out):
        return msg("layers.rule_dropout", rate=self.rate, keep=1 - self.rate)
