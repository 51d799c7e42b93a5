"""Keras's LSTM in numpy, float64, batch first: Keras's gates i, f, c, o on the outside, run by the course's
LSTM step (engine/rnn_kernels.py, kernel order i, f, c, o); the exact backward through time beside it.

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
from shapecheck.layers.runtime import RecurrentRuntime


class LSTMRuntime(RecurrentRuntime):
    gates = 4
    kind = "lstm"

    def _keras_activations(self):
        self.g = keras_activation(self.spec.activation)  # tanh: the candidate c̃ and the output tanh(c)
        self.gate_g = keras_activation(self.spec.recurrent_activation)  # σ: gates i, f, o
        course = type(self.g) is Tanh and type(self.gate_g) is Sigmoid
        return None if course else (self.g, self.gate_g)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.tape = self._run(x).forward(x, None, None, self.kernel.T, self.recurrent_kernel.T, self.bias,
                                         self._activations)
        return self._output(self.tape.H)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        dX = self._dx(tape.X, need_dx)
        run = self._forward                                       # its C views are made once
        self._backward.backward(*self._upstream(dY), None, tape.X, self._previous(tape), run.C_prev, run.C_next,
                                tape.tanh_c, tape.G, tape.Z, self.kernel.T, self.recurrent_kernel.T, self._activations,
                                dX, False, self._grads())
        return dX
