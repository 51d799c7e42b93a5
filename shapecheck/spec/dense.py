"""The course's L-layer network, described: sizes [n0, n1, ..., nL] and g[l] per layer (stdlib only).

Its own module, apart from the Keras-like ``Sequential`` (``networks``) and the layer plug-ins, so that
``shapecheck shapes 12288 20 7 5 1`` loads this and the tracer, and nothing of the layers.
"""

from __future__ import annotations

from typing import Sequence

from shapecheck.core.dims import whole
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "linear", "softmax")  # g[l], by Keras's names
MAX_UNITS = 1_000_000


def check_activation(value: object, where: str | tuple) -> str:
    """``where``: notation such as "LSTM(10)", or (message id, fields) from the catalogue, said only on error."""
    if value is None:  # Keras's Dense(activation=None) is linear
        return "linear"
    if value not in ACTIVATIONS:
        where = msg(where[0], **where[1]) if isinstance(where, tuple) else where
        raise ShapecheckError("spec.unknown_activation", value=value, where=where, known=", ".join(ACTIVATIONS))
    return str(value)


def check_size(value: object, index: int) -> int:
    """One layer size n[index]: a positive integer of sensible size (bool is not a size)."""
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if whole(value) is None:
        raise ShapecheckError("spec.dim_not_integer", index=index, value=value)
    value = whole(value)  # np.int64(20) is 20
    if value < 1:
        raise ShapecheckError("spec.dim_not_positive", index=index, value=value)
    if value > MAX_UNITS:
        raise ShapecheckError("spec.dim_too_large", index=index, value=value, limit=MAX_UNITS)
    return value


class DenseNet:
    """An L-layer network in the course's notation: sizes [n0, n1, ..., nL], g[l] per layer. Immutable.

    A plain class, not a dataclass: creating a dataclass costs start-up time, and this one is on every
    ``shapecheck shapes``. Equal, hashable and shown as a dataclass would be.
    """

    __slots__ = ("layer_dims", "activations")
    __match_args__ = ("layer_dims", "activations")
    layer_dims: tuple[int, ...]
    activations: tuple[str, ...]  # g[1] .. g[L]

    def __init__(self, layer_dims: tuple[int, ...], activations: tuple[str, ...]) -> None:
        object.__setattr__(self, "layer_dims", layer_dims)
        object.__setattr__(self, "activations", activations)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")  # as a frozen dataclass says it

    __delattr__ = __setattr__

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.layer_dims, self.activations) == (other.layer_dims, other.activations)

    def __hash__(self) -> int:
        return hash((self.layer_dims, self.activations))

    def __repr__(self) -> str:
        return f"DenseNet(layer_dims={self.layer_dims!r}, activations={self.activations!r})"

    @property
    def L(self) -> int:  # noqa: N802 - the course's name
        return len(self.layer_dims) - 1

    def n(self, l: int) -> int:  # noqa: E741 - the course's index
        return self.layer_dims[l]

    def describe(self) -> str:
        return "[" + ", ".join(map(str, self.layer_dims)) + "]"


def dense_net(
    layer_dims: Sequence[int],
    hidden: str = "relu",
    output: str = "sigmoid",
    activations: Sequence[str] | None = None,
) -> DenseNet:
    """The course's L-layer network: ``dense_net([12288, 20, 7, 5, 1])`` is (LINEAR->RELU)x3 -> LINEAR->SIGMOID.

    ``activations`` (one per layer l = 1..L) overrides ``hidden``/``output``.
    """
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__iter__"):  # "12288 20 7" would be its characters
        raise ShapecheckError("spec.layer_dims_not_a_list", value=layer_dims)
    dims = list(layer_dims)
    sizes = tuple(check_size(v, i) for i, v in enumerate(dims))  # first: "n0 = 'abc' is not a whole number" says more
    if len(sizes) < 2:
        raise ShapecheckError("spec.too_few_dims", count=len(sizes))
    L = len(sizes) - 1
    if activations is None:
        check_activation(hidden, ("spec.where_hidden", {}))  # even when L = 1 has none: a typo is still a typo
        acts = [hidden] * (L - 1) + [output]
        names = [("spec.where_hidden_layers", {"last": L - 1})] * (L - 1) + [("spec.where_output", {"L": L})]
    else:
        acts = list(activations)
        if len(acts) != L:
            raise ShapecheckError("spec.activations_count", count=len(acts), L=L)
        names = [("spec.where_layer", {"l": l}) for l in range(1, L + 1)]
    return DenseNet(sizes, tuple(check_activation(a, w) for a, w in zip(acts, names)))
