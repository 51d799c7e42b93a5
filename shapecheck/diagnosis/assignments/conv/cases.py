"""Seeded inputs for every convolution function, chosen so that mistakes cannot hide.

- never square: n_H ≠ n_W everywhere, and n_C_prev ≠ n_C, so a swapped axis never fits by luck;
- strides 1, 2 and 3 with pads 0, 1 and 2, and sizes where (n + 2·pad − f) is not a multiple of the
  stride (the last rows or columns are dropped): a size computed with / instead of // shows, and so does
  a stride ignored (stride 1 hides it, the others do not);
- windows as wide as the stride and not (f ≠ stride, f = stride), overlapping ones (f > stride: = instead
  of += shows), pad = 0 ([pad:-pad] is empty then), m = 1 and m > 1 (only one example kept shows);
- random normal values: no ties in a max-pooling window, b not zero.

A backward's ``case.args`` hold the cache the reference's forward made; ``case.forward_args`` the
inputs of that forward (contract.LINKS).
"""

import copy

import numpy as np

from shapecheck.diagnosis.assignments.conv import reference
from shapecheck.diagnosis.plugin import Case, label as _label, rng as _rng

CONVOLUTIONS = (  # m, n_H_prev, n_W_prev, n_C_prev, f, n_C, pad, stride
    (2, 5, 7, 3, 3, 4, 1, 2),
    (3, 7, 5, 2, 2, 5, 2, 3),
    (1, 4, 6, 3, 3, 2, 0, 1),
    (2, 6, 9, 2, 3, 3, 1, 2),
    (2, 5, 7, 4, 2, 3, 0, 2),
)

POOLS = (  # m, n_H_prev, n_W_prev, n_C, f, stride
    (2, 5, 7, 3, 3, 2),
    (3, 6, 5, 2, 2, 2),
    (1, 4, 7, 4, 2, 1),
    (2, 8, 10, 2, 3, 3),
)


def _out(n: int, f: int, pad: int, stride: int) -> int:
    return (n + 2 * pad - f) // stride + 1


def _conv_sizes(m, n_H_prev, n_W_prev, n_C_prev, f, n_C, pad, stride) -> dict:
    return {"m": m, "n_H_prev": n_H_prev, "n_W_prev": n_W_prev, "n_C_prev": n_C_prev, "f": f, "n_C": n_C,
            "pad": pad, "stride": stride, "n_H": _out(n_H_prev, f, pad, stride), "n_W": _out(n_W_prev, f, pad, stride)}


def _pool_sizes(m, n_H_prev, n_W_prev, n_C, f, stride) -> dict:
    return {"m": m, "n_H_prev": n_H_prev, "n_W_prev": n_W_prev, "n_C": n_C, "f": f, "stride": stride,
            "n_H": _out(n_H_prev, f, 0, stride), "n_W": _out(n_W_prev, f, 0, stride)}


def _zero_pad_cases(seed: int) -> list[Case]:
    cases = []
    for k, (m, n_H, n_W, n_C, pad) in enumerate(((2, 3, 5, 2, 2), (1, 4, 3, 3, 1), (3, 2, 4, 1, 3), (2, 3, 4, 2, 0))):
        X = _rng(seed, "zero_pad", k).standard_normal((m, n_H, n_W, n_C))
        sizes = {"m": m, "n_H": n_H, "n_W": n_W, "n_C": n_C, "pad": pad}
        cases.append(Case("zero_pad", (X, pad), _label(sizes), sizes))
    return cases


def _single_step_cases(seed: int) -> list[Case]:
    cases = []
    for k, (f, n_C_prev) in enumerate(((3, 4), (2, 3), (4, 1))):
        rng = _rng(seed, "conv_single_step", k)
        sizes = {"f": f, "n_C_prev": n_C_prev}
        args = (rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((1, 1, 1)))
        cases.append(Case("conv_single_step", args, _label(sizes), sizes))
    return cases


def _conv_cases(function: str, seed: int) -> list[Case]:
    cases = []
    for k, (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, pad, stride) in enumerate(CONVOLUTIONS):
        rng = _rng(seed, function, k)
        sizes = _conv_sizes(m, n_H_prev, n_W_prev, n_C_prev, f, n_C, pad, stride)
        A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
        W = rng.standard_normal((f, f, n_C_prev, n_C))
        b = rng.uniform(0.5, 1.5, (1, 1, 1, n_C)) * rng.choice((-1, 1), (1, 1, 1, n_C))
        forward_args = (A_prev, W, b, {"pad": pad, "stride": stride})
        if function == "conv_forward":
            cases.append(Case(function, forward_args, _label(sizes), sizes))
            continue
        _, cache = reference.FUNCTIONS["conv_forward"](*copy.deepcopy(forward_args))
        dZ = rng.standard_normal((m, sizes["n_H"], sizes["n_W"], n_C))
        cases.append(Case(function, (dZ, cache), _label(sizes), sizes, forward_args=forward_args))
    return cases


def _pool_cases(function: str, seed: int) -> list[Case]:
    cases = []
    for mode in ("max", "average"):
        for k, (m, n_H_prev, n_W_prev, n_C, f, stride) in enumerate(POOLS):
            rng = _rng(seed, f"{function}/{mode}", k)
            sizes = _pool_sizes(m, n_H_prev, n_W_prev, n_C, f, stride)
            forward_args = (rng.standard_normal((m, n_H_prev, n_W_prev, n_C)), {"stride": stride, "f": f}, mode)
            label = f"mode={mode!r}, {_label(sizes)}"
            if function == "pool_forward":
                cases.append(Case(function, forward_args, label, sizes))
                continue
            _, cache = reference.FUNCTIONS["pool_forward"](*copy.deepcopy(forward_args))
            dA = rng.standard_normal((m, sizes["n_H"], sizes["n_W"], n_C))
            cases.append(Case(function, (dA, cache, mode), label, sizes, forward_args=forward_args))
    return cases


def _mask_cases(seed: int) -> list[Case]:
    cases = []
    for k, shape in enumerate(((2, 3), (3, 2), (4, 4))):
        x = _rng(seed, "create_mask_from_window", k).standard_normal(shape)
        sizes = {"f": shape[0]} if shape[0] == shape[1] else {"n_H": shape[0], "n_W": shape[1]}
        cases.append(Case("create_mask_from_window", (x,), f"x {shape}", sizes))
    return cases


def _distribute_cases(seed: int) -> list[Case]:
    cases = []
    for k, (sign, shape) in enumerate(((-1, (3, 2)), (1, (2, 5)), (1, (2, 2)), (-1, (3, 3)))):
        dz = round(sign * float(_rng(seed, "distribute_value", k).uniform(0.5, 2.0)), 4)  # a plain float, as dA[i, h, w, c] is
        cases.append(Case("distribute_value", (dz, shape), f"dz={dz}, shape={shape}", {"n_H": shape[0], "n_W": shape[1]}))
    return cases


CASES = {
    "zero_pad": _zero_pad_cases,
    "conv_single_step": _single_step_cases,
    "conv_forward": lambda seed: _conv_cases("conv_forward", seed),
    "pool_forward": lambda seed: _pool_cases("pool_forward", seed),
    "conv_backward": lambda seed: _conv_cases("conv_backward", seed),
    "create_mask_from_window": _mask_cases,
    "distribute_value": _distribute_cases,
    "pool_backward": lambda seed: _pool_cases("pool_backward", seed),
}
