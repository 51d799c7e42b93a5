"""The symbolic tracer: every tensor's shape, derived from the spec before any math runs.

Stdlib only (no numpy), so the shape commands start fast. Dims are symbols bound to sizes:
``trace(dense_net([12288, 20, 7, 5, 1]), m=209)`` gives rows like
``(1, "W1", ("n1", "n0") -> (20, 12288), "W[l] is (n[l], n[l-1]) ...")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from shapecheck.core.dims import Shape, resolve
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.tensors import Tensor, dense
from shapecheck.views.base import Report
from shapecheck.spec.networks import DenseNet, Sequential, Spec


@dataclass(frozen=True)
class TraceRow:
    layer: int
    tensor: str
    shape: Shape  # symbolic: ("n1", "n0")
    size: tuple  # resolved: (20, 12288), or symbols where unbound
    rule: str
    phase: str  # "forward" or "backward"
    convention: str = "ng"  # "ng" (examples are columns) or "keras" (batch first)
    layer_name: str = ""

    def to_json(self) -> dict:
        return {
            "layer": self.layer,
            "layer_name": self.layer_name,
            "tensor": self.tensor,
            "shape": list(self.size),
            "symbolic": list(self.shape),
            "rule": self.rule,
            "phase": self.phase,
            "convention": self.convention,
        }


@dataclass(frozen=True)
class LayerCount:
    """One line of a Keras-style summary, with the arithmetic behind the count."""

    name: str
    type: str
    output_shape: tuple  # batch first, batch is None
    params: int
    formula: str
    note: str = ""
    non_trainable: int = 0  # of params: BatchNormalization's moving statistics

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "output_shape": list(self.output_shape),
            "params": self.params,
            "trainable_params": self.params - self.non_trainable,
            "non_trainable_params": self.non_trainable,
            "formula": self.formula,
            "note": self.note or None,
        }


@dataclass(frozen=True)
class Summary(Report):
    """What ``model.summary()`` prints: layer (type), output shape, param #, totals."""

    name: str
    layers: tuple[LayerCount, ...]

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def non_trainable_params(self) -> int:
        return sum(layer.non_trainable for layer in self.layers)

    def to_json(self) -> dict:
        total = self.total_params
        return {
            "name": self.name,
            "layers": [layer.to_json() for layer in self.layers],
            "total_params": total,
            "trainable_params": total - self.non_trainable_params,
            "non_trainable_params": self.non_trainable_params,
        }

    def _renderable(self):
        from shapecheck.views.render import summary_table

        return summary_table(self)


@dataclass(frozen=True)
class Trace(Report):
    """Every tensor of the forward and backward pass, with its shape and the rule behind it."""

    label: str
    rows: tuple[TraceRow, ...]
    layers: tuple[LayerCount, ...]
    bindings: Mapping[str, int] = field(default_factory=dict)
    model_name: str = "network"

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    def row(self, tensor: str, convention: str | None = None) -> TraceRow:
        """The first row for ``tensor`` (e.g. "W2"), in the given convention if any."""
        for r in self.rows:
            if r.tensor == tensor and convention in (None, r.convention):
                return r
        raise KeyError(tensor)

    def summary(self) -> Summary:
        return Summary(self.model_name, self.layers)

    def to_json(self) -> dict:
        return {
            "network": self.label,
            "bindings": dict(self.bindings),
            "rows": [r.to_json() for r in self.rows],
            "layers": [layer.to_json() for layer in self.layers],
            "total_params": self.total_params,
        }

    def diagram(self):
        """The course's layer diagram (one box per layer with its shapes): SVG in a notebook, ``.save(path)``."""
        from shapecheck.views.diagram import LayerDiagram

        return LayerDiagram(self)

    def _renderable(self):
        from shapecheck.views.render import trace_table

        return trace_table(self)


def _check_m(m: int | str) -> int | str:
    if isinstance(m, str):
        if m.strip().isdigit():
            m = int(m)
        elif m.isidentifier():
            return m
    if not isinstance(m, int) or isinstance(m, bool) or m < 1:
        raise ShapecheckError("trace.bad_m", value=m)
    return m


def trace(spec: Spec, m: int | str = "m") -> Trace:
    """Derive every tensor's shape from ``spec``; ``m`` (number of examples) may be a symbol or a size.

    >>> from shapecheck.spec.networks import dense_net
    >>> trace(dense_net([5, 4, 3, 1]), m=10).row("W2").size
    (3, 4)
    """
    m = _check_m(m)
    if isinstance(spec, DenseNet):
        return _trace_dense(spec, m)
    if isinstance(spec, Sequential):
        return _trace_sequential(spec, m)
    raise ShapecheckError("trace.not_a_spec", value=type(spec).__name__)


# --- dense networks, Ng convention ---------------------------------------------------------------


def dense_param_shapes(spec: DenseNet) -> dict[str, tuple[Shape, str]]:
    """W{l}: (n{l}, n{l-1}) and b{l}: (n{l}, 1), with the id of their rule (the registry's)."""
    tensors_ = (dense(name, l) for l in range(1, spec.L + 1) for name in ("W", "b"))
    return {t.name: (t.shape, t.rule_id) for t in tensors_}


def dense_env(spec: DenseNet, m: int | str = "m") -> dict[str, int]:
    env = {f"n{l}": n for l, n in enumerate(spec.layer_dims)}
    if isinstance(m, int):
        env["m"] = m
    return env


def _trace_dense(spec: DenseNet, m: int | str) -> Trace:
    env = dense_env(spec, m)
    rows: list[TraceRow] = []

    def add(layer: int, tensor: str, shape: Shape, rule_id: str, phase: str = "forward") -> None:
        rows.append(TraceRow(layer, tensor, shape, resolve(shape, env), msg(rule_id), phase, "ng", f"layer {layer}"))

    def put(layer: int, t: Tensor, phase: str = "forward") -> None:
        add(layer, t.name, t.shape, t.rule_id, phase)

    L = spec.L
    put(0, dense("X", 0))
    for l in range(1, L + 1):
        for name in ("W", "b", "Z", "A"):
            put(l, dense(name, l))
    put(L, dense("Y", L, L))
    dA_rule = "rules.dA_L_sigmoid" if spec.activations[-1] == "sigmoid" else "rules.dA_L"
    add(L, f"dA{L}", dense("A", L).shape, dA_rule, "backward")
    for l in range(L, 0, -1):
        for name in ("dZ", "dW", "db", "dA_prev"):
            put(l, dense(name, l), "backward")

    layers = []
    for l in range(1, L + 1):
        units, inputs = spec.n(l), spec.n(l - 1)
        count = units * inputs + units
        formula = msg("rules.params_dense", units=units, inputs=inputs, count=count)
        layers.append(LayerCount(f"layer {l}", f"Dense ({spec.activations[l-1]})", (None, units), count, formula))
    return Trace(spec.describe(), tuple(rows), tuple(layers), env, "network")


# --- Keras-like Sequential --------------------------------------------------------------------


def _trace_sequential(model: Sequential, m: int | str) -> Trace:
    rows: list[TraceRow] = []
    layers: list[LayerCount] = []
    env = {"m": m, "batch": m} if isinstance(m, int) else {}

    # among other Keras layers, one table: examples first, channels last (the course's layers say both ways otherwise)
    images = any(not layer.course for layer in model.layers)
    for index, (layer, (inp, out)) in enumerate(zip(model.layers, model.layer_shapes()), start=1):
        name = layer.name or f"layer {index}"
        layer_rows = layer.rows(inp, out, index=index, name=name, mixed=images)
        for row in [layer.input_row(inp)] * (index == 1) + layer_rows:
            convention = "conv" if images else row.convention
            rows.append(TraceRow(index, row.tensor, row.symbolic, resolve(row.size, env), row.rule, row.phase, convention, name))
        trainable, frozen = layer.param_counts(inp)
        layers.append(LayerCount(name, layer.kind, (None, *out), trainable + frozen, layer.formula(inp), layer.note(inp), frozen))

    if images:  # the repr of a conv net is too long for a title: its input and its depth say enough
        first = model.layer_shapes()[0][0]
        label = msg("layers.trace_label", input="×".join(map(str, first)), count=len(model.layers))
        return Trace(label, tuple(rows), tuple(layers), {"m": m} if isinstance(m, int) else {}, model.name)
    label = repr(model)
    return Trace(label, tuple(rows), tuple(layers), {}, model.name)
