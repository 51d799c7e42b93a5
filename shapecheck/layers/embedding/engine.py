"""Embedding in numpy: a row look-up; the backward adds each output's gradient into its row."""

from __future__ import annotations

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.runtime import PluginRuntime


class EmbeddingRuntime(PluginRuntime):
    def initialize(self, rng):
        self.embeddings[...] = rng.uniform(-0.05, 0.05, size=self.embeddings.shape)  # Keras's default

    def forward(self, x):
        index = np.asarray(x)
        if index.dtype.kind == "f":
            whole = np.rint(index)
            if not np.array_equal(whole, index):
                raise ShapecheckError("layers.embedding_not_integer", layer=self.name)
            index = whole
        index = index.astype(np.intp)
        if index.size and (index.min() < 0 or index.max() >= self.spec.input_dim):
            bad = int(index.max() if index.max() >= self.spec.input_dim else index.min())
            raise ShapecheckError("layers.embedding_index", layer=self.name, value=bad, input_dim=self.spec.input_dim,
                                  top=self.spec.input_dim - 1)
        self.index = index
        return self.embeddings[index]                                          # (m, T, output_dim)

    def backward(self, dA, need_dx=True):
        self.d_embeddings[...] = 0.0
        np.add.at(self.d_embeddings, self.index.ravel(), dA.reshape(-1, self.spec.output_dim))
        return np.zeros(self.index.shape) if need_dx else None  # indices have no gradient
