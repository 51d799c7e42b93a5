"""Keras's ``Dense(units, activation=None)``: a = g(x·kernel + bias) on the last axis; kernel
(input_dim, units), bias (units,). The course writes the same layer W[l] (n[l], n[l-1]), b[l] (n[l], 1).

>>> Dense(1).param_counts((10,))
(11, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.tensors import Tensor
from shapecheck.layers.units import UnitsLayer


@dataclass(repr=False)
class Dense(UnitsLayer):
    """Keras ``Dense(units, activation=None)``: kernel (in, out), bias (out,)."""

    kind = "Dense"
    snake = "dense"
    keras_weights = {"kernel": (("input_dim", "units"), "rules.keras_dense_kernel"), "bias": (("units",), "rules.keras_dense_bias")}
    count_rule = "rules.count_dense"

    def course_tensors(self, index, mixed):
        if mixed:  # among Keras's other layers, Dense is Keras's, batch first: the course's columns would only confuse
            return []
        return [Tensor(f"W[{index}]", ("units", "input_dim"), "rules.W", "W"), Tensor(f"b[{index}]", ("units", 1), "rules.b", "b")]
