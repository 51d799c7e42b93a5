"""What every plug-in layer's engine has (numpy): weights bound as views of the model's flat buffers,
``forward(x)`` and ``backward(dA, need_dx)`` side by side, and ``training`` set by fit.

An engine keeps what its backward needs from the last forward; the output it returns is its own
array, valid until the next forward. Small tensors make numpy cost per call, not per number: a
layer may keep its buffers per input shape (Dense does) and writes its gradients into the views of
the model's one flat gradient buffer, assigned (not accumulated) at every step.

The recurrent layers share ``RecurrentRuntime``: the engine's recurrent kernels (rnn_kernels), the
same steps as the course's rnn_forward and lstm_forward, whose layout (batch, T, ·) is Keras's own.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.activations import keras_activation as activation


class PluginRuntime:
    """The runtime of one spec layer for inputs of ``input_shape`` (batch excluded)."""

    reads_training = False  # Dropout and BatchNormalization: fit sets ``training`` for each training step

    def __init__(self, spec, input_shape: tuple[int, ...]) -> None:
        self.spec = spec
        self.name = spec.name or spec.snake
        self.input_shape = tuple(input_shape)
        self.output_shape = spec.output_shape(self.input_shape)
        self.training = False
        self._weights = spec.weights(self.input_shape)
        self.weight_names = tuple(w.name for w in self._weights)

    def weight_shapes(self) -> list[tuple[int, ...]]:
        return [w.shape for w in self._weights]

    def weight_rules(self) -> list[str]:
        return [w.rule for w in self._weights]

    def bind(self, weights: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Views of the model's flat parameter and gradient buffers, in ``weight_names`` order."""
        for name, w, g in zip(self.weight_names, weights, grads):
            setattr(self, name, w)
            setattr(self, "d_" + name, g)

    def initialize(self, rng: np.random.Generator) -> None:
        """Keras's default initial weights (nothing for a layer without weights)."""

    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - every layer overrides it
        raise NotImplementedError

    def backward(self, dA: np.ndarray, need_dx: bool = True) -> np.ndarray | None:  # pragma: no cover
        raise NotImplementedError


class Activated:
    """A = g(Z) after a layer's linear part, and dZ = dA ∗ g'(Z) before its backward (Keras's ``activation=``)."""

    def __init__(self, name: str | None) -> None:
        self.g = activation(name)

    def forward(self, Z: np.ndarray) -> np.ndarray:
        self.Z = Z
        self.A = Z if self.g.name == "linear" else self.g.forward(Z, np.empty_like(Z))
        return self.A

    def backward(self, dA: np.ndarray) -> np.ndarray:
        if self.g.name == "linear":
            return dA
        return self.g.backward(self.A, self.Z, dA, np.empty_like(dA), np.empty_like(dA))


class RecurrentRuntime(PluginRuntime):
    """Shared by SimpleRNN, LSTM and GRU: the engine's recurrent kernels (rnn_kernels), whose layout
    (batch, T, ·) and gate order are Keras's own, so x, the weights, the outputs, dx and the
    gradients pass without a copy. The layer keeps its kernels per input shape (buffers made once)."""

    gates = 1
    kind = "rnn"

    def __init__(self, spec, input_shape) -> None:
        super().__init__(spec, input_shape)
        self.units = spec.units
        self.input_dim = self.input_shape[-1]
        self.return_sequences = spec.return_sequences
        self.tape = None
        self._activations = self._keras_activations()
        self._kernels = self._layer_kernels(self._activations is None)
        self._forward = self._backward = None  # the kernels of the last forward's shape
        self._h_prev: np.ndarray | None = None  # h_{t-1} of every step, and dx: the last shape's buffers
        self._dX: np.ndarray | None = None

    def _keras_activations(self):
        """None for the course's tanh (and σ gates), which the kernels run themselves; else Keras's objects."""
        raise NotImplementedError  # pragma: no cover

    def _layer_kernels(self, course: bool):
        """The engine's kernels of this kind, kept per input shape (``course``: σ and tanh run by the kernels)."""
        from shapecheck.engine.rnn_kernels import layer_kernels

        return layer_kernels(self.kind, self.units, course)

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
        from shapecheck.engine.rnn_kernels import states_before

        H = tape.H
        if H.shape[1] == 1:
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


def standalone_weights(layer: PluginRuntime, seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and gradient arrays of one layer on its own, Keras-initialised (a model uses views of its flat buffers instead)."""
    weights = [np.zeros(shape) for shape in layer.weight_shapes()]
    grads = [np.zeros(shape) for shape in layer.weight_shapes()]
    layer.bind(weights, grads)
    layer.initialize(np.random.default_rng(seed))
    return weights, grads
