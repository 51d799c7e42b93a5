"""The arithmetic of convolutions and pooling, channels last, in the course's notation (stdlib only).

One home for the rule every conv layer follows, used by the engine's ``conv_forward``/``pool_forward``,
by the tracer's conv rows and by the Keras layers:

    n_H = ⌊(n_H_prev + 2·pad − f) / stride⌋ + 1

Keras's ``padding="valid"`` is pad = 0; ``padding="same"`` pads so that n_H = ⌈n_H_prev / stride⌉,
putting the odd row at the bottom (and the odd column at the right).

>>> output_size(64, 7, 1, 3)
64
>>> arithmetic(64, 7, 1, 3)
'⌊(64 + 2·3 − 7)/1⌋ + 1 = 64'
>>> same_padding(5, 2, 2)
(0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.dims import whole
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg


def _whole(value: object) -> bool:
    """An int or a numpy integer, not a bool and not a float (3.0 is not a stride): core.dims.whole says which."""
    return whole(value) is not None


def output_size(n: int, f: int, stride: int, pad: int | tuple[int, int] = 0) -> int:
    """⌊(n + 2·pad − f)/stride⌋ + 1 (pad may be (before, after), as Keras's "same" needs)."""
    before, after = (pad, pad) if isinstance(pad, int) else pad
    return (n + before + after - f) // stride + 1


def arithmetic(n: int, f: int, stride: int, pad: int | tuple[int, int] = 0) -> str:
    """The rule with the numbers substituted: '⌊(64 + 2·3 − 7)/1⌋ + 1 = 64'."""
    before, after = (pad, pad) if isinstance(pad, int) else pad
    padding = f" + 2·{before}" if before == after else f" + {before} + {after}"
    return f"⌊({n}{padding} − {f})/{stride}⌋ + 1 = {output_size(n, f, stride, pad)}"


def same_padding(n: int, f: int, stride: int) -> tuple[int, int]:
    """Keras's "same": the (before, after) padding that gives ⌈n/stride⌉ outputs, the odd one after."""
    out = -(-n // stride)
    total = max((out - 1) * stride + f - n, 0)
    return total // 2, total - total // 2


def keras_padding(padding: str, n: int, f: int, stride: int) -> tuple[int, int]:
    """(before, after) for Keras's padding="valid" or "same"."""
    return (0, 0) if padding == "valid" else same_padding(n, f, stride)


@dataclass(frozen=True)
class Dropped:
    """Rows (or columns) at the end of the padded input that no window covers, and a padding that keeps them."""

    count: int
    pad: int | None  # a symmetric pad ≥ the given one that covers every row, if one exists
    extra: int  # or: this many more rows of zeros at the bottom/right only


def dropped(n: int, f: int, stride: int, pad: int | tuple[int, int] = 0) -> Dropped | None:
    """None when the windows cover the padded input exactly; else what is dropped and how to keep it."""
    before, after = (pad, pad) if isinstance(pad, int) else pad
    left_over = (n + before + after - f) % stride
    if left_over == 0:
        return None
    extra = stride - left_over
    symmetric = next((p for p in range(before, before + stride + 1) if (n + 2 * p - f) % stride == 0), None)
    return Dropped(left_over, symmetric, extra)


def dropped_note(axis: str, n: int, f: int, stride: int, pad: int | tuple[int, int] = 0) -> str | None:
    """One sentence: the last rows/columns no window reaches, and the padding that would keep them.

    ``axis`` is "H" (rows), "W" (columns) or "HW" (both, when they drop alike).
    """
    lost = dropped(n, f, stride, pad)
    before, after = (pad, pad) if isinstance(pad, int) else pad
    if lost is None:
        return None
    what = msg({"H": "conv.rows", "W": "conv.columns", "HW": "conv.rows_and_columns"}[axis])
    keep = (msg("conv.keep_with_pad", pad=lost.pad, size=output_size(n, f, stride, lost.pad))
            if lost.pad is not None else msg("conv.keep_with_extra", extra=lost.extra, what=what))
    return msg("conv.dropped", count=lost.count, what=what, left_over=f"{n} + {_pads(pad)} − {f} = {n + before + after - f}",
               stride=stride, keep=keep)


def dropped_notes(n_HW, f_HW, strides, pads) -> list[str]:
    """The dropped rows and columns of a 2-D window, said once when both axes drop alike."""
    axes = list(zip(n_HW, f_HW, strides, pads))
    if axes[0] == axes[1]:
        note = dropped_note("HW", *axes[0])
        return [note] if note else []
    return [note for note in (dropped_note(a, *axis) for a, axis in zip("HW", axes)) if note]


def _pads(pad: int | tuple[int, int]) -> str:
    """'2·3' for a symmetric pad, '1 + 2' for (before, after)."""
    before, after = (pad, pad) if isinstance(pad, int) else pad
    return f"2·{before}" if before == after else f"{before} + {after}"


# --- checks that run before any math: one line each, the rule and the fix ----------------------------


def check_stride(stride: object, where: str, name: str = "stride") -> int:
    """A stride (or a window size f) is a whole number ≥ 1."""
    if not _whole(stride) or stride < 1:
        raise ShapecheckError("conv.bad_stride" if name == "stride" else "conv.bad_f", value=stride, where=where)
    return int(stride)


def check_pad(pad: object, where: str) -> int:
    if not _whole(pad) or pad < 0:
        raise ShapecheckError("conv.bad_pad", value=pad, where=where)
    return int(pad)


def check_window(f: int | tuple[int, int], n_H: int, n_W: int, pad: int | tuple, where: str) -> None:
    """f ≤ n + 2·pad on both axes: a window larger than the (padded) input has nowhere to go.

    ``f`` may be (f_H, f_W) and ``pad`` ((top, bottom), (left, right)), as Keras's layers have them.
    """
    f_HW = (f, f) if isinstance(f, int) else f
    pads = pad if isinstance(pad, tuple) and isinstance(pad[0], tuple) else (pad, pad)
    for f_axis, n, p in zip(f_HW, (n_H, n_W), pads):
        before, after = (p, p) if isinstance(p, int) else p
        if f_axis > n + before + after:
            raise ShapecheckError(
                "conv.window_too_large", f=f_axis, n=n, padded=n + before + after, where=where,
                need=-(-(f_axis - n) // 2), n_H=n_H, n_W=n_W,
            )
