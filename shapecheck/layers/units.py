"""What the course's own layers share (Dense, SimpleRNN, LSTM, GRU): ``units``, an activation, and a
trace in both conventions, Keras's (batch first) and the course's (examples as columns). Stdlib only.

Each layer declares ``keras_weights`` (name -> symbolic shape over input_dim and units, rule id) in
Keras's get_weights() order; its ``weights``, ``param_count``, the trace's rows and the runtime's
buffers all follow from that one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from math import prod
from typing import Any, ClassVar

from shapecheck.core import tensors
from shapecheck.core.dims import Shape, evaluate, resolve, whole
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.tensors import Tensor
from shapecheck.layers.base import MAX_SIZE, KerasLayerSpec, Row, Weight
from shapecheck.spec.dense import check_activation  # the course's names; "where" may be a catalogue id


def show_batch(shape: tuple) -> str:
    """(None, 4) as Keras prints a shape with its batch axis."""
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


@dataclass(repr=False)
class UnitsLayer(KerasLayerSpec):
    """A layer of ``units`` outputs: ``Dense(units, activation)`` and the recurrent layers."""

    units: int
    activation: str | None = "linear"
    input_dim: int | None = field(default=None, kw_only=True)  # Keras 2's Dense(12, input_dim=8): input_shape=(8,)

    course: ClassVar[bool] = True  # traced in the course's notation too
    # Keras's weights, in Keras's order: name -> (symbolic shape over input_dim and units, rule id)
    keras_weights: ClassVar[dict[str, tuple[Shape, str]]] = {}
    count_rule: ClassVar[str] = ""  # the arithmetic of param_count, in the catalogue
    torch_rule: ClassVar[str | None] = None  # where PyTorch counts differently
    default_activation: ClassVar[str] = "linear"

    def __post_init__(self) -> None:
        units = whole(self.units)  # numpy's integers are counts too, as Keras takes them
        if units is None or units < 1:
            raise ShapecheckError("spec.units_invalid", layer=self.kind, value=self.units)
        if units > MAX_SIZE:
            raise ShapecheckError("spec.units_too_large", layer=self.kind, value=units, limit=MAX_SIZE)
        self.units = units
        label = f"{self.kind}({self.units!r})"
        if self.input_dim is not None:
            if self.input_shape is not None:
                raise ShapecheckError("spec.input_dim_and_shape", layer=label, input_dim=self.input_dim,
                                      input_shape=self.input_shape)
            self.input_shape, self.input_dim = (self.input_dim,), None  # one way to say it from here on
        self.activation = check_activation(self.activation, label)
        if self.input_shape is not None:
            shape = (self.input_shape,) if whole(self.input_shape) is not None else self.input_shape
            sizes = [whole(d) for d in shape] if isinstance(shape, (tuple, list)) else []
            if not sizes or not all(d is not None and 1 <= d <= MAX_SIZE for d in sizes):
                raise ShapecheckError("spec.input_shape_invalid", layer=label, value=self.input_shape)
            self.input_shape = tuple(sizes)

    @classmethod
    def arguments(cls) -> list[str]:
        """Keras's order: units and activation first, then input_shape and name, then the layer's own."""
        own = [f.name for f in fields(cls) if f.name not in ("input_shape", "name") and not f.name.startswith("_")]
        return [*own[:2], "input_shape", "name", *own[2:]]

    # --- weights and counts ------------------------------------------------------------------------

    def weight_shapes(self, input_dim: int) -> dict[str, tuple[int, ...]]:
        """Each weight's shape for an input of ``input_dim`` features (Keras's layout)."""
        env = {"input_dim": input_dim, "units": self.units}
        return {name: tuple(evaluate(d, env) for d in shape) for name, (shape, _) in self.keras_weights.items()}

    def weights(self, inp):
        shapes = self.weight_shapes(inp[-1])
        return [Weight(name, shapes[name], symbolic, msg(rule)) for name, (symbolic, rule) in self.keras_weights.items()]

    def param_count(self, input_dim: int) -> int:
        """How many numbers the layer learns: the sizes of its weights, added up.

        >>> from shapecheck.layers.lstm.spec import LSTM
        >>> from shapecheck.layers.dense.spec import Dense
        >>> LSTM(10).param_count(1), Dense(1).param_count(10)
        (480, 11)
        """
        return sum(prod(shape) for shape in self.weight_shapes(input_dim).values())

    def formula(self, inp):
        return msg(self.count_rule, units=self.units, inputs=inp[-1], count=self.param_count(inp[-1]))

    def note(self, inp):
        if not self.torch_rule:
            return ""
        return msg(self.torch_rule, count=self.param_count(inp[-1]) + self.torch_extra_bias())

    def torch_extra_bias(self) -> int:
        return 0

    def output_shape(self, inp):
        return (*inp[:-1], self.units)

    # --- the trace: Keras's rows, then the course's ------------------------------------------------

    def input_row(self, inp):
        seq = len(inp) == 2
        shape: Shape = ("batch", "timesteps", "input_dim") if seq else ("batch", *inp[:-1], "input_dim")
        return Row("input", shape, resolve(shape, self._env(inp)), msg("rules.keras_input_seq" if seq else "rules.keras_input"),
                   convention="keras")

    def rows(self, inp, out, index=1, name="", mixed=False):
        env = self._env(inp)
        rows = [Row(f"{name}/{w.name}", w.symbolic, w.shape, w.rule, convention="keras") for w in self.weights(inp)]
        shape, rule = self.output_row(out)
        rows.append(Row(f"{name}/output", shape, resolve(shape, env), msg(rule), convention="keras"))
        rows += [Row(t.name, t.shape, resolve(t.shape, env), t.rule, t.phase, "ng") for t in self.course_tensors(index, mixed)]
        return rows

    def output_row(self, out) -> tuple[Shape, str]:
        seq = len(out) == 2
        shape = ("batch", *(["timesteps"] if seq else []), "units") if len(out) <= 2 else ("batch", *out[:-1], "units")
        return shape, "rules.keras_dense_output_seq" if seq else "rules.keras_dense_output"

    def course_tensors(self, index: int, mixed: bool) -> list[Tensor]:
        """The same layer in the course's notation (examples are columns)."""
        return []

    def _env(self, inp) -> dict[str, int]:
        d, u = inp[-1], self.units
        env = {"input_dim": d, "units": u, "n_x": d, "n_a": u}
        if len(inp) == 2:
            env["timesteps"] = env["T_x"] = inp[0]
        return env

    # --- repr ----------------------------------------------------------------------------------------

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.activation != self.default_activation:
            options["activation"] = self.activation
        if getattr(self, "return_sequences", False):
            options["return_sequences"] = True
        if self.input_shape is not None:
            options["input_shape"] = self.input_shape
        return options

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self._options().items())
        return f"{self.kind}({self.units}{extra})"


@dataclass(repr=False)
class RecurrentLayer(UnitsLayer):
    """SimpleRNN, LSTM and GRU: a sequence (timesteps, features) in, the last step or every step out."""

    activation: str | None = "tanh"

    recurrent: ClassVar[bool] = True
    default_activation: ClassVar[str] = "tanh"
    course_table: ClassVar[dict[str, Tensor]] = {}  # the course's numpy tensors of this layer (core/tensors.py)

    def output_shape(self, inp):
        """A sequence layer reads (timesteps, features): Keras's 3-D input, batch excluded."""
        if len(inp) != 2:
            full = (None, *inp)
            raise ShapecheckError("spec.needs_3d_input", layer=f"{self.name} ({self.kind})", shape=show_batch(full),
                                  ndim=len(full))
        return (inp[0], self.units) if self.return_sequences else (self.units,)

    def output_row(self, out):
        seq = self.return_sequences
        return ("batch", "timesteps", "units") if seq else ("batch", "units"), \
            "rules.keras_output_seq" if seq else "rules.keras_output"

    def course_tensors(self, index, mixed):
        # a Keras model's output is its own Dense layer: no Wy, by, ... here
        return [t for t in self.course_table.values() if "n_y" not in t.shape]

    def _check_recurrent_activation(self) -> None:
        self.recurrent_activation = check_activation(self.recurrent_activation,
                                                     f"{self.kind}({self.units}).recurrent_activation")

    def _options(self):
        options = super()._options()
        if getattr(self, "recurrent_activation", "sigmoid") != "sigmoid":
            options["recurrent_activation"] = self.recurrent_activation
        return options


__all__ = ["UnitsLayer", "RecurrentLayer", "check_activation", "show_batch", "tensors"]
