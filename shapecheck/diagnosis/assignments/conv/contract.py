"""The convolution assignment's functions: names, arguments, outputs, shapes, and who calls whom.

Channels last, as the course: A (m, n_H, n_W, n_C), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C), with
n_H = ⌊(n_H_prev + 2·pad − f)/stride⌋ + 1. ``None`` marks the caches (the student's own business);
hparameters is the course's dict ({"stride", "pad"} for a convolution, {"stride", "f"} for pooling), and it,
pooling's mode and distribute_value's shape are plain Python values, not checked as tensors (``None``).
"""

from shapecheck.diagnosis.plugin import Contract, Link

_A_PREV = ("m", "n_H_prev", "n_W_prev", "n_C_prev")
_Z = ("m", "n_H", "n_W", "n_C")
_W = ("f", "f", "n_C_prev", "n_C")
_POOL_PREV = ("m", "n_H_prev", "n_W_prev", "n_C")

CONV = (
    Contract("zero_pad", "conv", "forward", {"X": ("m", "n_H", "n_W", "n_C"), "pad": "int"},
             {"X_pad": ("m", "n_H + 2*pad", "n_W + 2*pad", "n_C")}),
    # the older notebook returns Z + b, a (1, 1, 1) array; the current one casts b to a float: both hold one number
    Contract("conv_single_step", "conv", "forward", {"a_slice_prev": ("f", "f", "n_C_prev"), "W": ("f", "f", "n_C_prev"), "b": (1, 1, 1)},
             {"Z": ()}, notes={"one_number": "1"}),
    Contract("conv_forward", "conv", "forward", {"A_prev": _A_PREV, "W": _W, "b": (1, 1, 1, "n_C"), "hparameters": None},
             {"Z": _Z, "cache": None}, callees=("zero_pad", "conv_single_step")),
    Contract("pool_forward", "conv", "forward", {"A_prev": _POOL_PREV, "hparameters": None, "mode": None},
             {"A": _Z, "cache": None}),
    Contract("conv_backward", "conv", "backward", {"dZ": _Z, "cache": None},
             {"dA_prev": _A_PREV, "dW": _W, "db": (1, 1, 1, "n_C")}, callees=("zero_pad",)),
    Contract("create_mask_from_window", "conv", "backward", {"x": ("f", "f")}, {"mask": ("f", "f")}),
    Contract("distribute_value", "conv", "backward", {"dz": "float", "shape": None}, {"a": ("n_H", "n_W")}),
    Contract("pool_backward", "conv", "backward", {"dA": _Z, "cache": None, "mode": None}, {"dA_prev": _POOL_PREV},
             callees=("create_mask_from_window", "distribute_value")),
)

LINKS: dict[str, Link] = {
    "conv_backward": Link("conv_forward", ((1, 1),)),  # cache = conv_forward(A_prev, W, b, hparameters)[1]
    "pool_backward": Link("pool_forward", ((1, 1),)),  # cache = pool_forward(A_prev, hparameters, mode)[1]
}

# the notebook imports nothing of the course's but its tests
MODULES: dict[str, tuple[str, ...]] = {}
