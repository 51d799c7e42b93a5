"""Keras's Dense, SimpleRNN and LSTM, batch first, float64: forward and exact backward.

Keras's equations and weight layout (gates i, f, c, o side by side), for one time step:

    z  = x_t·kernel + h_{t-1}·recurrent_kernel + bias       (batch, 4·units)
    i, f, c̃, o = σ(z_i), σ(z_f), tanh(z_c), σ(z_o)
    c_t = f ∗ c_{t-1} + i ∗ c̃,    h_t = o ∗ tanh(c_t)

States start at zero, so at t = 0 the recurrent term and f ∗ c_{-1} vanish (and are skipped).

Small tensors make numpy cost per call, not per number: every layer writes into buffers kept per
input shape, and its gradients into views of the model's one flat gradient buffer, assigned (not
accumulated) at every step. An output returned by ``forward`` is the layer's own buffer: it stays
valid until the next ``forward`` with the same shape; copy it to keep it.

>>> import numpy as np
>>> from shapecheck.spec.networks import LSTM
>>> layer = LSTMLayer(LSTM(3), input_dim=2)
>>> _ = standalone_weights(layer, seed=0)
>>> layer.forward(np.ones((4, 5, 2))).shape
(4, 3)
"""

from __future__ import annotations

import numpy as np

from shapecheck.spec.networks import LSTM, Dense, Layer, SimpleRNN

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
        return tuple(self.spec.weights)  # the spec says which weights, their order and shapes: one home

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
    """Shared by SimpleRNN and LSTM: time-major buffers (T, batch, ·) so each step is contiguous."""

    gates = 1

    def __init__(self, spec: SimpleRNN | LSTM, input_dim: int) -> None:
        super().__init__(spec, input_dim)
        self.return_sequences = spec.return_sequences

    def initialize(self, rng):
        from shapecheck.engine.initializers import glorot_uniform, lstm_bias, orthogonal

        self.kernel[...] = glorot_uniform(rng, self.kernel.shape)
        self.recurrent_kernel[...] = orthogonal(rng, self.recurrent_kernel.shape)
        self.bias[...] = lstm_bias(self.units) if self.gates == 4 else 0.0

    def _input_projection(self, x: np.ndarray, ws: _Buffers) -> None:
        """Z[t] = x_t·kernel + bias for every t at once (the recurrent term is added step by step)."""
        B, T, D = x.shape
        ws.x = x
        if T == 1:
            np.dot(x.reshape(B, D), self.kernel, out=ws.Z[0])  # (batch, k·units)
        else:
            np.matmul(x.transpose(1, 0, 2), self.kernel, out=ws.Z)  # (T, batch, k·units)
        ws.Z += self.bias

    def _weight_gradients(self, ws: _Buffers, need_dx: bool) -> np.ndarray | None:
        """Through time, gradients add up: d_kernel = Σ_t x_tᵀ·dZ_t, d_recurrent = Σ_t h_{t-1}ᵀ·dZ_t."""
        T, B = ws.T, ws.B
        dZ = ws.dZ.reshape(T * B, -1)  # (T·batch, k·units)
        xt = ws.x.reshape(B, -1) if T == 1 else ws.x.transpose(1, 0, 2).reshape(T * B, -1)
        np.dot(xt.T, dZ, out=self.d_kernel)  # (input_dim, k·units)
        np.add.reduce(dZ, axis=0, out=self.d_bias)  # (k·units,)
        if T == 1:
            self.d_recurrent_kernel.fill(0.0)  # h_{-1} = 0: the recurrent kernel gets no gradient
        else:  # H[1..T-1] are h_0..h_{T-2}; the t = 0 term has h_{-1} = 0
            np.dot(ws.H[1:T].reshape((T - 1) * B, -1).T, ws.dZ[1:].reshape((T - 1) * B, -1), out=self.d_recurrent_kernel)
        if not need_dx:
            return None
        if T == 1:
            np.dot(ws.dZ[0], self.kernel.T, out=ws.dX[0])  # (batch, input_dim)
        else:
            np.matmul(ws.dZ, self.kernel.T, out=ws.dX)  # (T, batch, input_dim)
        return ws.dX.transpose(1, 0, 2)  # (batch, T, input_dim)

    def _output(self, ws: _Buffers) -> np.ndarray:
        if self.return_sequences:
            return ws.H[1:].transpose(1, 0, 2)  # (batch, T, units)
        return ws.H[ws.T]  # (batch, units): the last step only

    def _upstream(self, dY: np.ndarray, ws: _Buffers) -> list:
        """∂J/∂h_t from the layer above, per step (None where it is zero)."""
        if self.return_sequences:
            dYt = dY.transpose(1, 0, 2)  # (T, batch, units)
            return [dYt[t] for t in range(ws.T)]
        return [None] * (ws.T - 1) + [dY]


class SimpleRNNLayer(_Recurrent):
    """Keras ``SimpleRNN``: h_t = g(x_t·kernel + bias + h_{t-1}·recurrent_kernel), g = tanh by default."""

    gates = 1

    def __init__(self, spec: SimpleRNN, input_dim: int) -> None:
        super().__init__(spec, input_dim)
        self.g = activation(spec.activation)

    def _allocate(self, B: int, T: int) -> _Buffers:
        u = self.units
        ws = _Buffers()
        ws.B, ws.T = B, T
        ws.Z = np.empty((T, B, u))  # pre-activations
        ws.H = np.zeros((T + 1, B, u))  # H[0] = h_{-1} = 0, H[t + 1] = h_t
        ws.zr = np.empty((B, u))
        ws.dZ = np.empty((T, B, u))
        ws.dh = np.empty((B, u))
        ws.scratch = np.empty((B, u))
        ws.dX = np.empty((T, B, self.input_dim))
        return ws

    def forward(self, x: np.ndarray) -> np.ndarray:
        B, T, _ = x.shape
        ws = self._workspace((B, T))
        self._input_projection(x, ws)
        for t in range(T):
            z = ws.Z[t]  # (batch, units)
            if t > 0:
                np.dot(ws.H[t], self.recurrent_kernel, out=ws.zr)
                z += ws.zr
            self.g.forward(z, ws.H[t + 1])
        return self._output(ws)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        ws = self._last
        upstream = self._upstream(dY, ws)
        dh = ws.dh
        for t in reversed(range(ws.T)):
            dY_t = upstream[t]
            if t == ws.T - 1:
                np.copyto(dh, dY_t)
            elif dY_t is not None:
                dh += dY_t  # dh already holds the gradient from step t + 1
            self.g.backward(ws.H[t + 1], ws.Z[t], dh, ws.dZ[t], ws.scratch)  # (batch, units)
            if t > 0:
                np.dot(ws.dZ[t], self.recurrent_kernel.T, out=dh)  # ∂J/∂h_{t-1} through the recurrence
        return self._weight_gradients(ws, need_dx)


class LSTMLayer(_Recurrent):
    """Keras ``LSTM``: gates i, f, c, o in one (batch, 4·units) pre-activation per step."""

    gates = 4

    def __init__(self, spec: LSTM, input_dim: int) -> None:
        super().__init__(spec, input_dim)
        self.g = activation(spec.activation)  # tanh: the candidate c̃ and the output tanh(c)
        self.gate_g = activation(spec.recurrent_activation)  # σ: gates i, f, o
        u = self.units
        i, f, c, o = (slice(k * u, (k + 1) * u) for k in range(4))
        if self.gate_g.elementwise:  # one call over all four gates, then c̃'s block overwritten
            self._blocks = [(slice(0, 4 * u), self.gate_g), (c, self.g)]
        else:  # softmax acts within each gate's block
            self._blocks = [(i, self.gate_g), (f, self.gate_g), (c, self.g), (o, self.gate_g)]

    def _allocate(self, B: int, T: int) -> _Buffers:
        u = self.units
        ws = _Buffers()
        ws.B, ws.T = B, T
        ws.Z = np.empty((T, B, 4 * u))  # pre-activations z = [z_i, z_f, z_c, z_o]
        ws.G = np.empty((T, B, 4 * u))  # activations [i, f, c̃, o]
        ws.C = np.zeros((T + 1, B, u))  # C[0] = c_{-1} = 0, C[t + 1] = c_t
        ws.TC = np.empty((T, B, u))  # tanh(c_t)
        ws.H = np.zeros((T + 1, B, u))  # H[0] = h_{-1} = 0, H[t + 1] = h_t
        ws.zr = np.empty((B, 4 * u))
        ws.dZ = np.empty((T, B, 4 * u))
        ws.dG = np.empty((B, 4 * u))  # [di, df, dc̃, do] of one step
        ws.scratch4 = np.empty((B, 4 * u))
        ws.dh = np.empty((B, u))
        ws.dc = np.empty((B, u))
        ws.dc_next = np.empty((B, u))  # ∂J/∂c_{t-1} through c_t = f_t ∗ c_{t-1} + …
        ws.scratch = np.empty((B, u))
        ws.dX = np.empty((T, B, self.input_dim))
        # views made once: slicing costs as much as a small ufunc call
        ws.steps = [
            (ws.Z[t], ws.G[t], *(ws.G[t][:, k * u : (k + 1) * u] for k in range(4)),
             [(ws.Z[t][:, sl], ws.G[t][:, sl], ws.dZ[t][:, sl], ws.dG[:, sl], ws.scratch4[:, sl], g) for sl, g in self._blocks])
            for t in range(T)
        ]
        ws.dGi, ws.dGf, ws.dGc, ws.dGo = (ws.dG[:, k * u : (k + 1) * u] for k in range(4))
        return ws

    def forward(self, x: np.ndarray) -> np.ndarray:
        B, T, _ = x.shape
        ws = self._workspace((B, T))
        self._input_projection(x, ws)
        C, H, TC = ws.C, ws.H, ws.TC
        for t in range(T):
            z, G, i, f, c_hat, o, blocks = ws.steps[t]
            if t > 0:  # h_{-1} = 0, so at t = 0 there is no recurrent term
                np.dot(H[t], self.recurrent_kernel, out=ws.zr)
                z += ws.zr
            for z_block, g_block, _, _, _, g in blocks:
                g.forward(z_block, g_block)
            np.multiply(i, c_hat, out=C[t + 1])  # c_t = i ∗ c̃ + f ∗ c_{t-1}
            if t > 0:
                np.multiply(f, C[t], out=ws.scratch)
                C[t + 1] += ws.scratch
            self.g.forward(C[t + 1], TC[t])
            np.multiply(o, TC[t], out=H[t + 1])  # h_t = o ∗ tanh(c_t)
        return self._output(ws)

    def backward(self, dY: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        ws = self._last
        upstream = self._upstream(dY, ws)
        C, TC, dh, dc = ws.C, ws.TC, ws.dh, ws.dc
        for t in reversed(range(ws.T)):
            z, G, i, f, c_hat, o, blocks = ws.steps[t]
            dY_t = upstream[t]
            if t == ws.T - 1:
                np.copyto(dh, dY_t)
            elif dY_t is not None:
                dh += dY_t  # dh already holds the gradient from step t + 1
            np.multiply(dh, TC[t], out=ws.dGo)  # ∂h/∂o = tanh(c_t)
            np.multiply(dh, o, out=dc)  # ∂J/∂tanh(c_t)
            self.g.backward(TC[t], C[t + 1], dc, dc, ws.scratch)  # ∂J/∂c_t via h_t ...
            if t < ws.T - 1:
                dc += ws.dc_next  # ... plus via c_{t+1}
            np.multiply(dc, c_hat, out=ws.dGi)
            np.multiply(dc, i, out=ws.dGc)
            if t > 0:
                np.multiply(dc, C[t], out=ws.dGf)
                np.multiply(dc, f, out=ws.dc_next)
            else:
                ws.dGf.fill(0.0)  # c_{-1} = 0
            for z_block, g_block, dz_block, dg_block, scratch, g in blocks:
                g.backward(g_block, z_block, dg_block, dz_block, scratch)
            if t > 0:
                np.dot(ws.dZ[t], self.recurrent_kernel.T, out=dh)  # ∂J/∂h_{t-1} through the recurrence
        return self._weight_gradients(ws, need_dx)


LAYERS = {"Dense": DenseLayer, "SimpleRNN": SimpleRNNLayer, "LSTM": LSTMLayer}


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
