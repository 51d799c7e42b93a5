"""Keras's SimpleRNN in numpy, float64: h_t = g(x_t·kernel + h_{t-1}·recurrent_kernel + bias), g = tanh by
default, run by the course's RNN step (engine/rnn_kernels.py); the backward through time beside it."""

from __future__ import annotations

import numpy as np

from shapecheck.engine.activations import Tanh, keras_activation
from shapecheck.engine.rnn_kernels import rnn_steps_backward, rnn_steps_forward
from shapecheck.layers.runtime import RecurrentRuntime


class SimpleRNNRuntime(RecurrentRuntime):
    gates = 1

    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.g = keras_activation(spec.activation)
        self._activation = None if type(self.g) is Tanh else self.g  # the kernel's own tanh, else Keras's object

    def forward(self, x: np.ndarray) -> np.ndarray:
        Wx, Wa, b = self._kernel_weights()
        self.tape = rnn_steps_forward(x, self._zeros(x.shape[0]), Wx, Wa, b, self._activation)
        return self._output(self.tape.H)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        Wx, Wa, _ = self._kernel_weights()
        dX = self._dx(tape.X, need_dx)
        _, dWx, dWa, db = rnn_steps_backward(*self._upstream(dY), tape.X, self._previous_states(), tape.H, tape.Z, Wx, Wa,
                                             self._activation, dX)
        self._store_gradients(dWx, dWa, db)
        return dX
