"""The tracer's rows for a Keras-like ``Sequential``: each layer's own rows (its folder's spec.py), Keras's
layout (batch first) and, for the course's Dense, SimpleRNN and LSTM, the course's beside it.

Apart from ``trace`` so that tracing the course's dense network never loads the layers.
"""

from __future__ import annotations

from shapecheck.core.dims import resolve
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.spec.networks import Sequential
from shapecheck.tracer.report import LayerCount, Trace, TraceRow


def trace_sequential(model: Sequential, m: int | str) -> Trace:
    if not isinstance(model, Sequential):
        raise ShapecheckError("trace.not_a_spec", value=type(model).__name__)
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
