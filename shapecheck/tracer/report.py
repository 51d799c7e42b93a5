"""What the tracer gives: a ``Trace`` of rows (``TraceRow``) and a Keras-style ``Summary`` of ``LayerCount``s.

Plain data (stdlib); drawn by ``views.render`` only when printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from shapecheck.core.dims import Shape
from shapecheck.views.base import Report


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
