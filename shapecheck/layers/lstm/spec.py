"""Keras's ``LSTM(units)``: gates i, f, c, o side by side; kernel (input_dim, 4·units),
recurrent_kernel (units, 4·units), bias (4·units,). The course writes the same cell with gates
f, i, c, o as Wf, Wi, Wc, Wo of shape (n_a, n_a + n_x).

>>> LSTM(10).param_counts((1, 1))
(480, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core import tensors
from shapecheck.layers.units import RecurrentLayer


@dataclass(repr=False)
class LSTM(RecurrentLayer):
    """Keras ``LSTM(units)``: kernel (input_dim, 4·units), recurrent_kernel (units, 4·units), bias (4·units,); gates i, f, c, o."""

    recurrent_activation: str = "sigmoid"
    return_sequences: bool = False

    kind = "LSTM"
    snake = "lstm"
    keras_weights = {
        "kernel": (("input_dim", "4*units"), "rules.keras_lstm_kernel"),
        "recurrent_kernel": (("units", "4*units"), "rules.keras_lstm_recurrent"),
        "bias": (("4*units",), "rules.keras_lstm_bias"),
    }
    count_rule, torch_rule = "rules.count_lstm", "rules.torch_lstm"
    course_table = tensors.LSTM

    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_recurrent_activation()

    def torch_extra_bias(self) -> int:
        return 4 * self.units  # nn.LSTM keeps b_ih and b_hh for each of the four gates
