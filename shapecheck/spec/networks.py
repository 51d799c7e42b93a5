"""Describing a network, before any math: Ng's layer sizes, or a Keras-like Sequential.

Stdlib only. ``dense_net([12288, 20, 7, 5, 1])`` is the course's L-layer network;
``Sequential([LSTM(10, input_shape=(1, 1)), Dense(1)])`` is the Keras lesson's model (batch is
never part of ``input_shape``, exactly as in Keras). ``load_spec`` reads either from TOML or JSON.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields
from math import prod
from pathlib import Path
from typing import Any, ClassVar, Sequence

from shapecheck.core.dims import Shape, evaluate
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.layers.base import KerasLayerSpec
from shapecheck.spec.dense import ACTIVATIONS, MAX_UNITS, DenseNet, check_size, dense_net  # noqa: F401 - their old home
from shapecheck.spec.dense import check_activation as _check_activation

__all__ = ["ACTIVATIONS", "DenseNet", "dense_net", "Sequential", "Dense", "SimpleRNN", "LSTM", "load_spec"]


# --- Keras-like layers -----------------------------------------------------------------------


@dataclass
class Layer:
    """A Keras layer, described: Keras's names and defaults, its weights' shapes, its output shape.

    Dense, SimpleRNN and LSTM, the course's own; the other Keras layers are plug-in folders
    (``shapecheck/layers/``). ``param_count`` follows from ``keras_weights``, so the count, the
    tracer's rows and get_weights cannot disagree.
    """

    units: int
    activation: str | None = "linear"
    input_shape: tuple[int, ...] | None = None
    name: str | None = None

    kind = "Layer"
    recurrent = False
    # Keras's weights, in Keras's order: name -> (symbolic shape over input_dim and units, rule id)
    keras_weights: ClassVar[dict[str, tuple[Shape, str]]] = {}
    count_rule: ClassVar[str] = ""  # the arithmetic of param_count, in the catalogue
    torch_rule: ClassVar[str | None] = None  # where PyTorch counts differently

    def weight_shapes(self, input_dim: int) -> dict[str, tuple[int, ...]]:
        """Each weight's shape for an input of ``input_dim`` features (Keras's layout)."""
        env = {"input_dim": input_dim, "units": self.units}
        return {name: tuple(evaluate(d, env) for d in shape) for name, (shape, _) in self.keras_weights.items()}

    def param_count(self, input_dim: int) -> int:
        """How many numbers the layer learns: the sizes of its weights, added up.

        >>> LSTM(10).param_count(1), Dense(1).param_count(10)
        (480, 11)
        """
        return sum(prod(shape) for shape in self.weight_shapes(input_dim).values())

    def param_counts(self, inp: tuple[int, ...]) -> tuple[int, int]:
        """(trainable, non-trainable) for an input of shape ``inp``, as the plug-in layers say it."""
        return self.param_count(inp[-1]), 0

    def count_text(self, input_dim: int) -> tuple[str, str]:
        """The count's arithmetic, and a note where PyTorch counts differently ("" when it does not)."""
        u, d, count = self.units, input_dim, self.param_count(input_dim)
        torch = msg(self.torch_rule, count=count + self.torch_extra_bias()) if self.torch_rule else ""
        return msg(self.count_rule, units=u, inputs=d, count=count), torch

    def torch_extra_bias(self) -> int:
        return 0

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The output's shape for an input of ``input_shape`` (batch excluded in both)."""
        return (*input_shape[:-1], self.units)

    def __post_init__(self) -> None:
        label = f"{self.kind}({self.units!r})"
        if not isinstance(self.units, int) or isinstance(self.units, bool) or not 1 <= self.units <= MAX_UNITS:
            raise ShapecheckError("spec.units_invalid", layer=self.kind, value=self.units)
        self.activation = _check_activation(self.activation, label)
        if self.input_shape is not None:
            shape = self.input_shape
            if isinstance(shape, int):
                shape = (shape,)
            ok = isinstance(shape, (tuple, list)) and len(shape) >= 1 and all(
                isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= MAX_UNITS for d in shape
            )
            if not ok:
                raise ShapecheckError("spec.input_shape_invalid", layer=label, value=self.input_shape)
            self.input_shape = tuple(shape)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self._options().items())
        return f"{self.kind}({self.units}{extra})"

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.activation != self._default_activation():
            options["activation"] = self.activation
        if getattr(self, "return_sequences", False):
            options["return_sequences"] = True
        if self.input_shape is not None:
            options["input_shape"] = self.input_shape
        return options

    def _default_activation(self) -> str:
        return "linear"


@dataclass(repr=False)
class Dense(Layer):
    """Keras ``Dense(units, activation=None)``: kernel (in, out), bias (out,)."""

    kind = "Dense"
    keras_weights = {"kernel": (("input_dim", "units"), "rules.keras_dense_kernel"), "bias": (("units",), "rules.keras_dense_bias")}
    count_rule = "rules.count_dense"


@dataclass(repr=False)
class SimpleRNN(Layer):
    """Keras ``SimpleRNN(units)``: kernel (input_dim, units), recurrent_kernel (units, units), bias (units,)."""

    activation: str | None = "tanh"
    return_sequences: bool = False

    kind = "SimpleRNN"
    recurrent = True
    keras_weights = {
        "kernel": (("input_dim", "units"), "rules.keras_rnn_kernel"),
        "recurrent_kernel": (("units", "units"), "rules.keras_rnn_recurrent"),
        "bias": (("units",), "rules.keras_rnn_bias"),
    }
    count_rule, torch_rule = "rules.count_rnn", "rules.torch_rnn"

    def _default_activation(self) -> str:
        return "tanh"

    def torch_extra_bias(self) -> int:
        return self.units  # nn.RNN keeps b_ih and b_hh

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return _recurrent_output(self, input_shape)


@dataclass(repr=False)
class LSTM(Layer):
    """Keras ``LSTM(units)``: kernel (input_dim, 4·units), recurrent_kernel (units, 4·units), bias (4·units,); gates i, f, c, o."""

    activation: str | None = "tanh"
    recurrent_activation: str = "sigmoid"
    return_sequences: bool = False

    kind = "LSTM"
    recurrent = True
    keras_weights = {
        "kernel": (("input_dim", "4*units"), "rules.keras_lstm_kernel"),
        "recurrent_kernel": (("units", "4*units"), "rules.keras_lstm_recurrent"),
        "bias": (("4*units",), "rules.keras_lstm_bias"),
    }
    count_rule, torch_rule = "rules.count_lstm", "rules.torch_lstm"

    def torch_extra_bias(self) -> int:
        return 4 * self.units  # nn.LSTM keeps b_ih and b_hh for each of the four gates

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return _recurrent_output(self, input_shape)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.recurrent_activation = _check_activation(self.recurrent_activation, f"LSTM({self.units}).recurrent_activation")

    def _default_activation(self) -> str:
        return "tanh"

    def _options(self) -> dict[str, Any]:
        options = super()._options()
        if self.recurrent_activation != "sigmoid":
            options["recurrent_activation"] = self.recurrent_activation
        return options


@dataclass(repr=False)
class GRU(Layer):
    """Keras ``GRU(units)``, reset_after=True: kernel (input_dim, 3·units), recurrent_kernel (units, 3·units),
    bias (2, 3·units) (input and recurrent biases); gates z, r, h."""

    activation: str | None = "tanh"
    recurrent_activation: str = "sigmoid"
    return_sequences: bool = False
    reset_after: bool = True

    kind = "GRU"
    recurrent = True
    keras_weights = {
        "kernel": (("input_dim", "3*units"), "rules.keras_gru_kernel"),
        "recurrent_kernel": (("units", "3*units"), "rules.keras_gru_recurrent"),
        "bias": ((2, "3*units"), "rules.keras_gru_bias"),  # the input and the recurrent biases
    }
    count_rule, torch_rule = "rules.count_gru", "rules.torch_gru"  # nn.GRU keeps both biases too: the same count

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return _recurrent_output(self, input_shape)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.recurrent_activation = _check_activation(self.recurrent_activation, f"GRU({self.units}).recurrent_activation")
        if self.reset_after is not True:
            raise ShapecheckError("spec.gru_reset_after", layer=f"GRU({self.units})", value=self.reset_after)

    def _default_activation(self) -> str:
        return "tanh"

    def _options(self) -> dict[str, Any]:
        options = super()._options()
        if self.recurrent_activation != "sigmoid":
            options["recurrent_activation"] = self.recurrent_activation
        return options


def _recurrent_output(layer: SimpleRNN | LSTM | GRU, input_shape: tuple[int, ...]) -> tuple[int, ...]:
    """A sequence layer reads (timesteps, features): Keras's 3-D input, batch excluded."""
    if len(input_shape) != 2:
        full = (None, *input_shape)
        raise ShapecheckError("spec.needs_3d_input", layer=f"{layer.name} ({layer.kind})", shape=_show_batch(full),
                              ndim=len(full))
    return (input_shape[0], layer.units) if layer.return_sequences else (layer.units,)


def _show_batch(shape: tuple) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"



LAYER_TYPES: dict[str, type[Layer]] = {"Dense": Dense, "SimpleRNN": SimpleRNN, "LSTM": LSTM, "GRU": GRU}


def _snake(layer: Layer | KerasLayerSpec) -> str:
    """Keras's automatic name: dense, simple_rnn, lstm, conv2d, max_pooling2d, ..."""
    if isinstance(layer, KerasLayerSpec):
        return layer.snake
    return {"Dense": "dense", "SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru"}[layer.kind]


def layer_types() -> dict[str, type]:
    """Every layer a spec may name, by Keras's class name: Dense, SimpleRNN, LSTM and the plug-ins."""
    from shapecheck.layers.registry import layer_types as plugins

    return {**LAYER_TYPES, **plugins()}


def unknown_layer(kind: object, where: str) -> ShapecheckError:
    """"Did you mean …?" for a near miss; a clear refusal for a Keras layer not modelled yet."""
    from shapecheck.layers.base import suggestion
    from shapecheck.layers.registry import NOT_MODELLED

    known = layer_types()
    if kind in NOT_MODELLED:
        return ShapecheckError("spec.layer_not_modelled" if NOT_MODELLED[kind] else "spec.layer_with_weights_not_modelled",
                               value=kind, where=where, known=", ".join(known))
    near = suggestion(kind, list(known))
    hint = msg("layers.did_you_mean", name=near) if near else ""
    return ShapecheckError("spec.unknown_layer", value=kind, where=where, known=", ".join(known), hint=hint)


class Sequential:
    """A Keras-like stack of layers, described: shapes and parameter counts, no numpy.

    ``sc.Sequential`` adds ``summary`` and training to this (``engine/sequential.py``).

    >>> model = Sequential([LSTM(10, input_shape=(1, 1)), Dense(1, activation="linear")])
    >>> model.count_params()
    491
    """

    def __init__(self, layers: Sequence[Layer] = (), name: str = "sequential", seed: int | None = 0) -> None:
        self.layers: list[Layer] = []
        self._of_kind: dict[str, int] = {}  # layers added so far, by kind: Keras's next automatic name
        self.name = name
        self.seed = seed  # initial weights are drawn from numpy's default_rng(seed): reproducible by default
        for index, layer in enumerate(layers):
            if not isinstance(layer, (Layer, KerasLayerSpec)):
                raise ShapecheckError("spec.not_a_layer", index=index, value=layer)
            self.add(layer)

    def add(self, layer: Layer | KerasLayerSpec) -> None:
        if self.layers and layer.input_shape is not None:
            raise ShapecheckError("spec.input_shape_not_first", layer=repr(layer))
        taken = self._of_kind.get(layer.kind, 0)  # counted as added, never searched: 100,000 layers stay linear
        if layer.name is None:  # Keras's naming: lstm, lstm_1, dense, dense_1 ...
            base = _snake(layer)
            layer.name = base if taken == 0 else f"{base}_{taken}"
        self._of_kind[layer.kind] = taken + 1
        self.layers.append(layer)

    @property
    def input_shape(self) -> tuple[int, ...] | None:
        return self.layers[0].input_shape if self.layers else None

    def layer_shapes(self, input_shape: tuple[int, ...] | None = None) -> list[tuple[tuple, tuple]]:
        """(input shape, output shape) of each layer, batch excluded; a recurrent layer must get 3-D input."""
        if not self.layers:
            raise ShapecheckError("spec.empty_sequential")
        shape = tuple(input_shape) if input_shape is not None else self.input_shape
        if shape is None:
            raise ShapecheckError("spec.no_input_shape", layer=repr(self.layers[0]))
        shapes = []
        for index, layer in enumerate(self.layers):
            previous = self.layers[index - 1] if index else None
            if (getattr(layer, "recurrent", False) and len(shape) != 2 and getattr(previous, "recurrent", False)
                    and not previous.return_sequences):
                # stacked recurrent layers: the one below must hand on every step, not reshape X
                raise ShapecheckError("spec.needs_return_sequences", layer=f"{layer.name} ({layer.kind})",
                                      previous=f"{previous.name} ({previous.kind})", shape=_show_batch((None, *shape)),
                                      units=previous.units, kind=previous.kind)
            out = layer.output_shape(shape)
            shapes.append((shape, out))
            shape = out
        return shapes

    def count_params(self) -> int:
        return sum(sum(layer.param_counts(inp)) for layer, (inp, _) in zip(self.layers, self.layer_shapes()))

    def __repr__(self) -> str:
        return "Sequential([" + ", ".join(map(repr, self.layers)) + "])"


Spec = DenseNet | Sequential


# --- files ---------------------------------------------------------------------------------------


# A network file is a few hundred bytes. These limits keep a wrong or hostile file to one sentence: no hang on
# a FIFO, no RecursionError on [[[[...]]]], no minutes spent on 100,000 layers.
MAX_FILE_BYTES = 1 << 20
MAX_DEPTH = 32  # nesting of arrays and tables: a spec needs 4
MAX_LAYERS = 1000


def _read(path: str | os.PathLike) -> tuple[Path, dict]:
    import stat

    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise ShapecheckError("spec.file_missing", path=p, cwd=Path.cwd()) from None
    except OSError as exc:  # a folder on the way we may not enter, a loop of links, ...
        raise ShapecheckError("spec.file_unreadable", path=p, reason=exc.strerror or exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ShapecheckError("spec.file_unreadable", path=p, reason=msg("spec.is_folder"))
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block the read, or never end
        raise ShapecheckError("spec.file_unreadable", path=p, reason=msg("spec.not_regular"))
    suffix = p.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ShapecheckError("spec.file_kind", path=p)
    if info.st_size > MAX_FILE_BYTES:
        raise ShapecheckError("spec.file_too_big", path=p, size=info.st_size, limit=MAX_FILE_BYTES)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ShapecheckError("spec.file_unreadable", path=p, reason=getattr(exc, "strerror", None) or exc) from None
    _check_depth(text, p)
    import json  # here, not at the top: `shapecheck shapes` never reads a file
    import tomllib

    try:
        if suffix == ".toml":
            try:
                return p, tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ShapecheckError("spec.toml_syntax", path=p, reason=exc) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ShapecheckError("spec.json_syntax", path=p, reason=exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:  # nesting the scan did not see (dotted TOML keys): still one sentence
        raise ShapecheckError("spec.too_deep", path=p, limit=MAX_DEPTH) from None
    if not isinstance(data, dict):
        raise ShapecheckError("spec.schema", path=p)
    return p, data


def _check_depth(text: str, path: Path) -> None:
    """Refuse arrays and tables nested deeper than MAX_DEPTH before a parser recurses into them (brackets inside
    strings do not count; a string's own syntax errors are the parser's to report)."""
    depth, quote, escaped, comment = 0, "", False, False
    for char in text:
        if comment:
            comment = char != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and path.suffix.lower() == ".toml":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ShapecheckError("spec.too_deep", path=path, limit=MAX_DEPTH)
        elif char in "]}":
            depth = max(0, depth - 1)


def _options(table: dict, known: Sequence[str], where: str) -> None:
    for option in table:
        if option not in known:
            raise ShapecheckError("spec.unknown_option", where=where, option=option, known=", ".join(known))


def spec_from_dict(data: dict, where: str = "the spec") -> Spec:
    """A spec from the file schema: ``{"dense_net": {...}}`` or ``{"sequential": [{...}, ...]}``."""
    if "dense_net" in data and "sequential" in data:
        raise ShapecheckError("spec.schema_both", path=where)
    if "dense_net" in data:
        table = data["dense_net"]
        here = f"{where} [dense_net]"
        if not isinstance(table, dict):
            raise ShapecheckError("spec.field_type", where=where, field="dense_net", expected=msg("spec.a_table"), value=table)
        _options(table, ("layer_dims", "hidden", "output", "activations"), here)
        dims = table.get("layer_dims")
        if not isinstance(dims, list):
            raise ShapecheckError("spec.field_type", where=here, field="layer_dims", expected=msg("spec.a_dims_list"), value=dims)
        if len(dims) > MAX_LAYERS + 1:
            raise ShapecheckError("spec.too_many_layers", where=here, count=len(dims) - 1, limit=MAX_LAYERS)
        return dense_net(dims, hidden=table.get("hidden", "relu"), output=table.get("output", "sigmoid"), activations=table.get("activations"))
    if "sequential" in data:
        items = data["sequential"]
        if not isinstance(items, list) or not items:
            raise ShapecheckError("spec.empty_sequential")
        if len(items) > MAX_LAYERS:
            raise ShapecheckError("spec.too_many_layers", where=where, count=len(items), limit=MAX_LAYERS)
        layers = []
        for index, item in enumerate(items, start=1):
            here = f"{where} layer {index}"
            if not isinstance(item, dict):
                raise ShapecheckError("spec.field_type", where=here, field="layer", expected=msg("spec.a_table"), value=item)
            item = dict(item)
            kind = item.pop("type", None)
            types = layer_types()
            if kind not in types:
                raise unknown_layer(kind, here)
            cls = types[kind]
            known = [f.name for f in fields(cls) if not f.name.startswith("_")]
            _options(item, known, here)
            for key, value in item.items():  # TOML and JSON have lists where Keras writes tuples
                if isinstance(value, list):
                    item[key] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
            if issubclass(cls, KerasLayerSpec):
                missing = [f.name for f in fields(cls) if f.default is MISSING and not f.kw_only]
                if any(name not in item for name in missing):
                    raise ShapecheckError("spec.missing_argument", layer=kind, where=here, arguments=", ".join(missing))
            elif "units" not in item:
                raise ShapecheckError("spec.units_invalid", layer=kind, value=None)
            layers.append(cls(**item))
        return Sequential(layers)
    raise ShapecheckError("spec.schema", path=where)


def load_spec(path: str | os.PathLike) -> Spec:
    """Read a network from TOML or JSON: either a ``[dense_net]`` table or ``[[sequential]]`` layers."""
    p, data = _read(path)
    return spec_from_dict(data, where=str(p))
