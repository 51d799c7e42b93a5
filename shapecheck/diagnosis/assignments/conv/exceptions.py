"""What an exception raised in a convolution function says about the mistake, in the case's sizes.

Read by ``hints.exception_hint`` before its shared rules (plugin.Assignment.exception_rules). No numpy:
only the message's shapes against the case's f, stride and pad.

- a broadcast between a window and W (or the f×f window of the course) where the window is
  stride × stride: ``vert_end = vert_start + stride``, the window must be f wide (``window_size``);
- a broadcast where the window is cut short at the edge: the slice ran past the array, read from the
  unpadded A_prev or with too many positions (``window_cut``);
- numpy 2's refusals of the numpy-1 notebook's ``float(b)`` and ``Z[i, h, w, c] = Z + b`` with b (1, 1, 1)
  (``numpy2_scalar``; where the worker saw several values, ``exception_hint`` says ``several_values`` first);
- ``could not broadcast input array from shape (0, 0, n_C_prev)``: ``[pad:-pad]`` is empty when
  pad = 0 (``unpad_minus_zero``).
"""

from __future__ import annotations

import re

from shapecheck.core.messages import msg

_SHAPE = re.compile(r"\((\d+(?:,\s*\d+)*),?\s*\)")
# numpy 2 refuses what numpy 1 allowed: float() of a (1, 1, 1) array, a (1, 1, 1) array into one entry
_NUMPY2_SCALAR = re.compile(r"only 0-dimensional arrays can be converted|setting an array element with a sequence")
WINDOWED = ("conv_forward", "pool_forward", "conv_backward", "pool_backward")


def _shapes(message: str) -> list[tuple[int, ...]]:
    return [tuple(int(d) for d in found.split(",")) for found in _SHAPE.findall(message)]


def read(function: str, exc_type: str, message: str, case) -> tuple[str, str] | None:
    """(hint id, sentence) for a convolution function's exception on ``case``, or None."""
    if _NUMPY2_SCALAR.search(message) and exc_type in ("TypeError", "ValueError"):
        return "numpy2_scalar", msg("hints.exc_numpy2_bias", function=function, type=exc_type, message=message)
    if function == "zero_pad" and case is not None and "could not broadcast input array" in message:
        # X is right (it is the input): the slot it goes into is not (m, n_H, n_W, n_C); the message cannot say
        # whether X_pad's size or the slice is off, so the hint names both
        return "slot_mismatch", msg("hints.exc_zero_pad_slot", function=function, message=message, pad=case.sizes.get("pad"))
    if function not in WINDOWED or case is None or exc_type != "ValueError":
        return None
    sizes = case.sizes
    f, stride, pad = sizes.get("f"), sizes.get("stride"), sizes.get("pad", 0)
    shapes = _shapes(message)
    fields = {"function": function, "type": exc_type, "message": message, "f": f, "stride": stride, "pad": pad}
    if function == "conv_backward" and "could not broadcast input array" in message and shapes and 0 in shapes[0][:2]:
        return "unpad_minus_zero", msg("hints.exc_unpad_minus_zero", **fields)
    slot = (sizes.get("m"), sizes.get("n_C"))
    if function == "pool_forward" and "could not broadcast input array" in message and len(shapes) >= 2 \
            and shapes[1] == slot and shapes[0] != slot:
        # A[:, h, w, :] is (m, n_C): what went in was reduced over other axes than the window's height and width
        return "pool_axes", msg("hints.exc_pool_axes", **fields)
    if "broadcast" not in message or not f or not stride:
        return None
    windows = [s for s in shapes if len(s) >= 2]
    if any(s[:2] == (stride, stride) for s in windows) and any(s[:2] == (f, f) for s in windows) and stride != f:
        return "window_size", msg("hints.exc_window_size", **fields)
    if any(_cut(s, full, f) for full in windows if full[:2] == (f, f) for s in windows):
        return "window_cut", msg("hints.exc_window_cut", **fields)
    return None


def _cut(window: tuple[int, ...], full: tuple[int, ...], f: int) -> bool:
    """``window`` is ``full`` (an f × f window) cut short at an edge: the same rank and the same trailing (channel)
    sizes, narrower in height or width. An average over the wrong axes changes the rank or the channels: not a cut."""
    return len(window) == len(full) and window[2:] == full[2:] and window[:2] != (f, f) \
        and window[0] <= f and window[1] <= f
