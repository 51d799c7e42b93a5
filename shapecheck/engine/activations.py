"""The activation functions g[l] and their derivatives g'[l], by name, as the course writes them.

``ACTIVATIONS[name] = (g, g_prime)``: ``A = g(Z)`` and ``g_prime(Z)`` are elementwise, the shape
of Z (n[l], m). Softmax is the one exception: it acts on each column (axis 0, the class axis),
so its ``g_prime`` is only the diagonal of its Jacobian; ``activation_backward`` applies the
whole Jacobian and is what backpropagation uses for every activation.

Each formula is written once, here: ``g(Z, out=None)`` and ``g_backward(dA, ..., out=None,
scratch=None)`` write into buffers when given them, which is how Keras's layers (batch first, softmax
over the last axis) and the recurrent kernels run them without allocating (``KERAS_ACTIVATIONS``). The
recurrent kernels' gates take σ in the form that shares one tanh with the candidate (``gates_forward``).

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

LEAKY_SLOPE = 0.01  # leaky ReLU: g(z) = 0.01·z for z <= 0 (the course's)
KERAS_LEAKY_SLOPE = 0.2  # keras.activations.leaky_relu's default negative_slope

Array = np.ndarray


# --- g and dZ = dA ∗ g'(Z), each written once ---------------------------------------------------------


def _buffer(Z: Array, out: Array | None) -> Array:
    """``out``, or a new array of Z's shape (0-d included) in Z's floating type."""
    return np.empty(np.shape(Z), np.result_type(Z, 0.5)) if out is None else out



def sigmoid(Z: Array, out: Array | None = None) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), from e^(−|z|) so it never overflows and keeps full precision for z < 0."""
    positive = np.greater_equal(Z, 0)  # before ``out`` (which may be Z) is written
    E = np.abs(Z, out=_buffer(Z, out))
    np.negative(E, out=E)
    np.exp(E, out=E)  # e^(−|z|), in (0, 1]
    denominator = E + 1.0
    # z >= 0: 1 / (1 + e^(−z));  z < 0: e^z / (1 + e^z), the same number without e^(−z) overflowing.
    # The numerator is max(e^(−|z|), [z >= 0]): 1 where z >= 0 (e^(−|z|) <= 1), e^z elsewhere; no masked copy.
    np.maximum(E, positive, out=E)
    return np.divide(E, denominator, out=E)


# The recurrent kernels' gates: σ(z) = ½·tanh(z/2) + ½ is the same σ (the identity is exact; in floating point
# it keeps σ's absolute precision, ~1e-16, not its relative precision far below 0, which a gate does not need), and
# it lets ONE tanh serve the σ gates and the tanh candidate of a step side by side: a kernel feeds the σ columns
# z·½ (their weights halved once per call, exact), takes tanh of every column, then multiplies by ``half`` and adds
# ``shift`` per column (½ and ½ on σ's columns, 1 and 0 on tanh's). It needs no exp, so nothing overflows.

_GATE_AFFINE: dict = {}


def gate_affine(n: int, dtype, sigmoid_blocks: tuple[bool, ...]) -> tuple[Array, Array]:
    """(half, shift) per column of gates stacked in blocks of n columns, σ where ``sigmoid_blocks`` says True (read-only)."""
    key = (n, np.dtype(dtype), sigmoid_blocks)
    found = _GATE_AFFINE.get(key)
    if found is None:
        half = np.repeat(np.where(sigmoid_blocks, 0.5, 1.0), n).astype(dtype)
        shift = (1 - half).astype(dtype)
        half.flags.writeable = shift.flags.writeable = False
        found = _GATE_AFFINE[key] = (half, shift)
    return found


def gates_forward(Z: Array, affine: tuple[Array, Array]) -> Array:
    """The gates, in place, from Z whose σ columns hold z/2: tanh, then ·half + shift per column (gate_affine)."""
    np.tanh(Z, out=Z)
    np.multiply(Z, affine[0], out=Z)
    return np.add(Z, affine[1], out=Z)


def sigmoid_of_half(H: Array, out: Array | None = None) -> Array:
    """σ(z) from H = z/2, as the gates compute it: ½·tanh(z/2) + ½ (in place when ``out`` is H)."""
    S = np.tanh(H, out=out)
    np.multiply(S, 0.5, out=S)
    return np.add(S, 0.5, out=S)


def sigmoid_prime(Z: Array) -> Array:
    """σ'(z) = σ(z)·(1 − σ(z))."""
    s = sigmoid(Z)
    return s * (1.0 - s)


def sigmoid_backward(dA: Array, A: Array, out: Array | None = None, scratch: Array | None = None) -> Array:
    """dZ = dA ∗ σ(Z)·(1 − σ(Z)), from A = σ(Z)."""
    one_minus = np.subtract(1.0, A, out=scratch)
    dZ = np.multiply(dA, A, out=out)
    dZ *= one_minus
    return dZ


def relu(Z: Array, out: Array | None = None) -> Array:
    """max(0, z)."""
    return np.maximum(Z, 0.0, out=out)


def relu_prime(Z: Array) -> Array:
    """1 for z > 0, else 0 (the course's dZ[Z <= 0] = 0)."""
    return (Z > 0).astype(np.float64)


def relu_backward(dA: Array, Z: Array, out: Array | None = None, scratch: Array | None = None) -> Array:
    """dZ = dA where z > 0, else 0 (0 at z = 0 too, the course's choice and Keras's backends')."""
    if out is None:
        return np.where(Z > 0, dA, 0.0)  # (n[l], m)
    return np.multiply(dA, np.greater(Z, 0.0, out=scratch), out=out)  # the same, into buffers


def leaky_relu(Z: Array, slope: float = LEAKY_SLOPE, out: Array | None = None) -> Array:
    """z for z > 0, else slope·z (as max(z, slope·z): the same number for a slope in (0, 1))."""
    small = np.multiply(Z, slope, out=_buffer(Z, out))
    return np.maximum(Z, small, out=small)


def leaky_relu_prime(Z: Array) -> Array:
    """1 for z > 0, else 0.01."""
    return np.where(Z > 0, 1.0, LEAKY_SLOPE)


def leaky_relu_backward(dA: Array, Z: Array, slope: float = LEAKY_SLOPE, out: Array | None = None,
                        scratch: Array | None = None) -> Array:
    """dZ = dA where z > 0, else slope·dA."""
    if out is None:
        return np.where(Z > 0, dA, slope * dA)
    factor = np.greater(Z, 0.0, out=scratch)
    factor *= 1.0 - slope  # 1 where z > 0, the slope elsewhere
    factor += slope
    return np.multiply(dA, factor, out=out)  # the same, into buffers


def tanh(Z: Array, out: Array | None = None) -> Array:
    """tanh(z)."""
    return np.tanh(Z, out=out)


def tanh_prime(Z: Array) -> Array:
    """1 − tanh²(z)."""
    return 1.0 - np.tanh(Z) ** 2


def tanh_backward(dA: Array, A: Array, out: Array | None = None, scratch: Array | None = None) -> Array:
    """dZ = dA ∗ (1 − tanh²(Z)), from A = tanh(Z)."""
    one_minus = np.subtract(1.0, np.multiply(A, A, out=scratch), out=scratch)
    return np.multiply(dA, one_minus, out=out)


def linear(Z: Array, out: Array | None = None) -> Array:
    """A = Z: the identity, returned as is (no copy; the engine never writes into it), or copied into ``out``."""
    if out is None or out is Z:
        return Z
    np.copyto(out, Z)
    return out


def linear_prime(Z: Array) -> Array:
    """1 everywhere."""
    return np.ones_like(Z, dtype=np.float64)


def softmax(Z: Array, axis: int = 0, out: Array | None = None) -> Array:
    """e^z / Σ e^z over ``axis`` (the course's columns: axis 0, the classes; Keras's: the last axis);
    shifting by the max keeps e^z <= 1."""
    E = np.subtract(Z, Z.max(axis=axis, keepdims=True), out=_buffer(Z, out))
    np.exp(E, out=E)  # every entry in [0, 1]
    E /= E.sum(axis=axis, keepdims=True)  # each column sums to 1
    return E


def softmax_prime(Z: Array) -> Array:
    """The diagonal of softmax's Jacobian, s·(1 − s); the full Jacobian is in ``softmax_backward``."""
    s = softmax(Z)
    return s * (1.0 - s)


def softmax_backward(dA: Array, A: Array, axis: int = 0, out: Array | None = None, scratch: Array | None = None) -> Array:
    """∂A_i/∂Z_j = A_i (δ_ij − A_j) within a column, so dZ = A ∗ (dA − Σ_k dA_k A_k)."""
    dot = np.multiply(dA, A, out=scratch).sum(axis=axis, keepdims=True)
    dZ = np.subtract(dA, dot, out=out)
    dZ *= A
    return dZ


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
        return relu_backward(dA, Z)
    if name == "leaky_relu":
        return leaky_relu_backward(dA, Z)
    if name == "linear":
        return dA
    if A is None:
        A = activation_forward(name, Z)
    if name == "sigmoid":
        return sigmoid_backward(dA, A)
    if name == "tanh":
        return tanh_backward(dA, A)
    if name == "softmax":
        return softmax_backward(dA, A)
    raise KeyError(name)


# --- Keras's layers: the same formulas, batch first, into buffers ----------------------------------


class Activation:
    """Keras's activation ``name`` for its layers and the recurrent kernels: ``forward(z, out)`` writes
    g(z); ``backward(a, z, da, out, scratch)`` writes da ∗ g'(z), both with the formulas above.

    Both return the array holding the result (linear returns its input: no copy). ``out`` may be
    ``da``; ``scratch`` is a buffer of the same shape that the call may overwrite.
    """

    name = "linear"
    elementwise = True

    def forward(self, z: Array, out: Array) -> Array:
        return linear(z, out)

    def backward(self, a, z, da, out, scratch):
        return linear(da, out)


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z, out):
        return sigmoid(z, out)

    def backward(self, a, z, da, out, scratch):
        return sigmoid_backward(da, a, out, scratch)


class Tanh(Activation):
    name = "tanh"

    def forward(self, z, out):
        return tanh(z, out)

    def backward(self, a, z, da, out, scratch):
        return tanh_backward(da, a, out, scratch)


class Relu(Activation):
    name = "relu"

    def forward(self, z, out):
        return relu(z, out)

    def backward(self, a, z, da, out, scratch):
        return relu_backward(da, z, out, scratch)


class LeakyRelu(Activation):
    name = "leaky_relu"
    negative_slope = KERAS_LEAKY_SLOPE

    def forward(self, z, out):
        return leaky_relu(z, self.negative_slope, out)

    def backward(self, a, z, da, out, scratch):
        return leaky_relu_backward(da, z, self.negative_slope, out, scratch)


class Softmax(Activation):
    """Over the last axis. Its backward is the Jacobian-vector product a ∗ (da − Σ da·a)."""

    name = "softmax"
    elementwise = False

    def forward(self, z, out):
        return softmax(z, -1, out)

    def backward(self, a, z, da, out, scratch):
        return softmax_backward(da, a, -1, out, scratch)


KERAS_ACTIVATIONS: dict[str, Activation] = {
    cls.name: cls() for cls in (Activation, Sigmoid, Tanh, Relu, LeakyRelu, Softmax)
}


def keras_activation(name: str | None) -> Activation:
    """Keras's activation ``name`` (None is linear), as an object that writes into buffers."""
    return KERAS_ACTIVATIONS["linear" if name is None else name]
