"""Keras's SimpleRNN in numpy, float64: h_t = g(x_t·kernel + h_{t-1}·recurrent_kernel + bias), g = tanh by
default, run by the course's RNN step (engine/rnn_kernels.py); the backward through time beside it."""

from __future__ import annotations

import numpy as np

from shapecheck.engine.activations import Tanh, keras_activation
from shapecheck.layers.runtime import RecurrentRuntime


class SimpleRNNRuntime(RecurrentRuntime):
    gates = 1
    kind = "rnn"

    def _keras_activations(self):
        self.g = keras_activation(self.spec.activation)
        return None if type(self.g) is Tanh else self.g  # the kernel's own tanh, else Keras's object

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.tape = self._run(x).forward(x, None, self.kernel.T, self.recurrent_kernel.T, self.bias, self._activations)
        return self._output(self.tape.H)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        dX = self._dx(tape.X, need_dx)
        self._backward.backward(*self._upstream(dY), tape.X, self._previous(tape), tape.H, tape.Z, self.kernel.T,
                                self.recurrent_kernel.T, self._activations, dX, False, self._grads())
        return dX
