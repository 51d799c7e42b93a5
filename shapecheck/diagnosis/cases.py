"""Seeded inputs for every contract function, chosen so that mistakes cannot hide.

    cases = cases_for("linear_backward", seed=0)       # [Case(function, args, label, sizes, forward_args)]
    result = reference.linear_backward(*cases[0].args)

What the sizes guarantee:
- no two of n[l-1], n[l], m are equal (and no two of n_x, n_a, n_y, m, T_x), so a transpose or a
  swapped axis never fits by luck; every function also gets one case with m = 1 (which hides axis
  and 1/m mistakes, so the others use m ≥ 3), nets run from L = 1 to L = 4, sequences from T_x = 1 to 6;
- ReLU inputs are at least 0.05 away from the kink at 0, with both signs in every layer, and
  sigmoid and tanh inputs stay within ±3 (out of saturation), so a wrong derivative always shows;
- biases, a0 and c_prev are not zero, so a forgotten bias or initial state shows;
- both activations for linear_activation_forward and linear_activation_backward.

Functions that take caches (linear_backward, linear_activation_backward, L_model_backward,
rnn_cell_backward, rnn_backward, lstm_cell_backward, lstm_backward): ``case.args`` already holds the
caches the reference forward made, and ``case.forward_args`` the inputs of that forward. To use the
student's own forward instead, ``forward_for(name)`` says which forward and which of its outputs go
where, and ``build_args(case, student_forward)`` does it:

    link = forward_for("L_model_backward")     # Link("L_model_forward", ((0, 0), (2, 1)))
    args = build_args(case, student.L_model_forward)   # (AL, Y, caches) with the student's AL and caches

Caches are the student's own format (dicts, flat tuples, ...), which only the student's backward may
expect, so a student's backward should always get caches made by the student's forward when that
forward runs at all (with the reference standing in for its failing callees):

- the forward passes: ``build_args(case, forward)``; the expected result is ``reference_result(case)``;
- the forward runs but fails: ``build_args(case, forward, caches_only=True)`` (its caches, but the case's
  AL: a wrong AL may hold 0 or 1 and make dA[L] infinite), and the expected result is the reference
  on THOSE arguments, ``reference_on(case, args)`` (the reference reads students' cache layouts) - so
  both see the same caches and the comparison stays fair; if the reference cannot read them, fall
  back to the case's own arguments;
- the forward raises: its callees may still make the caches, through the course's code for the
  forward, ``mutants.course_with(link.forward, {callee: student's callee})``; as in the case above,
  the expected result is then ``reference_on(case, args)``;
- nothing of the student's can make caches: ``case.args`` (the reference's, in the course's format).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from shapecheck.diagnosis import reference
from shapecheck.diagnosis.contract import CONTRACTS

KINK_MARGIN = 0.05  # |Z| of every ReLU input is at least this (ε = 1e-7 steps never cross 0)
SATURATION = 3.0  # |z| of every sigmoid or tanh input is at most this where we can choose it


@dataclass(frozen=True, eq=False)
class Case:
    """One call: the function's arguments, a label for reports, the sizes behind them."""

    function: str
    args: tuple
    label: str
    sizes: dict = field(default_factory=dict)
    forward_args: tuple | None = None  # inputs of forward_for(function).forward, when the function takes caches

    def fresh_args(self) -> tuple:
        """A deep copy of the arguments: nothing that runs on them can change the case."""
        return copy.deepcopy(self.args)


@dataclass(frozen=True)
class Link:
    """Where a backward function's caches come from: ``forward``'s outputs, (argument, output) pairs."""

    forward: str
    outputs: tuple[tuple[int, int], ...]


LINKS: dict[str, Link] = {
    "linear_backward": Link("linear_forward", ((1, 1),)),  # cache = linear_forward(A_prev, W, b)[1]
    "linear_activation_backward": Link("linear_activation_forward", ((1, 1),)),
    "L_model_backward": Link("L_model_forward", ((0, 0), (2, 1))),  # AL and caches
    "rnn_cell_backward": Link("rnn_cell_forward", ((1, 2),)),
    "rnn_backward": Link("rnn_forward", ((1, 2),)),
    "lstm_cell_backward": Link("lstm_cell_forward", ((2, 3),)),
    "lstm_backward": Link("lstm_forward", ((1, 3),)),
}


def forward_for(function: str) -> Link | None:
    """The forward whose outputs ``function`` takes (its caches), or None if it takes none."""
    return LINKS.get(function)


def build_args(case: Case, forward: Callable, *, caches_only: bool = False) -> tuple:
    """``case.args`` with the caches (and AL) replaced by what ``forward(*case.forward_args)`` returns.

    ``forward`` is the student's forward (or the reference's); it gets a deep copy of the inputs.
    ``caches_only``: replace only the outputs the contract leaves opaque (the caches), not AL.
    Raises whatever the forward raises, and TypeError if it does not return a tuple long enough.
    """
    link = forward_for(case.function)
    if link is None or case.forward_args is None:
        return case.fresh_args()
    result = forward(*copy.deepcopy(case.forward_args))
    if not isinstance(result, (tuple, list)) or len(result) <= max(out for _, out in link.outputs):
        raise TypeError(f"{link.forward} did not return the course's tuple")
    opaque = [spec is None for spec in CONTRACTS[link.forward].outputs.values()]
    args = list(case.fresh_args())
    for position, out in link.outputs:
        if opaque[out] or not caches_only:
            args[position] = result[out]
    return tuple(args)


def reference_on(case: Case, args: tuple) -> Any:
    """The reference's output on ``args`` (a deep copy): the expected result for caches a student's forward made."""
    return reference.FUNCTIONS[case.function](*copy.deepcopy(args))


def reference_result(case: Case) -> Any:
    """The reference's output on the case."""
    return reference.FUNCTIONS[case.function](*case.fresh_args())


# --- drawing numbers ----------------------------------------------------------------------------------


def _rng(seed: int, function: str, k: int) -> np.random.Generator:
    return np.random.default_rng([seed, sum(map(ord, function)), k])


def _relu_ok(Z: np.ndarray) -> bool:
    """Away from the kink, and both signs in each layer (so a missing derivative shows)."""
    return bool(np.all(np.abs(Z) >= KINK_MARGIN) and (Z > 0).any() and (Z < 0).any())


def _sigmoid_ok(Z: np.ndarray) -> bool:
    return bool(np.all(np.abs(Z) <= SATURATION))


def _dense_params(rng: np.random.Generator, dims: list[int]) -> dict[str, np.ndarray]:
    params = {}
    for l in range(1, len(dims)):  # noqa: E741
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * (1.2 / np.sqrt(dims[l - 1]))
        params[f"b{l}"] = rng.uniform(-0.5, 0.5, (dims[l], 1))
    return params


def _net(rng: np.random.Generator, dims: list[int], m: int) -> tuple[np.ndarray, dict, np.ndarray]:
    """X, parameters and binary Y (both labels when m > 1) with every layer's Z in range."""
    for _ in range(1000):
        X = rng.standard_normal((dims[0], m))
        params = _dense_params(rng, dims)
        _, caches = reference.L_model_forward(X, params)
        Zs = [Z for _, Z in caches]
        if all(_relu_ok(Z) for Z in Zs[:-1]) and _sigmoid_ok(Zs[-1]):
            break
    else:  # pragma: no cover - the sizes below are always found in a few draws
        raise RuntimeError(f"no usable net for {dims}, m={m}")
    Y = (rng.uniform(size=(dims[-1], m)) < 0.5).astype(float)
    if m > 1:
        Y[0, 0], Y[0, 1] = 1.0, 0.0
    else:
        Y[:] = 1.0
    return X, params, Y


def _layer(rng: np.random.Generator, n_prev: int, n: int, m: int, activation: str | None):
    """A_prev, W, b with Z = W·A_prev + b in range for the activation."""
    for _ in range(1000):
        A_prev = rng.standard_normal((n_prev, m))
        W = rng.standard_normal((n, n_prev)) * (1.2 / np.sqrt(n_prev))
        b = rng.uniform(-0.5, 0.5, (n, 1))
        Z = W @ A_prev + b
        if activation is None or (_relu_ok(Z) if activation == "relu" else _sigmoid_ok(Z)):
            return A_prev, W, b
    raise RuntimeError(f"no usable layer for ({n}, {n_prev}), m={m}")  # pragma: no cover


def _dense_sizes(dims: list[int], m: int) -> dict:
    return {"layer_dims": list(dims), "L": len(dims) - 1, "m": m, **{f"n{l}": n for l, n in enumerate(dims)}}


# --- deep network -----------------------------------------------------------------------------------

NETS = ([5, 4, 3, 1], 6), ([3, 1], 5), ([4, 2, 1], 1), ([7, 5, 3, 2, 1], 4)  # (layer_dims, m)
LAYERS = (5, 3, 4), (2, 4, 1), (3, 1, 6)  # (n_prev, n, m)


def _init_cases(seed: int) -> list[Case]:
    return [Case("initialize_parameters_deep", (list(dims),), f"layer_dims={dims}", _dense_sizes(dims, 0))
            for dims in ([5, 4, 3, 1], [3, 1], [2, 6, 4, 1])]


def _linear_forward_cases(seed: int) -> list[Case]:
    cases = []
    for k, (n_prev, n, m) in enumerate(LAYERS):
        A, W, b = _layer(_rng(seed, "linear_forward", k), n_prev, n, m, None)
        cases.append(Case("linear_forward", (A, W, b), f"n_prev={n_prev}, n={n}, m={m}", {"n_prev": n_prev, "n": n, "m": m}))
    return cases


def _activation_layers(seed: int, function: str) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, dict]]:
    layers = []
    k = 0
    for activation in ("relu", "sigmoid"):
        for n_prev, n, m in LAYERS[:2] if activation == "relu" else (LAYERS[0], LAYERS[2]):
            A, W, b = _layer(_rng(seed, function, k), n_prev, n, m, activation)
            layers.append((activation, A, W, b, {"n_prev": n_prev, "n": n, "m": m}))
            k += 1
    return layers


def _linear_activation_forward_cases(seed: int) -> list[Case]:
    return [Case("linear_activation_forward", (A, W, b, activation), f"{activation}, n_prev={s['n_prev']}, n={s['n']}, m={s['m']}", s)
            for activation, A, W, b, s in _activation_layers(seed, "linear_activation_forward")]


def _L_model_forward_cases(seed: int) -> list[Case]:
    cases = []
    for k, (dims, m) in enumerate(NETS):
        X, params, _ = _net(_rng(seed, "L_model_forward", k), dims, m)
        cases.append(Case("L_model_forward", (X, params), f"L={len(dims) - 1} {dims}, m={m}", _dense_sizes(dims, m)))
    return cases


def _compute_cost_cases(seed: int) -> list[Case]:
    cases = []
    for k, m in enumerate((5, 1, 3)):
        rng = _rng(seed, "compute_cost", k)
        AL = rng.uniform(0.1, 0.9, (1, m))
        Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
        Y[0, 0] = 1.0
        if m > 1:
            Y[0, 1] = 0.0
        cases.append(Case("compute_cost", (AL, Y), f"m={m}", {"m": m, "nL": 1}))
    return cases


def _linear_backward_cases(seed: int) -> list[Case]:
    cases = []
    for k, (n_prev, n, m) in enumerate(LAYERS):
        rng = _rng(seed, "linear_backward", k)
        A, W, b = _layer(rng, n_prev, n, m, None)
        dZ = rng.standard_normal((n, m))
        _, cache = reference.linear_forward(A, W, b)
        cases.append(Case("linear_backward", (dZ, cache), f"n_prev={n_prev}, n={n}, m={m}",
                          {"n_prev": n_prev, "n": n, "m": m}, forward_args=(A, W, b)))
    return cases


def _linear_activation_backward_cases(seed: int) -> list[Case]:
    cases = []
    for k, (activation, A, W, b, s) in enumerate(_activation_layers(seed, "linear_activation_backward")):
        dA = _rng(seed, "dA", k).standard_normal((s["n"], s["m"]))
        _, cache = reference.linear_activation_forward(A, W, b, activation)
        cases.append(Case("linear_activation_backward", (dA, cache, activation),
                          f"{activation}, n_prev={s['n_prev']}, n={s['n']}, m={s['m']}", s, forward_args=(A, W, b, activation)))
    return cases


def _L_model_backward_cases(seed: int) -> list[Case]:
    cases = []
    for k, (dims, m) in enumerate(NETS):
        X, params, Y = _net(_rng(seed, "L_model_backward", k), dims, m)
        AL, caches = reference.L_model_forward(X, params)
        cases.append(Case("L_model_backward", (AL, Y, caches), f"L={len(dims) - 1} {dims}, m={m}",
                          _dense_sizes(dims, m), forward_args=(X, params)))
    return cases


def _update_parameters_cases(seed: int) -> list[Case]:
    cases = []
    for k, (dims, m) in enumerate(NETS[:3]):
        rng = _rng(seed, "update_parameters", k)
        params = _dense_params(rng, dims)
        grads = {}
        for l in range(1, len(dims)):  # noqa: E741
            grads[f"dW{l}"] = rng.standard_normal(params[f"W{l}"].shape)
            grads[f"db{l}"] = rng.standard_normal(params[f"b{l}"].shape)
            grads[f"dA{l - 1}"] = rng.standard_normal((dims[l - 1], m))
        cases.append(Case("update_parameters", (params, grads, 0.1), f"L={len(dims) - 1} {dims}, learning_rate=0.1",
                          {**_dense_sizes(dims, m), "learning_rate": 0.1}))
    return cases


# --- recurrent network ---------------------------------------------------------------------------------

SEQUENCES = (  # n_x, n_a, n_y, m, T_x: no two equal within a case (but m = 1 and T_x = 1 on purpose)
    {"n_x": 3, "n_a": 5, "n_y": 2, "m": 4, "T_x": 6},
    {"n_x": 4, "n_a": 2, "n_y": 3, "m": 5, "T_x": 6},
    {"n_x": 2, "n_a": 3, "n_y": 4, "m": 1, "T_x": 5},
    {"n_x": 3, "n_a": 4, "n_y": 2, "m": 6, "T_x": 1},
)


def _label(s: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in s.items())


def _rnn_params(rng: np.random.Generator, s: dict, lstm: bool) -> dict[str, np.ndarray]:
    n_x, n_a, n_y = s["n_x"], s["n_a"], s["n_y"]
    scale = 1.0 / np.sqrt(n_a + n_x)  # pre-activations of order 1: tanh and σ out of saturation
    if lstm:
        p = {}
        for g in "fico":
            p[f"W{g}"] = rng.standard_normal((n_a, n_a + n_x)) * scale
            p[f"b{g}"] = rng.uniform(-0.5, 0.5, (n_a, 1))
        p["Wy"] = rng.standard_normal((n_y, n_a))
        p["by"] = rng.uniform(-0.5, 0.5, (n_y, 1))
        return p
    return {
        "Wax": rng.standard_normal((n_a, n_x)) * scale,
        "Waa": rng.standard_normal((n_a, n_a)) * scale,
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.uniform(-0.5, 0.5, (n_a, 1)),
        "by": rng.uniform(-0.5, 0.5, (n_y, 1)),
    }


def _sequence(rng: np.random.Generator, s: dict) -> tuple[np.ndarray, np.ndarray]:
    x = rng.standard_normal((s["n_x"], s["m"], s["T_x"]))
    a0 = np.tanh(rng.standard_normal((s["n_a"], s["m"])))  # a hidden state lies in (-1, 1)
    return x, a0


def _recurrent_cases(function: str, seed: int) -> list[Case]:
    lstm = function.startswith("lstm")
    cell = "_cell_" in function
    cases = []
    for k, s in enumerate(SEQUENCES):
        if cell and s["T_x"] == 1:
            continue  # one step is all a cell ever sees
        sizes = dict(s) if not cell else {key: v for key, v in s.items() if key != "T_x"}
        rng = _rng(seed, function, k)
        params = _rnn_params(rng, s, lstm)
        x, a0 = _sequence(rng, s)
        n_a, m = s["n_a"], s["m"]
        if cell:
            xt = x[:, :, 0].copy()
            c_prev = rng.standard_normal((n_a, m)) * 0.5
            forward_args = (xt, a0, c_prev, params) if lstm else (xt, a0, params)
        else:
            forward_args = (x, a0, params)
        if function.endswith("forward"):
            cases.append(Case(function, forward_args, _label(sizes), sizes))
            continue
        forward = forward_for(function).forward
        result = reference.FUNCTIONS[forward](*copy.deepcopy(forward_args))
        if cell:
            da_next = rng.standard_normal((n_a, m))
            args = (da_next, rng.standard_normal((n_a, m)), result[3]) if lstm else (da_next, result[2])
        else:
            args = (rng.standard_normal((n_a, m, s["T_x"])), result[-1])
        cases.append(Case(function, args, _label(sizes), sizes, forward_args=forward_args))
    return cases


_DENSE = {
    "initialize_parameters_deep": _init_cases,
    "linear_forward": _linear_forward_cases,
    "linear_activation_forward": _linear_activation_forward_cases,
    "L_model_forward": _L_model_forward_cases,
    "compute_cost": _compute_cost_cases,
    "linear_backward": _linear_backward_cases,
    "linear_activation_backward": _linear_activation_backward_cases,
    "L_model_backward": _L_model_backward_cases,
    "update_parameters": _update_parameters_cases,
}
_RECURRENT = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
              "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")


def cases_for(function_name: str, seed: int = 0) -> list[Case]:
    """The seeded cases of one contract function (the same seed gives the same numbers)."""
    if function_name in _DENSE:
        return _DENSE[function_name](seed)
    if function_name in _RECURRENT:
        return _recurrent_cases(function_name, seed)
    raise KeyError(f"{function_name!r} is not a contract function")
