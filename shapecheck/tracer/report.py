"""What the tracer gives: a ``Trace`` of rows (``TraceRow``) and a Keras-style ``Summary`` of ``LayerCount``s.

Plain data (stdlib); drawn by ``views.render`` only when printed. Rows are named tuples and the reports plain
classes, not dataclasses: they are made on every ``shapecheck shapes``, and creating a dataclass costs more
start-up time than the rest of the tracer (benchmarks/bench_startup.py).
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

from shapecheck.core.dims import Shape
from shapecheck.views.base import Report


class TraceRow(NamedTuple):
    """One tensor: its layer, name, symbolic and resolved shape, the rule behind it."""

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


class LayerCount(NamedTuple):
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


class _Value:
    """Equal when of one class with equal fields (``__slots__``), shown with them: a dataclass's manners."""

    __slots__ = ()

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if other.__class__ is self.__class__ else NotImplemented

    __hash__ = None  # type: ignore[assignment] - equal by value, and bindings is a dict

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self.__slots__, self._fields()))
        return f"{type(self).__name__}({inner})"


class Summary(_Value, Report):
    """What ``model.summary()`` prints: layer (type), output shape, param #, totals."""

    __slots__ = ("name", "layers")

    def __init__(self, name: str, layers: tuple[LayerCount, ...]) -> None:
        self.name, self.layers = name, layers

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


class Trace(_Value, Report):
    """Every tensor of the forward and backward pass, with its shape and the rule behind it."""

    __slots__ = ("label", "rows", "layers", "bindings", "model_name")

    def __init__(self, label: str, rows: tuple[TraceRow, ...], layers: tuple[LayerCount, ...],
                 bindings: Mapping[str, int] | None = None, model_name: str = "network") -> None:
        self.label, self.rows, self.layers, self.model_name = label, rows, layers, model_name
        self.bindings = {} if bindings is None else bindings

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    def row(self, tensor: str, convention: str | None = None) -> TraceRow:
        """The first row for ``tensor`` (e.g. "W2"), in the given convention if any."""
        for r in self.rows:
            if r.tensor == tensor and convention in (None, r.convention):
                return r
        from shapecheck.core.errors import NoSuchTensor

        names = list(dict.fromkeys(r.tensor for r in self.rows if convention in (None, r.convention)))
        raise NoSuchTensor("trace.no_row", tensor=tensor, known=", ".join(names))

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
