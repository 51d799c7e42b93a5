"""Keras's ``SimpleRNN(units)``: h_t = g(x_t·kernel + h_{t-1}·recurrent_kernel + bias), g = tanh.

Kernel (input_dim, units), recurrent_kernel (units, units), bias (units,); the course's Wax, Waa, ba.

>>> SimpleRNN(4).param_counts((5, 3))
(32, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core import tensors
from shapecheck.layers.units import RecurrentLayer


@dataclass(repr=False)
class SimpleRNN(RecurrentLayer):
    """Keras ``SimpleRNN(units)``: kernel (input_dim, units), recurrent_kernel (units, units), bias (units,)."""

    return_sequences: bool = False

    kind = "SimpleRNN"
    snake = "simple_rnn"
    keras_weights = {
        "kernel": (("input_dim", "units"), "rules.keras_rnn_kernel"),
        "recurrent_kernel": (("units", "units"), "rules.keras_rnn_recurrent"),
        "bias": (("units",), "rules.keras_rnn_bias"),
    }
    count_rule, torch_rule = "rules.count_rnn", "rules.torch_rnn"
    course_table = tensors.RNN

    def torch_extra_bias(self) -> int:
        return self.units  # nn.RNN keeps b_ih and b_hh
