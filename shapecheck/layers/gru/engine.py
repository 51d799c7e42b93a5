"""Keras's GRU (reset_after=True) in numpy, float64: gates z, r, h in Keras's order, run by the engine's
GRU steps (engine/gru_kernels.py); bias (2, 3·units) = the input bias, the recurrent bias."""

from __future__ import annotations

import numpy as np

from shapecheck.engine.activations import Sigmoid, Tanh, keras_activation
from shapecheck.layers.runtime import RecurrentRuntime


class GRURuntime(RecurrentRuntime):
    gates = 3
    kind = "gru"

    def _keras_activations(self):
        self.g = keras_activation(self.spec.activation)  # tanh: the candidate h̃
        self.gate_g = keras_activation(self.spec.recurrent_activation)  # σ: gates z, r
        course = type(self.g) is Tanh and type(self.gate_g) is Sigmoid
        return None if course else (self.g, self.gate_g)

    def _layer_kernels(self, course: bool):
        from shapecheck.engine.gru_kernels import layer_kernels

        return layer_kernels(self.units, course)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.tape = self._run(x).forward(x, None, self.kernel.T, self.recurrent_kernel.T, self.bias[0], self.bias[1],
                                         self._activations, self.return_sequences)
        return self.tape.H if self.return_sequences else self.tape.last.copy()

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        dX = self._dx(tape.X, need_dx)
        dWx, dWa, dbx, dba = self._backward.backward(*self._upstream(dY), tape, self.kernel.T, self.recurrent_kernel.T,
                                                     self._activations, dX, False)
        self.d_kernel[...] = dWx.T
        self.d_recurrent_kernel[...] = dWa.T
        self.d_bias[0], self.d_bias[1] = dbx, dba
        return dX
