"""Keras's GRU (reset_after=True) in numpy, float64: gates z, r, h in Keras's order, run by the engine's
GRU steps (engine/rnn_kernels.py); bias (2, 3·units) = the input bias, the recurrent bias."""

from __future__ import annotations

import numpy as np

from shapecheck.engine.activations import Sigmoid, Tanh, keras_activation
from shapecheck.engine.rnn_kernels import gru_steps_backward, gru_steps_forward
from shapecheck.layers.runtime import RecurrentRuntime


class GRURuntime(RecurrentRuntime):
    gates = 3
    order = (0, 1, 2)  # the kernel's order is Keras's

    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.g = keras_activation(spec.activation)  # tanh: the candidate h̃
        self.gate_g = keras_activation(spec.recurrent_activation)  # σ: gates z, r
        course = type(self.g) is Tanh and type(self.gate_g) is Sigmoid
        self._activations = None if course else (self.g, self.gate_g)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.tape = gru_steps_forward(x, self._zeros(x.shape[0]), self.kernel.T, self.recurrent_kernel.T,
                                      self.bias[0], self.bias[1], self._activations)
        return self._output(self.tape.H)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        dX = self._dx(tape.X, need_dx)
        _, dWx, dWa, dbx, dba = gru_steps_backward(*self._upstream(dY), tape.X, self._previous_states(), tape.G, tape.R,
                                                   tape.Z, self.kernel.T, self.recurrent_kernel.T, self._activations, dX)
        self.d_kernel[...] = dWx.T
        self.d_recurrent_kernel[...] = dWa.T
        self.d_bias[0], self.d_bias[1] = dbx, dba
        return dX
