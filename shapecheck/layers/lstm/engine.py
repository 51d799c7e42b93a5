"""Keras's LSTM in numpy, float64, batch first: Keras's gates i, f, c, o on the outside, run by the course's
LSTM step (engine/rnn_kernels.py, kernel order o, f, i, c); the exact backward through time beside it.

    z  = x_t·kernel + h_{t-1}·recurrent_kernel + bias       (batch, 4·units)
    i, f, c̃, o = σ(z_i), σ(z_f), tanh(z_c), σ(z_o)
    c_t = f ∗ c_{t-1} + i ∗ c̃,    h_t = o ∗ tanh(c_t)

States start at zero.

>>> import numpy as np
>>> from shapecheck.layers.lstm.spec import LSTM
>>> from shapecheck.layers.runtime import standalone_weights
>>> layer = LSTM(3).runtime((5, 2))
>>> _ = standalone_weights(layer, seed=0)
>>> layer.forward(np.ones((4, 5, 2))).shape
(4, 3)
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.activations import Sigmoid, Tanh, keras_activation
from shapecheck.engine.rnn_kernels import lstm_steps_backward, lstm_steps_forward
from shapecheck.layers.runtime import RecurrentRuntime


class LSTMRuntime(RecurrentRuntime):
    gates = 4
    order = (3, 1, 0, 2)  # o, f, i, c as Keras's blocks i=0, f=1, c=2, o=3

    def __init__(self, spec, input_shape):
        super().__init__(spec, input_shape)
        self.g = keras_activation(spec.activation)  # tanh: the candidate c̃ and the output tanh(c)
        self.gate_g = keras_activation(spec.recurrent_activation)  # σ: gates i, f, o
        course = type(self.g) is Tanh and type(self.gate_g) is Sigmoid
        self._activations = None if course else (self.g, self.gate_g)

    def forward(self, x: np.ndarray) -> np.ndarray:
        Wx, Wa, b = self._kernel_weights()
        zeros = self._zeros(x.shape[0])
        self.tape = lstm_steps_forward(x, zeros, zeros, Wx, Wa, b, self._activations)
        return self._output(self.tape.H)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        Wx, Wa, _ = self._kernel_weights()
        dX = self._dx(tape.X, need_dx)
        *_, dWx, dWa, db = lstm_steps_backward(*self._upstream(dY), None, tape.X, self._previous_states(), tape.C[:, :-1],
                                               tape.C[:, 1:], tape.tanh_c, tape.G, tape.Z, Wx, Wa, self._activations, dX)
        self._store_gradients(dWx, dWa, db)
        return dX
