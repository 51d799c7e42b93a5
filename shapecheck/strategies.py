"""hypothesis strategies for networks and their parameters: the ones shapecheck's own tests use.

For instructors property-testing student code::

    from hypothesis import given
    from shapecheck import strategies as sst

    @given(sst.dense_specs(), sst.seeds())
    def test_student_forward_shapes(spec, seed): ...

Every strategy shrinks towards the smallest network a student can read: [1, 1], one example,
one time step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from shapecheck.core.errors import ShapecheckError
from shapecheck.engine.sequential import Sequential  # sc.Sequential: it can be compiled and trained too
from shapecheck.layers.dense.spec import Dense
from shapecheck.layers.gru.spec import GRU
from shapecheck.layers.lstm.spec import LSTM
from shapecheck.layers.simple_rnn.spec import SimpleRNN
from shapecheck.spec.networks import DenseNet, dense_net
from shapecheck.strategies_course import seeds
from shapecheck.tracer.trace import dense_param_shapes, trace

HIDDEN = ("relu", "leaky_relu", "tanh", "sigmoid", "linear")
OUTPUTS = ("sigmoid", "softmax", "linear")


def _check_bounds(name: str, low: int, high: int) -> None:
    if low < 1:
        raise ShapecheckError("testing.bad_min", name=name, low=low)
    if low > high:
        raise ShapecheckError("testing.bad_bounds", name=name, low=low, high=high)


@st.composite
def layer_dims(draw, min_layers: int = 1, max_layers: int = 5, min_units: int = 1, max_units: int = 12) -> list[int]:
    """[n0, ..., nL]; shrinks towards [1, 1], the smallest net a student can read."""
    _check_bounds("layers", min_layers, max_layers)
    _check_bounds("units", min_units, max_units)
    L = draw(st.integers(min_layers, max_layers))
    return draw(st.lists(st.integers(min_units, max_units), min_size=L + 1, max_size=L + 1))


@st.composite
def dense_specs(draw, hidden=HIDDEN, outputs=OUTPUTS, **dims_options: Any) -> DenseNet:
    """A DenseNet with random sizes and activations (one g per layer)."""
    dims = draw(layer_dims(**dims_options))
    L = len(dims) - 1
    acts = [draw(st.sampled_from(hidden)) for _ in range(L - 1)] + [draw(st.sampled_from(outputs))]
    return dense_net(dims, activations=acts)


@st.composite
def sequential_specs(draw, max_recurrent: int = 2, max_dense: int = 2, max_units: int = 8, max_timesteps: int = 5,
                     max_features: int = 6) -> Sequential:
    """A Keras-like Sequential: recurrent layers (stacked ones return sequences) then Dense layers."""
    n_rec = draw(st.integers(0, max_recurrent))
    n_dense = draw(st.integers(1 if n_rec == 0 else 0, max_dense))
    timesteps = draw(st.integers(1, max_timesteps))
    features = draw(st.integers(1, max_features))
    layers: list = []
    for i in range(n_rec):
        kind = draw(st.sampled_from((LSTM, SimpleRNN, GRU)))
        last = i == n_rec - 1
        layers.append(kind(draw(st.integers(1, max_units)), return_sequences=not last or draw(st.booleans())))
    for _ in range(n_dense):
        layers.append(Dense(draw(st.integers(1, max_units)), activation=draw(st.sampled_from(HIDDEN))))
    layers[0].input_shape = (timesteps, features) if n_rec else (features,)
    return Sequential(layers)


@dataclass(frozen=True)
class Corruption:
    """What was done to one parameter: ``how`` is "dim", "transpose" or "rank1"."""

    tensor: str
    how: str
    shape: tuple[int, ...]


def param_shapes(spec: DenseNet | Sequential) -> dict[str, tuple[int, ...]]:
    """The right shape of every parameter: W1, b1, ... (dense) or lstm/kernel, ... (Sequential)."""
    if isinstance(spec, DenseNet):
        env = {f"n{l}": n for l, n in enumerate(spec.layer_dims)}
        return {name: tuple(env.get(d, d) if isinstance(d, str) else d for d in shape)
                for name, (shape, _) in dense_param_shapes(spec).items()}
    return {r.tensor: tuple(r.size) for r in trace(spec).rows
            if r.convention == "keras" and r.tensor.rsplit("/", 1)[-1] in ("kernel", "recurrent_kernel", "bias")}


@st.composite
def corrupted_shapes(draw, spec: DenseNet | Sequential, max_units: int = 12) -> tuple[dict[str, tuple[int, ...]], Corruption]:
    """The right shapes with exactly one broken: a W or b dim changed, a non-square W transposed, or a rank-1 b."""
    shapes = param_shapes(spec)
    names = sorted(shapes)
    name = draw(st.sampled_from(names))
    shape = shapes[name]
    ways = ["dim"]
    if len(shape) == 2 and shape[0] != shape[1]:
        ways.append("transpose")
    if isinstance(spec, DenseNet) and name.startswith("b"):
        ways.append("rank1")
    how = draw(st.sampled_from(ways))
    if how == "transpose":
        new = shape[::-1]
    elif how == "rank1":
        new = (shape[0],)
    else:
        axis = draw(st.integers(0, len(shape) - 1))
        size = draw(st.integers(1, max_units + 1).filter(lambda s: s != shape[axis]))
        new = shape[:axis] + (size,) + shape[axis + 1:]
    broken = dict(shapes)
    broken[name] = new
    return broken, Corruption(name, how, new)


@st.composite
def params_for(draw, spec: DenseNet | Sequential, scale: float = 0.5, corrupt: bool = False):
    """float64 arrays that fit ``spec`` (seeded, so examples shrink to readable numbers).

    With ``corrupt=True`` returns ``(params, Corruption)`` with exactly one shape broken.
    """
    if corrupt:
        shapes, corruption = draw(corrupted_shapes(spec))
    else:
        shapes, corruption = param_shapes(spec), None
    rng = np.random.default_rng(draw(seeds()))
    params = {name: rng.standard_normal(shape) * scale for name, shape in shapes.items()}
    return (params, corruption) if corrupt else params


@st.composite
def examples_for(draw, spec: DenseNet, min_m: int = 1, max_m: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y) for a DenseNet: X (n0, m) float64; Y (n[L], m) labels that fit the output activation."""
    m = draw(st.integers(min_m, max_m))
    rng = np.random.default_rng(draw(seeds()))
    X = rng.standard_normal((spec.layer_dims[0], m))
    n_L, output = spec.layer_dims[-1], spec.activations[-1]
    if output == "softmax":
        Y = np.eye(n_L)[:, rng.integers(0, n_L, m)]  # one-hot columns
    elif output == "sigmoid":
        Y = rng.integers(0, 2, (n_L, m)).astype(np.float64)
    else:
        Y = rng.standard_normal((n_L, m))
    return X, Y


# The course-shaped strategies (inputs, labels, sequences, parameter dicts in the course's key names)
from shapecheck.strategies_course import *  # noqa: E402,F401,F403 - one public module for instructors
