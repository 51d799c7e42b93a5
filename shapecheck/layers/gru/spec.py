"""Keras's ``GRU(units)``, reset_after=True (its default): gates z, r, h; kernel (input_dim, 3·units),
recurrent_kernel (units, 3·units), bias (2, 3·units): the input and the recurrent biases. The course
writes no GRU in numpy: Keras's layout is its only one.

>>> GRU(3).param_counts((4, 2))
(63, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.units import RecurrentLayer


@dataclass(repr=False)
class GRU(RecurrentLayer):
    """Keras ``GRU(units)``, reset_after=True: kernel (input_dim, 3·units), recurrent_kernel (units, 3·units),
    bias (2, 3·units) (input and recurrent biases); gates z, r, h."""

    recurrent_activation: str = "sigmoid"
    return_sequences: bool = False
    reset_after: bool = True

    kind = "GRU"
    snake = "gru"
    keras_weights = {
        "kernel": (("input_dim", "3*units"), "rules.keras_gru_kernel"),
        "recurrent_kernel": (("units", "3*units"), "rules.keras_gru_recurrent"),
        "bias": ((2, "3*units"), "rules.keras_gru_bias"),  # the input and the recurrent biases
    }
    count_rule, torch_rule = "rules.count_gru", "rules.torch_gru"  # nn.GRU keeps both biases too: the same count

    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_recurrent_activation()
        if self.reset_after is not True:
            raise ShapecheckError("spec.gru_reset_after", layer=f"GRU({self.units})", value=self.reset_after)
