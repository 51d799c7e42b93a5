"""What every plug-in layer's spec says: its arguments, output shape, weights, count and trace rows (stdlib).

A spec is a plain description (no numpy). ``runtime(input_shape)`` loads the folder's ``engine.py``
only when the layer is run.
"""

from __future__ import annotations

import difflib
from dataclasses import KW_ONLY, dataclass, fields
from importlib import import_module
from typing import Any, ClassVar, NamedTuple

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.spec.dense import ACTIVATIONS  # noqa: F401 - one list of activation names
from shapecheck.spec.conv_rules import _whole  # one rule for "a whole number" (3.0 is not a size)

MAX_SIZE = 1_000_000


class UnknownArgument(ShapecheckError, TypeError):
    """A keyword argument a layer does not take: a sentence, and still the TypeError Python would raise."""

    __module__ = "shapecheck"


class Weight(NamedTuple):
    """One weight in Keras's layout and get_weights() order."""

    name: str  # "kernel"
    shape: tuple[int, ...]
    symbolic: tuple  # ("f", "f", "n_C_prev", "n_C")
    rule: str  # its sentence
    trainable: bool = True


class Row(NamedTuple):
    """One row of a trace: a tensor, its symbolic shape and size, the rule (a sentence).

    ``size`` may keep the batch's symbol ("m" or "batch"): the tracer binds it. ``convention`` is the
    layout: "conv" (batch first, as every plug-in), "keras" or "ng" (the course's own layers, traced both ways).
    """

    tensor: str
    symbolic: tuple
    size: tuple
    rule: str
    phase: str = "forward"
    convention: str = "conv"


@dataclass(repr=False)
class KerasLayerSpec:
    """Common to every plug-in layer: Keras's ``name`` and ``input_shape`` keywords."""

    _: KW_ONLY
    input_shape: tuple[int, ...] | None = None
    name: str | None = None

    kind: ClassVar[str] = ""  # Keras's class name
    snake: ClassVar[str] = ""  # Keras's automatic name: conv2d, conv2d_1, ...
    recurrent: ClassVar[bool] = False
    course: ClassVar[bool] = False  # the course's own layers (Dense, SimpleRNN, LSTM, GRU) are traced in its notation too
    input_rank: ClassVar[int | None] = None  # the input's rank a layer needs, batch excluded; None: any

    def __new__(cls, *args: Any, **kwargs: Any):
        """A keyword the layer does not have (Dense(10, activaton="relu")) is one sentence with the near miss and
        the layer's arguments, before dataclass's __init__ says only "unexpected keyword argument"."""
        known = [f.name for f in fields(cls) if f.init and not f.name.startswith("_")]
        for key in kwargs:
            if key not in known:
                near = suggestion(key, known)
                raise UnknownArgument("layers.unknown_argument", layer=cls.kind, argument=key, known=", ".join(cls.arguments()),
                                      hint=msg("layers.did_you_mean", name=near) if near else "")
        return super().__new__(cls)

    def __post_init__(self) -> None:
        if self.input_shape is not None:
            shape = (self.input_shape,) if isinstance(self.input_shape, int) else self.input_shape
            ok = isinstance(shape, (tuple, list)) and len(shape) >= 1 and all(_whole(d) and 1 <= d <= MAX_SIZE for d in shape)
            if not ok:
                raise ShapecheckError("spec.input_shape_invalid", layer=self.kind, value=self.input_shape)
            self.input_shape = tuple(int(d) for d in shape)

    # --- what a layer overrides --------------------------------------------------------------------

    def output_shape(self, inp: tuple[int, ...]) -> tuple[int, ...]:
        """The output shape, batch excluded; raises a one-line rule when ``inp`` does not fit."""
        return inp

    def weights(self, inp: tuple[int, ...]) -> list[Weight]:
        return []

    def formula(self, inp: tuple[int, ...]) -> str:
        """The arithmetic behind the parameter count."""
        return msg("layers.count_none")

    def note(self, inp: tuple[int, ...]) -> str:
        """A remark on the count ("" or where PyTorch counts differently)."""
        return ""

    def output_rule(self, inp: tuple[int, ...], out: tuple[int, ...]) -> str:
        return msg("layers.rule_same_shape")

    # --- shared ------------------------------------------------------------------------------------

    def check_input(self, inp: tuple[int, ...]) -> None:
        if self.input_rank is not None and len(inp) != self.input_rank:
            full = "(" + ", ".join(["None", *map(str, inp)]) + ")"
            raise ShapecheckError(f"layers.needs_rank_{self.input_rank}", layer=self.label(), shape=full, ndim=len(inp) + 1)

    def label(self) -> str:
        return f"{self.name} ({self.kind})" if self.name else self.kind

    def param_counts(self, inp: tuple[int, ...]) -> tuple[int, int]:
        """(trainable, non-trainable)."""
        trainable = non_trainable = 0
        for w in self.weights(inp):
            size = 1
            for d in w.shape:
                size *= d
            if w.trainable:
                trainable += size
            else:
                non_trainable += size
        return trainable, non_trainable

    @classmethod
    def arguments(cls) -> list[str]:
        """The arguments a spec file may give, in the order an error lists them."""
        return [f.name for f in fields(cls) if not f.name.startswith("_")]

    def input_row(self, inp: tuple[int, ...]) -> Row:
        """The model's input, when this layer is the first."""
        symbols = ("m", *self.output_symbols(inp)) if len(inp) != 3 else ("m", "n_H", "n_W", "n_C")
        return Row("input", symbols, ("m", *inp), msg("layers.rule_input_images" if len(inp) == 3 else "layers.rule_input"))

    def rows(self, inp: tuple[int, ...], out: tuple[int, ...], index: int = 1, name: str = "", mixed: bool = True) -> list[Row]:
        """Keras's weights (name/kernel, ...) and the output, batch first (m examples).

        ``index`` and ``name`` place the layer in its model; ``mixed``: the model has layers other than the course's.
        """
        rows = [Row(w.name, w.symbolic, w.shape, w.rule) for w in self.weights(inp)]
        rows.append(Row("output", ("m", *self.output_symbols(out)), ("m", *out), self.output_rule(inp, out)))
        return rows

    def output_symbols(self, out: tuple[int, ...]) -> tuple:
        return {3: ("n_H", "n_W", "n_C"), 1: ("n",), 2: ("T", "n")}.get(len(out), tuple(f"d{i}" for i in range(len(out))))

    def runtime(self, inp: tuple[int, ...]) -> Any:
        """The numpy runtime of this layer for inputs of ``inp`` (batch excluded): ``engine.py`` of its folder."""
        folder = type(self).__module__.rsplit(".", 1)[0]
        return getattr(import_module(f"{folder}.engine"), self.kind + "Runtime")(self, inp)

    def _options(self) -> dict[str, Any]:
        """The arguments that differ from Keras's defaults, for repr."""
        options = {}
        for f in fields(self):
            if f.name in ("name",) or f.name.startswith("_"):
                continue
            value = getattr(self, f.name)
            if f.default is not value and f.default != value:
                options[f.name] = value
        if "input_shape" in options:  # Keras's order: the layer's own arguments first
            options["input_shape"] = options.pop("input_shape")
        return options

    def __repr__(self) -> str:
        return f"{self.kind}(" + ", ".join(f"{k}={v!r}" for k, v in self._options().items()) + ")"


# --- arguments, checked where they are given ---------------------------------------------------------


def pair(value: object, argument: str, layer: str, least: int = 1) -> tuple[int, int]:
    """Keras's ``kernel_size=5`` or ``(5, 3)``: two whole numbers ≥ ``least``."""
    items = (value, value) if _whole(value) else tuple(value) if isinstance(value, (tuple, list)) else None
    if items is None or len(items) != 2 or not all(_whole(v) and least <= v <= MAX_SIZE for v in items):
        raise ShapecheckError(f"layers.bad_{argument}", layer=layer, value=value, least=least)
    return int(items[0]), int(items[1])


def padding_mode(value: object, layer: str, numeric: bool = False) -> str | int:
    """"valid" or "same" (Keras's words, any case); with ``numeric``, also the course's pad, a whole number ≥ 0."""
    if isinstance(value, str) and value.lower() in ("valid", "same"):
        return value.lower()
    if numeric and _whole(value) and 0 <= value <= MAX_SIZE:
        return int(value)
    if numeric and _whole(value):
        raise ShapecheckError("conv.bad_pad", value=value, where=layer)
    raise ShapecheckError("layers.bad_padding", layer=layer, value=value)


def check_count(value: object, argument: str, layer: str) -> int:
    """filters, units, input_dim, output_dim: a whole number ≥ 1."""
    if not _whole(value) or not 1 <= value <= MAX_SIZE:
        raise ShapecheckError("layers.bad_count", layer=layer, argument=argument, value=value)
    return int(value)


def check_flag(value: object, argument: str, layer: str) -> bool:
    if not isinstance(value, bool):
        raise ShapecheckError("layers.bad_flag", layer=layer, argument=argument, value=value)
    return value


def check_rate(value: object, argument: str, layer: str, high_open: bool = True) -> float:
    """A number in [0, 1) (Dropout's rate) or (0, 1] as ``high_open`` says."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (0 <= value < 1 if high_open else 0 < value <= 1)
    if not ok:
        raise ShapecheckError("layers.bad_rate", layer=layer, argument=argument, value=value)
    return float(value)


def check_activation(value: object, where: str) -> str:
    """Keras's activation names (None is linear), with "did you mean" for a near miss."""
    if value is None:
        return "linear"
    if value not in ACTIVATIONS:
        near = suggestion(value, list(ACTIVATIONS))
        raise ShapecheckError("spec.unknown_activation", value=value, where=where, known=", ".join(ACTIVATIONS)
                              + (msg("layers.did_you_mean", name=near) if near else ""))
    return str(value)


def suggestion(name: object, known: list[str]) -> str:
    """The closest known name, for "did you mean …?" (case and underscores forgiven), or ""."""
    if not isinstance(name, str):
        return ""
    folded = {k.lower().replace("_", ""): k for k in known}
    exact = folded.get(name.lower().replace("_", ""))
    if exact:
        return exact
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else ""
