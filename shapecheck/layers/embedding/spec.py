"""Keras's ``Embedding(input_dim, output_dim)``: each integer index i in [0, input_dim) becomes row i of
the embeddings matrix (input_dim, output_dim); (m, T) becomes (m, T, output_dim).

``input_length=T`` (Keras 2's argument) is read as ``input_shape=(T,)``.

>>> Embedding(1000, 64, input_length=10).param_counts((10,))
(64000, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.layers.base import KerasLayerSpec, Weight, check_count
from shapecheck.core.messages import msg


@dataclass(repr=False)
class Embedding(KerasLayerSpec):
    input_dim: int
    output_dim: int
    input_length: int | None = None

    kind = "Embedding"
    snake = "embedding"

    def __post_init__(self) -> None:
        if self.input_length is not None and self.input_shape is None:
            self.input_shape = (self.input_length,)
        super().__post_init__()
        self.input_dim = check_count(self.input_dim, "input_dim", self.kind)
        self.output_dim = check_count(self.output_dim, "output_dim", self.kind)

    def output_shape(self, inp):
        return (*inp, self.output_dim)

    def weights(self, inp):
        rule = msg("layers.rule_embeddings")
        return [Weight("embeddings", (self.input_dim, self.output_dim), ("input_dim", "output_dim"), rule)]

    def formula(self, inp):
        return msg("layers.count_embedding", input_dim=self.input_dim, output_dim=self.output_dim,
                   count=self.input_dim * self.output_dim)

    def output_rule(self, inp, out):
        return msg("layers.rule_embedding", output_dim=self.output_dim)

    def output_symbols(self, out):
        return (*(["T"] if len(out) == 2 else [f"d{i}" for i in range(len(out) - 1)]), "output_dim")
