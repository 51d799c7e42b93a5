"""The right answer for every function of the convolution assignment: the engine's (``shapecheck.engine.conv``),
which reads the course's caches, (A_prev, W, b, hparameters) and (A_prev, hparameters), as tuples or lists."""

from shapecheck.engine import conv as _conv

FUNCTIONS = {name: getattr(_conv, name) for name in (
    "zero_pad", "conv_single_step", "conv_forward", "pool_forward",
    "conv_backward", "create_mask_from_window", "distribute_value", "pool_backward")}
