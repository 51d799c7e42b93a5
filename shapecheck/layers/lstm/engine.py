"""Keras's LSTM in numpy, float64, batch first: Keras's gates i, f, c, o on the outside, run by the course's
LSTM step (engine/lstm_kernels.py, kernel order i, f, c, o, time first); the exact backward through time beside it.

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

    def _layer_kernels(self, course: bool):
        from shapecheck.engine.lstm_kernels import layer_kernels

        return layer_kernels(self.units, course)

    def bind(self, weights, grads) -> None:
        """Also [kernel; recurrent_kernel; bias] and their gradients as ONE view each, when a model's flat buffers
        hold them one after the other (the kernels' W and dWᵀ): no copy in, none out."""
        from shapecheck.engine.lstm_kernels import stacked_weights

        super().bind(weights, grads)
        self._W = stacked_weights(self.kernel, self.recurrent_kernel, self.bias)
        self._dW = stacked_weights(self.d_kernel, self.d_recurrent_kernel, self.d_bias)
        self._W_own = None

    def _stacked(self) -> np.ndarray:
        """W = [kernel; recurrent_kernel; bias]: the view, or a copy in the layer's own buffer."""
        if self._W is not None:
            return self._W
        from shapecheck.engine.lstm_kernels import lstm_weights

        if self._W_own is None:
            self._W_own = np.empty((self.kernel.shape[0] + self.units + 1, 4 * self.units))
        return lstm_weights(self.kernel.T, self.recurrent_kernel.T, self.bias, out=self._W_own)

    def forward(self, x: np.ndarray) -> np.ndarray:
        run = self._run(x)
        self.tape = run.forward(x.transpose(1, 0, 2), None, None, self._stacked(), self._activations)
        H = run.H                                                 # (T, batch, units): time first, a view of the tape
        return H.transpose(1, 0, 2) if self.return_sequences else H[-1]

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape, run = self.tape, self._forward                      # its C views are made once
        dX = None
        if need_dx:                                               # time first, handed back as (batch, T, n_x)
            shape = run.X.shape
            if self._dX is None or self._dX.shape != shape:
                self._dX = np.empty(shape)
            dX = self._dX
        dH, dh_last = (dY.transpose(1, 0, 2), None) if self.return_sequences else (None, dY)
        dWT = self._backward.backward(dH, dh_last, None, tape.R, run.C_prev, run.C_next, tape.tanh_c, tape.G, tape.Z,
                                      self._stacked(), self._activations, dX, False, self._dW)
        if self._dW is None:                                      # weights of their own (not a model's): copied out
            n_x = self.kernel.shape[0]
            np.copyto(self.d_kernel, dWT[:n_x])
            np.copyto(self.d_recurrent_kernel, dWT[n_x:-1])
            np.copyto(self.d_bias, dWT[-1])
        return None if dX is None else dX.transpose(1, 0, 2)
