"""The activation functions g[l] and their derivatives g'[l], by name, as the course writes them.

``ACTIVATIONS[name] = (g, g_prime)``: ``A = g(Z)`` and ``g_prime(Z)`` are elementwise, the shape
of Z (n[l], m). Softmax is the one exception: it acts on each column (axis 0, the class axis),
so its ``g_prime`` is only the diagonal of its Jacobian; ``activation_backward`` applies the
whole Jacobian and is what backpropagation uses for every activation.

``KINKS[name]`` are the points where g has no derivative (ReLU and leaky ReLU at 0): a finite
difference that crosses one is not evidence. At a kink we use the course's choice,
``dZ[Z <= 0] = 0``: g'(0) is the slope on the left.

    >>> g, g_prime = ACTIVATIONS["sigmoid"]
    >>> float(g(np.array(0.0))), float(g_prime(np.array(0.0)))
    (0.5, 0.25)

Nothing here overflows for any float64 z (|z| = 1e3 included); values below 1e-308 round to 0.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01  # leaky ReLU: g(z) = 0.01·z for z <= 0

Array = np.ndarray


def sigmoid(Z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), from e^(−|z|) so it never overflows and keeps full precision for z < 0."""
    E = np.exp(-np.abs(Z))
    # z >= 0: 1 / (1 + e^(−z));  z < 0: e^z / (1 + e^z), the same number without e^(−z) overflowing
    return np.where(Z >= 0, 1.0, E) / (1.0 + E)


def sigmoid_prime(Z: Array) -> Array:
    """σ'(z) = σ(z)·(1 − σ(z))."""
    s = sigmoid(Z)
    return s * (1.0 - s)


def relu(Z: Array) -> Array:
    """max(0, z)."""
    return np.maximum(Z, 0.0)


def relu_prime(Z: Array) -> Array:
    """1 for z > 0, else 0 (the course's dZ[Z <= 0] = 0)."""
    return (Z > 0).astype(np.float64)


def leaky_relu(Z: Array) -> Array:
    """z for z > 0, else 0.01·z."""
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z)


def leaky_relu_prime(Z: Array) -> Array:
    """1 for z > 0, else 0.01."""
    return np.where(Z > 0, 1.0, LEAKY_SLOPE)


def tanh(Z: Array) -> Array:
    """tanh(z)."""
    return np.tanh(Z)


def tanh_prime(Z: Array) -> Array:
    """1 − tanh²(z)."""
    return 1.0 - np.tanh(Z) ** 2


def linear(Z: Array) -> Array:
    """A = Z: the identity, returned as is (no copy; the engine never writes into it)."""
    return Z


def linear_prime(Z: Array) -> Array:
    """1 everywhere."""
    return np.ones_like(Z, dtype=np.float64)


def softmax(Z: Array) -> Array:
    """e^z / Σ e^z over each column (axis 0, the classes); shifting by the column's max keeps e^z <= 1."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))  # (n[l], m), every entry in [0, 1]
    return E / E.sum(axis=0, keepdims=True)  # (n[l], m), each column sums to 1


def softmax_prime(Z: Array) -> Array:
    """The diagonal of softmax's Jacobian, s·(1 − s); the full Jacobian is in ``activation_backward``."""
    s = softmax(Z)
    return s * (1.0 - s)


ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "tanh": (tanh, tanh_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "linear": (linear, linear_prime),
    "softmax": (softmax, softmax_prime),
}

KINKS: dict[str, tuple[float, ...]] = {
    "relu": (0.0,),
    "leaky_relu": (0.0,),
    "tanh": (),
    "sigmoid": (),
    "linear": (),
    "softmax": (),
}


def activation_forward(name: str, Z: Array) -> Array:
    """A[l] = g[l](Z[l])."""
    return ACTIVATIONS[name][0](Z)


def activation_backward(name: str, dA: Array, Z: Array, A: Array | None = None) -> Array:
    """dZ[l] = dA[l] ∗ g'[l](Z[l]); for softmax, the Jacobian-vector product A ∗ (dA − Σ_k dA_k·A_k).

    ``A`` is g(Z) when the caller already has it (it saves recomputing sigmoid, tanh, softmax).
    """
    if name == "relu":
        return np.where(Z > 0, dA, 0.0)  # (n[l], m)
    if name == "leaky_relu":
        return np.where(Z > 0, dA, LEAKY_SLOPE * dA)
    if name == "linear":
        return dA
    if A is None:
        A = activation_forward(name, Z)
    if name == "sigmoid":
        return dA * A * (1.0 - A)
    if name == "tanh":
        return dA * (1.0 - A * A)
    if name == "softmax":
        # ∂A_i/∂Z_j = A_i (δ_ij − A_j) within a column, so dZ = A ∗ (dA − Σ_k dA_k A_k)
        return A * (dA - np.sum(dA * A, axis=0, keepdims=True))
    raise KeyError(name)


# --- in place, batch first: the Keras layers' activations (layers/*/engine.py, the recurrent kernels) ----


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


KERAS_ACTIVATIONS: dict[str, Activation] = {
    cls.name: cls() for cls in (Activation, Sigmoid, Tanh, Relu, LeakyRelu, Softmax)
}


def keras_activation(name: str | None) -> Activation:
    """Keras's activation ``name`` (None is linear), as an object that writes into buffers."""
    return KERAS_ACTIVATIONS["linear" if name is None else name]
