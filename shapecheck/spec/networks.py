"""Describing a network, before any math: Ng's layer sizes, or a Keras-like Sequential.

Stdlib only. ``dense_net([12288, 20, 7, 5, 1])`` is the course's L-layer network;
``Sequential([LSTM(10, input_shape=(1, 1)), Dense(1)])`` is the Keras lesson's model (batch is
never part of ``input_shape``, exactly as in Keras). ``load_spec`` reads either from TOML or JSON.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Sequence

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.layers.base import KerasLayerSpec
from shapecheck.layers.units import show_batch as _show_batch
from shapecheck.spec.dense import ACTIVATIONS, MAX_UNITS, DenseNet, check_size, dense_net  # noqa: F401 - their old home

__all__ = ["ACTIVATIONS", "DenseNet", "dense_net", "Sequential", "load_spec", "layer_types"]


# --- Keras-like layers: every one a plug-in folder of shapecheck/layers/, found by its registry ------


def layer_types() -> dict[str, type[KerasLayerSpec]]:
    """Every layer a spec may name, by Keras's class name: the course's Dense, SimpleRNN, LSTM, GRU first."""
    from shapecheck.layers.registry import layer_types as registered

    return registered()


def layer_type(kind: object) -> type[KerasLayerSpec] | None:
    """The layer a spec names, or None: only its own folder is imported when it is named after it."""
    from shapecheck.layers.registry import layer_type as registered

    return registered(kind)


def __getattr__(name: str) -> type[KerasLayerSpec]:
    """``networks.Dense`` and the course's other layers, now in their folders (``shapecheck/layers/``)."""
    if name in ("Dense", "SimpleRNN", "LSTM", "GRU"):
        return layer_types()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def unknown_layer(kind: object, where: str) -> ShapecheckError:
    """"Did you mean …?" for a near miss; a clear refusal for a Keras layer not modelled yet."""
    from shapecheck.layers.base import suggestion
    from shapecheck.layers.registry import NOT_MODELLED

    known = layer_types()
    if isinstance(kind, str) and kind in NOT_MODELLED:  # (a list or a table is no layer's name, nor hashable)
        return ShapecheckError("spec.layer_not_modelled" if NOT_MODELLED[kind] else "spec.layer_with_weights_not_modelled",
                               value=kind, where=where, known=", ".join(known))
    near = suggestion(kind, list(known))
    hint = msg("layers.did_you_mean", name=near) if near else ""
    return ShapecheckError("spec.unknown_layer", value=kind, where=where, known=", ".join(known), hint=hint)


class Input:
    """Keras 3's ``keras.Input(shape=(8,))``, the first element of a Sequential: the shape its first layer gets,
    batch excluded (what ``input_shape=`` on that layer says)."""

    def __init__(self, shape: Sequence[int] | int, name: str | None = None) -> None:
        from shapecheck.core.dims import whole

        sizes = [whole(shape)] if whole(shape) is not None else [whole(d) for d in shape] if isinstance(shape, (tuple, list)) else []
        if not sizes or not all(d is not None and d >= 1 for d in sizes):
            raise ShapecheckError("spec.input_shape_invalid", layer="Input", value=shape)
        self.shape, self.name = tuple(sizes), name

    def __repr__(self) -> str:
        return f"Input(shape={self.shape!r})"


class Sequential:
    """A Keras-like stack of layers, described: shapes and parameter counts, no numpy.

    ``sc.Sequential`` adds ``summary`` and training to this (``engine/sequential.py``).

    >>> from shapecheck.layers.lstm.spec import LSTM
    >>> from shapecheck.layers.dense.spec import Dense
    >>> model = Sequential([LSTM(10, input_shape=(1, 1)), Dense(1, activation="linear")])
    >>> model.count_params()
    491
    """

    def __init__(self, layers: Sequence[KerasLayerSpec] = (), name: str = "sequential", seed: int | None = 0) -> None:
        self.layers: list[KerasLayerSpec] = []
        self._of_kind: dict[str, int] = {}  # layers added so far, by kind: Keras's next automatic name
        self.name = name
        self.seed = seed  # initial weights are drawn from numpy's default_rng(seed): reproducible by default
        self._input: Input | None = None  # an Input given first, until the first layer takes its shape
        for index, layer in enumerate(layers):
            if not isinstance(layer, (KerasLayerSpec, Input)):
                raise ShapecheckError("spec.not_a_layer", index=index, value=layer)
            self.add(layer)

    def add(self, layer: KerasLayerSpec | Input) -> None:
        if isinstance(layer, Input):
            if self.layers or self._input is not None:
                raise ShapecheckError("spec.input_not_first", value=repr(layer))
            self._input = layer
            return
        if self.layers and layer.input_shape is not None:
            raise ShapecheckError("spec.input_shape_not_first", layer=repr(layer))
        if self._input is not None:  # the caller's layer is left as it was: this model holds a copy with the shape
            if layer.input_shape is not None and tuple(layer.input_shape) != self._input.shape:
                raise ShapecheckError("spec.input_and_input_shape", layer=repr(layer), shape=self._input.shape)
            layer, self._input = replace(layer, input_shape=self._input.shape), None
        taken = self._of_kind.get(layer.kind, 0)  # counted as added, never searched: 100,000 layers stay linear
        if layer.name is None:  # Keras's naming: lstm, lstm_1, dense, dense_1 ...
            base = layer.snake
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
        data = p.read_bytes()
    except OSError as exc:
        raise ShapecheckError("spec.file_unreadable", path=p, reason=exc.strerror or exc) from None
    from shapecheck.core.text_files import decode_utf8

    text = decode_utf8(p, data)
    _check_depth(text, p)
    try:
        if suffix == ".toml":
            import tomllib  # here, not at the top: `shapecheck shapes` never reads a file (nor a TOML one json)

            try:
                return p, tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ShapecheckError("spec.toml_syntax", path=p, reason=exc) from None
        import json

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
            cls = layer_type(kind)
            if cls is None:
                raise unknown_layer(kind, here)
            _options(item, cls.arguments(), here)
            for key, value in item.items():  # TOML and JSON have lists where Keras writes tuples
                if isinstance(value, list):
                    item[key] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
            missing = [f.name for f in fields(cls) if f.default is MISSING and not f.kw_only]
            if missing == ["units"] and "units" not in item:  # the course's layers: the units rule says more
                raise ShapecheckError("spec.units_invalid", layer=kind, value=None)
            if any(name not in item for name in missing):
                raise ShapecheckError("spec.missing_argument", layer=kind, where=here, arguments=", ".join(missing))
            layers.append(cls(**item))
        return Sequential(layers)
    raise ShapecheckError("spec.schema", path=where)


def load_spec(path: str | os.PathLike) -> Spec:
    """Read a network from TOML or JSON: either a ``[dense_net]`` table or ``[[sequential]]`` layers."""
    p, data = _read(path)
    return spec_from_dict(data, where=str(p))
