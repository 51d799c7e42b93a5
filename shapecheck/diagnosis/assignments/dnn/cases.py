"""Seeded inputs for every deep-network function, chosen so that mistakes cannot hide.

- no two of n[l-1], n[l], m are equal, so a transpose or a swapped axis never fits by luck; every
  function also gets one case with m = 1 (which hides axis and 1/m mistakes, so the others use m ≥ 3),
  nets run from L = 1 to L = 4;
- ReLU inputs are at least KINK_MARGIN away from the kink at 0, with both signs in every layer, and
  sigmoid inputs stay within ±SATURATION, so a wrong derivative always shows;
- biases are not zero, so a forgotten bias shows; both activations for the activation functions.

Functions that take caches: ``case.args`` holds the caches the reference's forward made, and
``case.forward_args`` the inputs of that forward (contract.LINKS says which forward).
"""

import numpy as np

from shapecheck.diagnosis.assignments.dnn import reference
from shapecheck.diagnosis.plugin import Case, arrays as _arrays, relu_ok as _relu_ok, rng as _rng, sigmoid_ok as _sigmoid_ok


def _dense_params(rng: np.random.Generator, dims: list[int]) -> dict[str, np.ndarray]:
    def draw(key: str, shape: tuple) -> np.ndarray:
        return rng.standard_normal(shape) * (1.2 / np.sqrt(shape[1])) if key[0] == "W" else rng.uniform(-0.5, 0.5, shape)
    return _arrays("dense_params", _dense_sizes(dims, 0), draw, L=len(dims) - 1)


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


def _outside(dims: list[int]) -> str | None:
    """The course's networks have a hidden layer (L >= 2): code that uses the loop's l + 1 after the loop is
    right for them, and may fail for L = 1 (a warning, never a failure)."""
    return "diagnose.outside_one_layer" if len(dims) == 2 else None


NETS = ([5, 4, 3, 1], 6), ([3, 1], 5), ([4, 2, 1], 1), ([7, 5, 3, 2, 1], 4)  # (layer_dims, m)


LAYERS = (5, 3, 4), (2, 4, 1), (3, 1, 6)  # (n_prev, n, m)


TWO_LAYER = (3, 5, 2), (5, 4, 1), (2, 6, 3)  # (n_x, n_h, n_y): no two equal, so a transposed W cannot fit


def _two_layer_init_cases(seed: int) -> list[Case]:
    """The function seeds itself with np.random.seed(1); the global stream is set to another seed before the
    call, so a function that forgets its seed draws other numbers, the same on every run."""
    return [Case("initialize_parameters", (n_x, n_h, n_y), f"n_x={n_x}, n_h={n_h}, n_y={n_y}",
                 {"n_x": n_x, "n_h": n_h, "n_y": n_y, "m": 0, "layer_dims": [n_x, n_h, n_y]}, global_seed=0)
            for n_x, n_h, n_y in TWO_LAYER]


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
        cases.append(Case("L_model_forward", (X, params), f"L={len(dims) - 1} {dims}, m={m}", _dense_sizes(dims, m),
                          outside=_outside(dims)))
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
                          _dense_sizes(dims, m), forward_args=(X, params), outside=_outside(dims)))
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


CASES = {
    "initialize_parameters": _two_layer_init_cases,
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
