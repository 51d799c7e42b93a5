"""The tracer's rows for a Keras-like ``Sequential``: Keras's layout (batch first) and the course's beside it.

Apart from ``trace`` so that tracing the course's dense network never loads the layers.
"""

from __future__ import annotations

from shapecheck.core import tensors
from shapecheck.core.dims import Shape, resolve
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.tensors import Tensor
from shapecheck.layers.base import KerasLayerSpec
from shapecheck.spec.networks import GRU, LSTM, SimpleRNN, Sequential
from shapecheck.tracer.report import LayerCount, Trace, TraceRow


def trace_sequential(model: Sequential, m: int | str) -> Trace:
    if not isinstance(model, Sequential):
        raise ShapecheckError("trace.not_a_spec", value=type(model).__name__)
    batch = "batch"
    rows: list[TraceRow] = []
    layers: list[LayerCount] = []

    images = any(isinstance(layer, KerasLayerSpec) for layer in model.layers)
    for index, (layer, (inp, out)) in enumerate(zip(model.layers, model.layer_shapes()), start=1):
        name = layer.name or f"layer {index}"
        if isinstance(layer, KerasLayerSpec):
            env_m = {"m": m} if isinstance(m, int) else {}
            if index == 1:
                symbols = ("m", *layer.output_symbols(inp)) if len(inp) != 3 else ("m", "n_H", "n_W", "n_C")
                rule = msg("layers.rule_input_images" if len(inp) == 3 else "layers.rule_input")
                rows.append(TraceRow(index, "input", symbols, resolve(("m", *inp), env_m), rule, "forward", "conv", name))
            for row in layer.rows(inp, out):
                rows.append(TraceRow(index, row.tensor, row.symbolic, resolve(row.size, env_m), row.rule, "forward", "conv", name))
            trainable, frozen = layer.param_counts(inp)
            layers.append(LayerCount(name, layer.kind, (None, *out), trainable + frozen, layer.formula(inp), "", frozen))
            continue
        d, u = inp[-1], layer.units
        env: dict[str, int] = {"input_dim": d, "units": u, "n_x": d, "n_a": u}
        if isinstance(m, int):
            env["batch"] = env["m"] = m
        if len(inp) == 2:
            env["timesteps"] = env["T_x"] = inp[0]

        def add(tensor: str, shape: Shape, rule: str, convention: str, phase: str = "forward") -> None:
            if images:  # one table for a conv net: examples first, channels last
                convention = "conv"
            rows.append(TraceRow(index, tensor, shape, resolve(shape, env), rule, phase, convention, name))

        # Keras convention: batch first, kernels are (input_dim, k·units)
        if index == 1:
            seq = len(inp) == 2
            shape_in: Shape = (batch, "timesteps", "input_dim") if seq else (batch, *inp[:-1], "input_dim")
            add("input", shape_in, msg("rules.keras_input_seq" if seq else "rules.keras_input"), "keras")
        for weight, (shape, rule_id) in layer.keras_weights.items():  # Keras's own weights, from the layer's spec
            add(f"{name}/{weight}", shape, msg(rule_id), "keras")
        if layer.recurrent:
            seq_out = layer.return_sequences
            out_shape: Shape = (batch, "timesteps", "units") if seq_out else (batch, "units")
            add(f"{name}/output", out_shape, msg("rules.keras_output_seq" if seq_out else "rules.keras_output"), "keras")
        else:
            seq_out = len(out) == 2
            out_shape = (batch, *(["timesteps"] if seq_out else []), "units") if len(out) <= 2 else (batch, *out[:-1], "units")
            add(f"{name}/output", out_shape, msg("rules.keras_dense_output_seq" if seq_out else "rules.keras_dense_output"), "keras")

        # Ng convention for the same layer: examples are columns, time is the last axis
        if isinstance(layer, LSTM):
            _ng_recurrent_rows(add, tensors.LSTM)
        elif isinstance(layer, SimpleRNN):
            _ng_recurrent_rows(add, tensors.RNN)
        elif isinstance(layer, GRU):
            pass  # the course writes no GRU in numpy: Keras's layout is the only one
        elif not images:  # after images, Dense is Keras's, batch first: Ng's columns would only confuse
            add(f"W[{index}]", ("units", "input_dim"), msg("rules.W"), "ng")
            add(f"b[{index}]", ("units", 1), msg("rules.b"), "ng")

        count, (formula, note) = layer.param_count(d), layer.count_text(d)
        layers.append(LayerCount(name, layer.kind, (None, *out), count, formula, note))

    if images:  # the repr of a conv net is too long for a title: its input and its depth say enough
        first = model.layer_shapes()[0][0]
        label = msg("layers.trace_label", input="×".join(map(str, first)), count=len(model.layers))
        return Trace(label, tuple(rows), tuple(layers), {"m": m} if isinstance(m, int) else {}, model.name)
    label = repr(model)
    return Trace(label, tuple(rows), tuple(layers), {}, model.name)


def _ng_recurrent_rows(add, table: dict[str, Tensor]) -> None:
    for t in table.values():
        if "n_y" not in t.shape:  # a Keras model's output is its own Dense layer: no Wy, by, ... here
            add(t.name, t.shape, t.rule, "ng", t.phase)
