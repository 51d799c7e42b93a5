"""The symbolic tracer: every tensor's shape, derived from the spec before any math runs.

Stdlib only (no numpy), so the shape commands start fast. Dims are symbols bound to sizes:
``trace(dense_net([12288, 20, 7, 5, 1]), m=209)`` gives rows like
``(1, "W1", ("n1", "n0") -> (20, 12288), "W[l] is (n[l], n[l-1]) ...")``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shapecheck.core.dims import Shape, resolve, whole
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.tensors import Tensor, dense
from shapecheck.spec.dense import DenseNet
from shapecheck.tracer.report import LayerCount, Summary, Trace, TraceRow  # noqa: F401 - their public home

if TYPE_CHECKING:
    from shapecheck.spec.networks import Spec


def _check_m(m: int | str) -> int | str:
    if isinstance(m, str):
        if m.strip().isdigit():
            m = int(m)
        elif m.isidentifier():
            return m
    if whole(m) is None or whole(m) < 1:  # m = X.shape[1] may come as numpy's integer
        raise ShapecheckError("trace.bad_m", value=m)
    return whole(m)


def trace(spec: Spec, m: int | str = "m") -> Trace:
    """Derive every tensor's shape from ``spec``; ``m`` (number of examples) may be a symbol or a size.

    >>> from shapecheck.spec.networks import dense_net
    >>> trace(dense_net([5, 4, 3, 1]), m=10).row("W2").size
    (3, 4)
    """
    m = _check_m(m)
    if isinstance(spec, DenseNet):
        return _trace_dense(spec, m)
    from shapecheck.tracer.sequential import trace_sequential  # the layers load only for a Sequential

    return trace_sequential(spec, m)


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
