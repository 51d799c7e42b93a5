"""hypothesis strategies in the course's own terms, for instructors who property-test student code.

    from hypothesis import given
    from shapecheck import strategies_course as scs

    @given(scs.dense_cases())
    def test_student_forward(case):          # case.layer_dims, case.m, case.parameters, case.X, case.Y
        AL, caches = student.L_model_forward(case.X, case.parameters)
        assert AL.shape == (case.layer_dims[-1], case.m)

Arrays are float64 from ``np.random.default_rng(seed)`` with the seed drawn by hypothesis, so an
example reproduces from its seed and shrinks towards seed 0; sizes shrink towards the smallest
case a student can read (one unit, one example, one time step). Biases are drawn like weights,
never zero, so a forgotten ``+ b`` shows. Keys are the course's: ``W1, b1, ...``; ``Wax, Waa, Wya,
ba, by``; ``Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by``.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple, Sequence

import numpy as np
from hypothesis import strategies as st

from shapecheck.core import tensors
from shapecheck.core.tensors import layout, sizes
from shapecheck.core.errors import ShapecheckError


def seeds() -> st.SearchStrategy[int]:
    """A seed for numpy's default_rng; shrinks towards 0."""
    return st.integers(0, 2**32 - 1)

__all__ = [
    "course_layer_dims", "dense_parameters", "input_batches", "binary_labels", "one_hot_labels", "dense_cases",
    "DenseCase", "sequences", "rnn_parameters", "lstm_parameters", "recurrent_sizes", "RecurrentSizes",
    "logreg_cases", "LogregCase", "regularization_cases", "RegularizationCase", "optimizer_cases", "OptimizerCase",
    "mini_batch_cases", "MiniBatchCase", "gradcheck_cases", "GradcheckCase", "planar_cases", "PlanarCase",
    "char_rnn_cases", "CharRNNCase", "CHARACTERS",
]

SCALE = 0.5  # weights of this size keep sigmoid and tanh out of saturation in small nets, and gradients well above rounding


def _size(name: str, value: object) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ShapecheckError("testing.bad_size", name=name, value=value)
    return int(value)


def _scale(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < float("inf"):
        raise ShapecheckError("testing.bad_scale", value=value)
    return float(value)


def _bounds(name: str, low: int, high: int) -> None:
    _size(f"min_{name}", low)
    _size(f"max_{name}", high)
    if low > high:
        raise ShapecheckError("testing.bad_bounds", name=name, low=low, high=high)


def _rng(draw) -> np.random.Generator:
    return np.random.default_rng(draw(seeds()))


# --- the deep network ------------------------------------------------------------------------------


def course_layer_dims(max_layers: int = 3, max_units: int = 6, output_units: int = 1) -> st.SearchStrategy[list[int]]:
    """[n0, n1, ..., nL] ending in ``output_units`` (1: the course's cat classifier); shrinks towards [1, 1]."""
    _bounds("layers", 1, max_layers)
    _bounds("units", 1, max_units)
    output_units = _size("output_units", output_units)

    @st.composite
    def dims(draw) -> list[int]:
        L = draw(st.integers(1, max_layers))
        return draw(st.lists(st.integers(1, max_units), min_size=L, max_size=L)) + [output_units]

    return dims()


def dense_parameters(layer_dims: Sequence[int], scale: float = SCALE) -> st.SearchStrategy[dict[str, np.ndarray]]:
    """{"W1": (n1, n0), "b1": (n1, 1), ..., "WL", "bL"}, in the order initialize_parameters_deep builds them."""
    dims = [_size(f"layer_dims[{i}]", n) for i, n in enumerate(layer_dims)]
    if len(dims) < 2:
        raise ShapecheckError("testing.bad_layer_dims", value=list(layer_dims))
    scale = _scale(scale)

    @st.composite
    def parameters(draw) -> dict[str, np.ndarray]:
        rng = _rng(draw)
        out = {}
        for l in range(1, len(dims)):  # noqa: E741 - the course's index
            out[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * scale  # (n[l], n[l-1])
            out[f"b{l}"] = rng.standard_normal((dims[l], 1)) * scale  # (n[l], 1)
        return out

    return parameters()


def input_batches(n0: int, m: int, scale: float = 1.0) -> st.SearchStrategy[np.ndarray]:
    """X of shape (n0, m): one column per example."""
    shape = (_size("n0", n0), _size("m", m))
    scale = _scale(scale)
    return st.builds(lambda seed: np.random.default_rng(seed).standard_normal(shape) * scale, seeds())


def binary_labels(m: int) -> st.SearchStrategy[np.ndarray]:
    """Y of shape (1, m) holding 0.0 and 1.0, the course's cat / non-cat labels."""
    shape = (1, _size("m", m))
    return st.builds(lambda seed: np.random.default_rng(seed).integers(0, 2, shape).astype(np.float64), seeds())


def one_hot_labels(n_y: int, m: int) -> st.SearchStrategy[np.ndarray]:
    """Y of shape (n_y, m): one 1.0 per column, in the row of that example's class."""
    n_y, m = _size("n_y", n_y), _size("m", m)
    return st.builds(lambda seed: np.eye(n_y)[:, np.random.default_rng(seed).integers(0, n_y, m)], seeds())


class DenseCase(NamedTuple):
    """One example for the deep network: sizes, parameters, inputs and binary labels that fit together."""

    layer_dims: list[int]
    m: int
    parameters: dict[str, np.ndarray]
    X: np.ndarray  # (n0, m)
    Y: np.ndarray  # (1, m)


def dense_cases(max_layers: int = 3, max_units: int = 5, max_m: int = 5, scale: float = SCALE) -> st.SearchStrategy[DenseCase]:
    """layer_dims ending in 1, m, parameters, X and Y together; shrinks towards [1, 1] and one example."""
    dims_strategy = course_layer_dims(max_layers, max_units)
    _bounds("m", 1, max_m)
    scale = _scale(scale)

    @st.composite
    def cases(draw) -> DenseCase:
        dims = draw(dims_strategy)
        m = draw(st.integers(1, max_m))
        return DenseCase(dims, m, draw(dense_parameters(dims, scale)), draw(input_batches(dims[0], m)), draw(binary_labels(m)))

    return cases()


# --- the recurrent network ---------------------------------------------------------------------------


class RecurrentSizes(NamedTuple):
    n_x: int
    n_a: int
    n_y: int
    m: int
    T_x: int


def recurrent_sizes(max_x: int = 4, max_a: int = 5, max_y: int = 3, max_m: int = 4, max_T: int = 5) -> st.SearchStrategy[RecurrentSizes]:  # noqa: N803
    """(n_x, n_a, n_y, m, T_x) with n_a ≠ n_x whenever the bounds allow (so a transposed Wax or a swapped
    [a_prev; x_t] cannot fit by luck); shrinks towards (1, 2, 1, 1, 1)."""
    for name, high in (("x", max_x), ("a", max_a), ("y", max_y), ("m", max_m), ("T", max_T)):
        _bounds(name, 1, high)

    @st.composite
    def sizes(draw) -> RecurrentSizes:
        n_x = draw(st.integers(1, max_x))
        if max_a == 1 or n_x > max_a:  # n_a ≠ n_x is impossible, or automatic
            n_a = draw(st.integers(1, max_a))
        else:
            k = draw(st.integers(1, max_a - 1))  # k -> n_a skips n_x, so n_a ≠ n_x and small k shrinks to small n_a
            n_a = k if k < n_x else k + 1
        return RecurrentSizes(n_x, n_a, draw(st.integers(1, max_y)), draw(st.integers(1, max_m)), draw(st.integers(1, max_T)))

    return sizes()


def sequences(n_x: int, m: int, T_x: int, scale: float = 1.0) -> st.SearchStrategy[np.ndarray]:  # noqa: N803
    """x of shape (n_x, m, T_x): features, examples, time steps (x[:, :, t] is one step, (n_x, m))."""
    shape = (_size("n_x", n_x), _size("m", m), _size("T_x", T_x))
    scale = _scale(scale)
    return st.builds(lambda seed: np.random.default_rng(seed).standard_normal(shape) * scale, seeds())


def rnn_parameters(n_x: int, n_a: int, n_y: int, scale: float = SCALE) -> st.SearchStrategy[dict[str, np.ndarray]]:
    """{"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}."""
    n_x, n_a, n_y = _size("n_x", n_x), _size("n_a", n_a), _size("n_y", n_y)
    scale = _scale(scale)
    shapes = {name: sizes(shape, {"n_x": n_x, "n_a": n_a, "n_y": n_y}) for name, shape in layout("rnn_params").items()}
    return st.builds(lambda seed: _arrays(seed, shapes, scale), seeds())


def lstm_parameters(n_x: int, n_a: int, n_y: int, scale: float = SCALE) -> st.SearchStrategy[dict[str, np.ndarray]]:
    """Each gate's W (n_a, n_a + n_x), acting on the stacked [a_prev; x_t], and b (n_a, 1); Wy (n_y, n_a), by (n_y, 1)."""
    n_x, n_a, n_y = _size("n_x", n_x), _size("n_a", n_a), _size("n_y", n_y)
    scale = _scale(scale)
    env = {"n_x": n_x, "n_a": n_a, "n_y": n_y}
    shapes = {name: sizes(tensors.LSTM[name].shape, env) for name in (*tensors.LSTM_STEP, "Wy", "by")}
    return st.builds(lambda seed: _arrays(seed, shapes, scale), seeds())


def _arrays(seed: int, shapes: dict[str, tuple[int, ...]], scale: float) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {name: rng.standard_normal(shape) * scale for name, shape in shapes.items()}


# --- the other assignments of courses 1 and 2 (issue 14) -----------------------------------------------


class LogregCase(NamedTuple):
    """Logistic regression: w (n_x, 1), b a Python float, X (n_x, m), Y (1, m) of 0.0 and 1.0."""

    n_x: int
    m: int
    w: np.ndarray
    b: float
    X: np.ndarray
    Y: np.ndarray


def logreg_cases(max_features: int = 5, max_m: int = 6, scale: float = SCALE) -> st.SearchStrategy[LogregCase]:
    """Inputs of propagate, optimize and predict (``propagate(case.w, case.b, case.X, case.Y)``); b ≠ 0, so a
    forgotten + b shows; shrinks towards one feature and one example."""
    _bounds("features", 1, max_features)
    _bounds("m", 1, max_m)
    scale = _scale(scale)

    @st.composite
    def cases(draw) -> LogregCase:
        n_x, m = draw(st.integers(1, max_features)), draw(st.integers(1, max_m))
        rng = _rng(draw)
        w = rng.standard_normal((n_x, 1)) * scale
        b = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.1, 0.5))
        return LogregCase(n_x, m, w, b, rng.standard_normal((n_x, m)), rng.integers(0, 2, (1, m)).astype(np.float64))

    return cases()


class RegularizationCase(NamedTuple):
    """The regularization notebook's three-layer net: layer_dims [n0, n1, n2, 1], its parameters, X, Y, λ, keep_prob."""

    layer_dims: list[int]
    m: int
    parameters: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    lambd: float
    keep_prob: float


def regularization_cases(max_units: int = 5, max_m: int = 5, scale: float = SCALE) -> st.SearchStrategy[RegularizationCase]:
    """Inputs of the regularization functions: λ in [0.05, 1] and keep_prob in [0.5, 0.95], never the notebook's
    0.7 and 0.86 (a function that reads those instead of its argument shows); shrinks towards [1, 1, 1, 1], m = 1."""
    _bounds("units", 1, max_units)
    _bounds("m", 1, max_m)
    scale = _scale(scale)
    away = lambda low, high, avoid: st.floats(low, high).filter(lambda v: abs(v - avoid) > 1e-3)  # noqa: E731

    @st.composite
    def cases(draw) -> RegularizationCase:
        dims = [draw(st.integers(1, max_units)) for _ in range(3)] + [1]
        m = draw(st.integers(1, max_m))
        return RegularizationCase(dims, m, draw(dense_parameters(dims, scale)), draw(input_batches(dims[0], m)),
                                  draw(binary_labels(m)), draw(away(0.05, 1.0, 0.7)), draw(away(0.5, 0.95, 0.86)))

    return cases()


class OptimizerCase(NamedTuple):
    """One step of an optimizer: parameters, grads (dW1, db1, ...), the moments v and s (s ≥ 0, an average of
    squares), the step t ≥ 1 and the hyperparameters."""

    layer_dims: list[int]
    parameters: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]
    v: dict[str, np.ndarray]
    s: dict[str, np.ndarray]
    t: int
    learning_rate: float
    beta1: float
    beta2: float
    epsilon: float


def optimizer_cases(max_layers: int = 3, max_units: int = 5, max_t: int = 20) -> st.SearchStrategy[OptimizerCase]:
    """Inputs of update_parameters_with_gd / _momentum / _adam and the initializers (``case.parameters``);
    β₁ ≠ β₂ so a β₁ written for β₂ shows; shrinks towards one layer [1, 1] at t = 1."""
    dims_strategy = course_layer_dims(max_layers, max_units)
    _bounds("t", 1, max_t)

    @st.composite
    def cases(draw) -> OptimizerCase:
        dims = draw(dims_strategy)
        parameters = draw(dense_parameters(dims))
        rng = _rng(draw)
        grads = {f"d{k}": rng.standard_normal(p.shape) for k, p in parameters.items()}
        v = {k: rng.standard_normal(g.shape) * 0.1 for k, g in grads.items()}
        s = {k: rng.standard_normal(g.shape) ** 2 * 0.1 for k, g in grads.items()}
        beta1 = draw(st.sampled_from([0.8, 0.9, 0.95]))
        beta2 = draw(st.sampled_from([0.99, 0.999]))
        return OptimizerCase(dims, parameters, grads, v, s, draw(st.integers(1, max_t)), draw(st.sampled_from([0.01, 0.03, 0.1])),
                             beta1, beta2, 1e-8)

    return cases()


class MiniBatchCase(NamedTuple):
    """Inputs of random_mini_batches: X (n_x, m), Y (1, m), mini_batch_size, seed."""

    X: np.ndarray
    Y: np.ndarray
    mini_batch_size: int
    seed: int


def mini_batch_cases(max_features: int = 4, max_m: int = 40, max_size: int = 16) -> st.SearchStrategy[MiniBatchCase]:
    """m and mini_batch_size with m % mini_batch_size ≠ 0 as often as not (the end case); every column of X
    distinct, so a batch's columns can be traced back; Y[0, j] is j, so its pairing with X can be too."""
    _bounds("features", 1, max_features)
    _bounds("m", 1, max_m)
    _bounds("size", 1, max_size)

    @st.composite
    def cases(draw) -> MiniBatchCase:
        n_x, m = draw(st.integers(1, max_features)), draw(st.integers(1, max_m))
        X = np.random.default_rng(draw(seeds())).standard_normal((n_x, m))
        return MiniBatchCase(X, np.arange(m, dtype=np.float64).reshape(1, m), draw(st.integers(1, max_size)), draw(st.integers(0, 100)))

    return cases()


class GradcheckCase(NamedTuple):
    """The gradient-checking notebook's N-D net: X (4, m), Y (1, m), parameters of gc_utils' [4, 5, 3, 1]."""

    m: int
    parameters: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray


def gradcheck_cases(max_m: int = 5) -> st.SearchStrategy[GradcheckCase]:
    """Inputs of forward_propagation_n, backward_propagation_n and gradient_check_n; the sizes are fixed to
    [4, 5, 3, 1], as gc_utils' vector_to_dictionary fixes them."""
    _bounds("m", 1, max_m)

    @st.composite
    def cases(draw) -> GradcheckCase:
        m = draw(st.integers(1, max_m))
        return GradcheckCase(m, draw(dense_parameters([4, 5, 3, 1])), draw(input_batches(4, m)), draw(binary_labels(m)))

    return cases()


# --- planar data classification and Dinosaurus Island (issue 14, third stop) ------------------------


def _away(low: int, high: int, avoid: int):
    """An integer in [low, high] that is not ``avoid`` (the notebook's own number), unless nothing else fits."""
    strategy = st.integers(low, high)
    return strategy.filter(lambda n: n != avoid) if (low, high) != (avoid, avoid) else strategy


class PlanarCase(NamedTuple):
    """Planar data classification: X (n_x, m), Y (n_y, m) of 0.0 and 1.0, the one-hidden-layer net's parameters
    W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1), and a learning rate."""

    n_x: int
    n_h: int
    n_y: int
    m: int
    parameters: dict[str, np.ndarray]
    X: np.ndarray
    Y: np.ndarray
    learning_rate: float


def planar_cases(max_features: int = 4, max_hidden: int = 6, max_m: int = 6, scale: float = SCALE) -> st.SearchStrategy[PlanarCase]:
    """Inputs of forward_propagation, compute_cost, backward_propagation, update_parameters and predict
    (``forward_propagation(case.X, case.parameters)``; call them with ``kind="planar"`` in
    ``assert_matches_reference``). n_x ≠ 2 and n_h ≠ 4 (the planar data's and layer_sizes' own numbers) and a
    learning rate ≠ 1.2 wherever the bounds allow, so a number typed in shows; one output unit, as the notebook
    asserts; labels of both classes when m ≥ 2. Shrinks towards one feature, one hidden unit, one example."""
    _bounds("features", 1, max_features)
    _bounds("hidden", 1, max_hidden)
    _bounds("m", 1, max_m)
    scale = _scale(scale)

    @st.composite
    def cases(draw) -> PlanarCase:
        n_x, n_h, m = draw(_away(1, max_features, 2)), draw(_away(1, max_hidden, 4)), draw(st.integers(1, max_m))
        parameters = draw(dense_parameters([n_x, n_h, 1], scale))
        Y = draw(binary_labels(m))
        if m >= 2:
            Y[0, :2] = 1.0, 0.0
        rate = draw(st.sampled_from([0.05, 0.3, 0.9, 2.5]))
        return PlanarCase(n_x, n_h, 1, m, parameters, draw(input_batches(n_x, m)), Y, rate)

    return cases()


CHARACTERS = "\n" + "abcdefghijklmnopqrstuvwxyz"  # Dinosaurus' vocabulary: utils' rnn_forward assumes its 27


class CharRNNCase(NamedTuple):
    """Dinosaurus Island: the character RNN's parameters (Wax (n_a, 27), Waa, Wya, b, by), gradients of the same
    shapes (dWax, ..., dby) spread beyond ±maxValue, a name as the notebook feeds it (X = [None] + its indices,
    Y = its indices + the newline's), a_prev (n_a, 1), the learning rate, char_to_ix and a sampling seed."""

    n_a: int
    parameters: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray]
    maxValue: float  # noqa: N815 - the notebook's name
    X: list
    Y: list
    a_prev: np.ndarray
    learning_rate: float
    char_to_ix: dict
    seed: int


def char_rnn_cases(max_units: int = 8, max_length: int = 12, scale: float = SCALE) -> st.SearchStrategy[CharRNNCase]:
    """Inputs of clip, sample and optimize (``clip(case.gradients, case.maxValue)``, ``sample(case.parameters,
    case.char_to_ix, case.seed)``, ``optimize(case.X, case.Y, case.a_prev, case.parameters, case.learning_rate)``).
    maxValue ≠ 5 and a learning rate ≠ 0.01 (the notebook's), gradients with entries inside and beyond ±maxValue
    (and beyond ±5), names that may repeat a letter. Shrinks towards one unit and a one-letter name."""
    _bounds("units", 1, max_units)
    _bounds("length", 1, max_length)
    scale = _scale(scale)
    vocab = len(CHARACTERS)

    @st.composite
    def cases(draw) -> CharRNNCase:
        n_a = draw(st.integers(1, max_units))
        rng = _rng(draw)
        parameters = {"Wax": rng.standard_normal((n_a, vocab)) * scale, "Waa": rng.standard_normal((n_a, n_a)) * scale,
                      "Wya": rng.standard_normal((vocab, n_a)) * scale, "b": rng.uniform(-0.5, 0.5, (n_a, 1)),
                      "by": rng.uniform(-0.5, 0.5, (vocab, 1))}
        bound = draw(st.sampled_from([0.5, 2.0, 3.0, 10.0]))
        spread = 2 * bound + 5
        gradients = {"d" + key: rng.uniform(-spread, spread, value.shape) for key, value in parameters.items()}
        name = draw(st.text(alphabet=CHARACTERS[1:], min_size=1, max_size=max_length))
        char_to_ix = {ch: i for i, ch in enumerate(CHARACTERS)}
        indices = [char_to_ix[ch] for ch in name]
        return CharRNNCase(n_a, parameters, gradients, bound, [None] + indices, indices + [char_to_ix["\n"]],
                           rng.uniform(-0.5, 0.5, (n_a, 1)), draw(st.sampled_from([0.003, 0.05, 0.2])), char_to_ix,
                           draw(st.integers(0, 1000)))

    return cases()
