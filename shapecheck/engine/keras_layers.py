"""Keras's Dense, SimpleRNN, LSTM and GRU, batch first, float64: forward and exact backward.

Keras's equations and weight layout (gates i, f, c, o side by side), for one time step:

    z  = x_t·kernel + h_{t-1}·recurrent_kernel + bias       (batch, 4·units)
    i, f, c̃, o = σ(z_i), σ(z_f), tanh(z_c), σ(z_o)
    c_t = f ∗ c_{t-1} + i ∗ c̃,    h_t = o ∗ tanh(c_t)

States start at zero. The recurrent layers run the engine's recurrent kernels (rnn_kernels), the
same steps as the course's lstm_forward and rnn_forward, in Keras's gate order on the outside.

Small tensors make numpy cost per call, not per number: Dense writes into buffers kept per input
shape, and every layer its gradients into views of the model's one flat gradient buffer, assigned
(not accumulated) at every step. An output returned by ``forward`` is the layer's own buffer: it
stays valid until the next ``forward``; copy it to keep it.

>>> import numpy as np
>>> from shapecheck.spec.networks import LSTM
>>> layer = LSTMLayer(LSTM(3), input_dim=2)
>>> _ = standalone_weights(layer, seed=0)
>>> layer.forward(np.ones((4, 5, 2))).shape
(4, 3)
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.rnn_kernels import (
    layer_kernels, states_before,
)
from shapecheck.spec.networks import Dense, Layer

# --- activations: g(z) into a buffer, and dz = da ∗ g'(z) from the output a ---------------------


class Activation:
    """``forward(z, out)`` writes g(z); ``backward(a, z, da, out, scratch)`` writes da ∗ g'(z).

    Both return the array holding the result (linear returns its input: no copy). ``out`` may be
    ``da``; ``scratch`` is a buffer of the same shape that the call may overwrite.
    """

    name = "linear"
    elementwise = True

    def forward(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        if out is not z:
            np.copyto(out, z)
        return out

    def backward(self, a, z, da, out, scratch):
        if out is not da:
            np.copyto(out, da)
        return out


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z, out):
        # σ(z) = (1 + tanh(z/2)) / 2: no overflow warning for z = -1000, unlike 1 / (1 + exp(-z))
        np.multiply(z, 0.5, out=out)
        np.tanh(out, out=out)
        out *= 0.5
        out += 0.5
        return out

    def backward(self, a, z, da, out, scratch):
        np.subtract(1.0, a, out=scratch)  # σ' = σ(1 − σ)
        scratch *= a
        return np.multiply(da, scratch, out=out)


class Tanh(Activation):
    name = "tanh"

    def forward(self, z, out):
        return np.tanh(z, out=out)

    def backward(self, a, z, da, out, scratch):
        np.multiply(a, a, out=scratch)  # tanh' = 1 − tanh²
        np.subtract(1.0, scratch, out=scratch)
        return np.multiply(da, scratch, out=out)


class Relu(Activation):
    name = "relu"

    def forward(self, z, out):
        return np.maximum(z, 0.0, out=out)

    def backward(self, a, z, da, out, scratch):
        np.greater(z, 0.0, out=scratch)  # 0 at z = 0, as Keras's backends take it
        return np.multiply(da, scratch, out=out)


class LeakyRelu(Activation):
    name = "leaky_relu"
    negative_slope = 0.2  # Keras's keras.activations.leaky_relu default

    def forward(self, z, out):
        np.multiply(z, self.negative_slope, out=out)
        return np.maximum(z, out, out=out)

    def backward(self, a, z, da, out, scratch):
        np.greater(z, 0.0, out=scratch)
        scratch *= 1.0 - self.negative_slope  # 1 where z > 0, the slope elsewhere
        scratch += self.negative_slope
        return np.multiply(da, scratch, out=out)


class Softmax(Activation):
    """Over the last axis. Its backward is the Jacobian-vector product a ∗ (da − Σ da·a)."""

    name = "softmax"
    elementwise = False

    def forward(self, z, out):
        np.subtract(z, z.max(axis=-1, keepdims=True), out=out)  # exp never overflows
        np.exp(out, out=out)
        out /= out.sum(axis=-1, keepdims=True)
        return out

    def backward(self, a, z, da, out, scratch):
        np.multiply(da, a, out=scratch)
        dot = scratch.sum(axis=-1, keepdims=True)
        np.subtract(da, dot, out=out)
        out *= a
        return out


ACTIVATIONS: dict[str, Activation] = {
    cls.name: cls() for cls in (Activation, Sigmoid, Tanh, Relu, LeakyRelu, Softmax)
}


def activation(name: str | None) -> Activation:
    return ACTIVATIONS["linear" if name is None else name]


# --- layers ---------------------------------------------------------------------------------------


class _Buffers:
    """Named arrays for one input shape; created once, reused at every step."""


class KerasLayer:
    """What every layer runtime has: weight names and shapes, views into the flat buffers."""

    def __init__(self, spec: Layer, input_dim: int) -> None:
        self.spec = spec
        self.name = spec.name or spec.kind.lower()
        self.units = spec.units
        self.input_dim = input_dim
        self._workspaces: dict[tuple, _Buffers] = {}
        self._last: _Buffers | None = None

    @property
    def weight_names(self) -> tuple[str, ...]:
        return tuple(self.spec.keras_weights)  # the spec says which weights, their order and shapes: one home

    def weight_shapes(self) -> list[tuple[int, ...]]:
        return list(self.spec.weight_shapes(self.input_dim).values())

    def bind(self, weights: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Take views of the model's flat parameter and gradient buffers, in ``weight_names`` order."""
        for name, w, g in zip(self.weight_names, weights, grads):
            setattr(self, name, w)
            setattr(self, "d_" + name, g)

    def initialize(self, rng: np.random.Generator) -> None:  # pragma: no cover
        raise NotImplementedError

    def _workspace(self, key: tuple) -> _Buffers:
        ws = self._workspaces.get(key)
        if ws is None:
            if len(self._workspaces) >= 8:  # predict on many batch sizes must not grow memory forever
                self._workspaces.clear()
            ws = self._workspaces[key] = self._allocate(*key)
        self._last = ws
        return ws

    def _allocate(self, *key: int) -> _Buffers:  # pragma: no cover
        raise NotImplementedError


class DenseLayer(KerasLayer):
    """Keras ``Dense``: a = g(x·kernel + bias) on the last axis, kernel (input_dim, units), bias (units,)."""

    def __init__(self, spec: Dense, input_dim: int) -> None:
        super().__init__(spec, input_dim)
        self.g = activation(spec.activation)

    def initialize(self, rng):
        from shapecheck.engine.initializers import glorot_uniform

        self.kernel[...] = glorot_uniform(rng, self.kernel.shape)
        self.bias[...] = 0.0

    def _allocate(self, rows: int, *lead: int) -> _Buffers:
        ws = _Buffers()
        n = rows * int(np.prod(lead, dtype=int))
        ws.out_shape = (rows, *lead, self.units)
        ws.Z = np.empty((n, self.units))  # (batch·…, units)
        ws.A = ws.Z if self.g.name == "linear" else np.empty_like(ws.Z)
        ws.dZ = np.empty_like(ws.Z)
        ws.scratch = np.empty_like(ws.Z)
        ws.dX = np.empty((n, self.input_dim))
        return ws

    def forward(self, x: np.ndarray) -> np.ndarray:
        ws = self._workspace(x.shape[:-1])
        x2 = x if x.ndim == 2 else x.reshape(-1, self.input_dim)  # Dense acts on the last axis
        ws.x2 = x2
        np.dot(x2, self.kernel, out=ws.Z)  # (batch, units)
        ws.Z += self.bias
        A = self.g.forward(ws.Z, ws.A)
        return A if x.ndim == 2 else A.reshape(ws.out_shape)

    def backward(self, dA: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        ws = self._last
        dA2 = dA if dA.ndim == 2 else dA.reshape(-1, self.units)
        dZ = self.g.backward(ws.A, ws.Z, dA2, ws.dZ, ws.scratch)  # (batch, units)
        np.dot(ws.x2.T, dZ, out=self.d_kernel)  # (input_dim, units)
        np.add.reduce(dZ, axis=0, out=self.d_bias)  # (units,)
        if not need_dx:
            return None
        np.dot(dZ, self.kernel.T, out=ws.dX)  # (batch, input_dim)
        return ws.dX if dA.ndim == 2 else ws.dX.reshape(*ws.out_shape[:-1], self.input_dim)


class _Recurrent(KerasLayer):
    """Shared by SimpleRNN, LSTM and GRU: the engine's recurrent kernels (rnn_kernels), whose layout
    (batch, T, ·) and gate order are Keras's own, so x, the weights, the outputs, dx and the
    gradients pass without a copy. The layer keeps its kernels per input shape (buffers made once)."""

    gates = 1
    kind = "rnn"

    def __init__(self, spec: Layer, input_dim: int) -> None:
        super().__init__(spec, input_dim)
        self.return_sequences = spec.return_sequences
        self.tape = None
        self._activations = self._keras_activations()
        self._kernels = layer_kernels(self.kind, self.units, self._activations is None)
        self._forward = self._backward = None  # the kernels of the last forward's shape
        self._h_prev: np.ndarray | None = None  # h_{t-1} of every step, and dx: the last shape's buffers
        self._dX: np.ndarray | None = None

    def _keras_activations(self):
        """None for the course's tanh (and σ gates), which the kernels run themselves; else Keras's objects."""
        raise NotImplementedError  # pragma: no cover

    def initialize(self, rng):
        from shapecheck.engine.initializers import glorot_uniform, lstm_bias, orthogonal

        self.kernel[...] = glorot_uniform(rng, self.kernel.shape)
        self.recurrent_kernel[...] = orthogonal(rng, self.recurrent_kernel.shape)
        self.bias[...] = lstm_bias(self.units) if self.gates == 4 else 0.0

    def _run(self, x: np.ndarray):
        self._forward, self._backward = self._kernels(x.shape)
        return self._forward

    def _grads(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where the kernels write dWx, dWa, db: the transposed views of Keras's gradient buffers."""
        return self.d_kernel.T, self.d_recurrent_kernel.T, self.d_bias

    def _previous(self, tape) -> np.ndarray | None:
        """h_{t-1} of every step (h_{-1} = 0), in this layer's buffer; None for one step (all zeros)."""
        H = tape.H
        if H.shape[1] == 1 and self.gates != 3:  # the GRU's backward reads h_{t-1} itself
            return None
        if self._h_prev is None or self._h_prev.shape != H.shape:
            self._h_prev = np.empty(H.shape)
        return states_before(None, H, self._h_prev)

    def _output(self, H: np.ndarray) -> np.ndarray:
        return H if self.return_sequences else H[:, -1]  # (batch, T, units) or the last step (batch, units)

    def _upstream(self, dY: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(∂J/∂h of every step, ∂J/∂h of the last step only): one of the two, from the layer above."""
        return (dY, None) if self.return_sequences else (None, dY)

    def _dx(self, x: np.ndarray, need_dx: bool) -> np.ndarray | None:
        if not need_dx:
            return None
        if self._dX is None or self._dX.shape != x.shape:
            self._dX = np.empty(x.shape)
        return self._dX


class SimpleRNNLayer(_Recurrent):
    """Keras ``SimpleRNN``: h_t = g(x_t·kernel + bias + h_{t-1}·recurrent_kernel), g = tanh by default."""

    gates = 1
    kind = "rnn"

    def _keras_activations(self):
        self.g = activation(self.spec.activation)
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


class LSTMLayer(_Recurrent):
    """Keras ``LSTM``: Keras's gates i, f, c, o, run by the course's LSTM step (the kernels' order is Keras's)."""

    gates = 4
    kind = "lstm"

    def _keras_activations(self):
        self.g = activation(self.spec.activation)  # tanh: the candidate c̃ and the output tanh(c)
        self.gate_g = activation(self.spec.recurrent_activation)  # σ: gates i, f, o
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


class GRULayer(_Recurrent):
    """Keras ``GRU`` (reset_after=True): gates z, r, h; bias (2, 3·units) = input bias, recurrent bias."""

    gates = 3
    kind = "gru"

    def _keras_activations(self):
        self.g = activation(self.spec.activation)  # tanh: the candidate h̃
        self.gate_g = activation(self.spec.recurrent_activation)  # σ: gates z, r
        course = type(self.g) is Tanh and type(self.gate_g) is Sigmoid
        return None if course else (self.g, self.gate_g)

    def weight_shapes(self):
        k = 3 * self.units
        return [(self.input_dim, k), (self.units, k), (2, k)]

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.tape = self._run(x).forward(x, None, self.kernel.T, self.recurrent_kernel.T, self.bias[0], self.bias[1],
                                         self._activations)
        return self._output(self.tape.H)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        tape = self.tape
        dX = self._dx(tape.X, need_dx)
        dWx, dWa, dbx, dba = self._backward.backward(*self._upstream(dY), tape.X, self._previous(tape), tape.G, tape.R,
                                                     tape.Z, self.kernel.T, self.recurrent_kernel.T, self._activations,
                                                     dX, False)
        self.d_kernel[...] = dWx.T
        self.d_recurrent_kernel[...] = dWa.T
        self.d_bias[0], self.d_bias[1] = dbx, dba
        return dX


LAYERS = {"Dense": DenseLayer, "SimpleRNN": SimpleRNNLayer, "LSTM": LSTMLayer, "GRU": GRULayer}


def runtime_layer(spec: Layer, input_dim: int) -> KerasLayer:
    """The numpy runtime of one spec layer, for an input whose last axis has ``input_dim`` features."""
    return LAYERS[spec.kind](spec, input_dim)


def standalone_weights(layer: KerasLayer, seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and gradient arrays of one layer on its own, Keras-initialised (a model uses views of its flat buffers instead)."""
    weights = [np.zeros(shape) for shape in layer.weight_shapes()]
    grads = [np.zeros(shape) for shape in layer.weight_shapes()]
    layer.bind(weights, grads)
    layer.initialize(np.random.default_rng(seed))
    return weights, grads
