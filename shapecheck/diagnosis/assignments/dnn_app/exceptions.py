"""What an exception raised in a model of the application notebook says about the mistake, in the case's sizes.

Read by ``hints.exception_hint`` before its shared rules (plugin.Assignment.exception_rules). No numpy: only
the message's numbers against the case's layers_dims. A model calls the course's helpers with its own caches
and weights; when the sizes of two neighbouring layers meet in an error (``size of axis is 3 but size of
corresponding boolean axis is 1``: relu_backward's mask of one layer on another's dA), one layer's cache or
weights went to its neighbour (``cache2`` for ``cache1``, ``caches[l]`` off by one).
"""

from __future__ import annotations

import re

from shapecheck.core.messages import msg

MODELS = ("two_layer_model", "L_layer_model")
_SHAPE = re.compile(r"\((\d+(?:,\s*\d+)*),?\s*\)")


def read(function: str, exc_type: str, message: str, case) -> tuple[str, str] | None:
    if function not in MODELS or case is None or len(case.args) < 3:
        return None
    dims = [int(n) for n in case.args[2]] if isinstance(case.args[2], (list, tuple)) else []
    numbers = {int(n) for n in re.findall(r"\d+", message)}
    pairs = [(dims[l], dims[l + 1]) for l in range(len(dims) - 1) if dims[l] != dims[l + 1]]  # noqa: E741
    if not any({a, b} <= numbers for a, b in pairs):
        return None
    shapes = [tuple(int(d) for d in found.split(",") if d.strip()) for found in _SHAPE.findall(message)]
    parameters = {(dims[l], dims[l - 1]) for l in range(1, len(dims))} | {(dims[l], 1) for l in range(1, len(dims))}  # noqa: E741
    if len(shapes) >= 2 and len(set(shapes)) >= 2 and all(shape in parameters for shape in shapes):
        # two layers' parameter shapes meet: the update got another layer's gradient (grads["dW1"] holds dW2)
        return "swapped_gradients", msg("hints.exc_swapped_gradients", function=function, type=exc_type, message=message)
    return "off_by_one_cache", msg("hints.exc_neighbour_layers_model", function=function, type=exc_type, message=message)
