"""The course's convolutional network, step by step, channels last: A is (m, n_H, n_W, n_C).

Same names, signatures, caches and return values as the course's "Convolutional Model: step by
step", so a student can mix these functions with their own:

    zero_pad(X, pad)                                   X padded with zeros on n_H and n_W
    conv_single_step(a_slice_prev, W, b)               Σ a_slice_prev ∗ W + b, one number
    conv_forward(A_prev, W, b, hparameters)            -> Z, cache = (A_prev, W, b, hparameters)
    conv_backward(dZ, cache)                           -> dA_prev, dW, db
    pool_forward(A_prev, hparameters, mode="max")      -> A, cache = (A_prev, hparameters)
    pool_backward(dA, cache, mode="max")               -> dA_prev
    create_mask_from_window(x), distribute_value(dz, shape)

W is (f, f, n_C_prev, n_C), b is (1, 1, 1, n_C); conv hparameters are {"stride", "pad"}, pooling
ones {"stride", "f"}; n_H = ⌊(n_H_prev + 2·pad − f)/stride⌋ + 1 (conv_rules).

No loop over examples or positions: every window is a strided view of the padded input (no copy),
the convolution is one matrix product of those windows (m·n_H·n_W, f·f·n_C_prev) with W
(f·f·n_C_prev, n_C), and the backward pass scatters each of the f×f kernel offsets back at once.
Where the windows of all m examples would take more than ``CHUNK_BYTES``, they are made a slice of
examples at a time.

>>> rng = np.random.default_rng(1)
>>> Z, cache = conv_forward(rng.standard_normal((2, 5, 7, 4)), rng.standard_normal((3, 3, 4, 8)),
...                         rng.standard_normal((1, 1, 1, 8)), {"pad": 1, "stride": 2})
>>> Z.shape
(2, 3, 4, 8)
>>> dA_prev, dW, db = conv_backward(Z, cache)
>>> dA_prev.shape, dW.shape, db.shape
((2, 5, 7, 4), (3, 3, 4, 8), (1, 1, 1, 8))
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

import numpy as np
from numpy.lib.stride_tricks import as_strided

from shapecheck.spec.conv_rules import check_pad, check_stride, check_window, output_size
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.validate.params import masked_entries

__all__ = [
    "zero_pad", "conv_single_step", "conv_forward", "conv_backward",
    "pool_forward", "pool_backward", "create_mask_from_window", "distribute_value",
]

CHUNK_BYTES = 16 * 2**20  # the largest window matrix made at once: memory stays small, and a slice stays in cache


# --- inputs: checked before any math runs ----------------------------------------------------------


def _unmasked(value: object, name: str, symbolic: str) -> None:
    hidden = masked_entries(value)
    if hidden:
        raise ShapecheckError("conv.masked", name=name, hidden=hidden, size=value.size, symbolic=symbolic)


def _array(value: object, name: str, rank: int, symbolic: str) -> np.ndarray:
    _unmasked(value, name, symbolic)
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        raise ShapecheckError("conv.not_array", name=name, kind=type(value).__name__, symbolic=symbolic)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ShapecheckError("conv.not_array", name=name, kind=type(value).__name__, symbolic=symbolic) from None
    if array.dtype.kind not in "fiub":
        raise ShapecheckError("conv.not_array", name=name, kind=f"array of {array.dtype}", symbolic=symbolic)
    if array.ndim != rank:
        raise ShapecheckError("conv.rank", name=name, actual=array.shape, rank=rank, symbolic=symbolic)
    if 0 in array.shape:
        raise ShapecheckError("conv.empty", name=name, actual=array.shape, symbolic=symbolic)
    return array


def _float(*arrays: np.ndarray) -> list[np.ndarray]:
    """float64, unless every array is already float32 (the user's choice then)."""
    dtype = np.float32 if all(a.dtype == np.float32 for a in arrays) else np.float64
    return [np.ascontiguousarray(a, dtype=dtype) for a in arrays]


def _hparameters(hparameters: object, keys: tuple[str, ...], function: str) -> dict[str, int]:
    if not isinstance(hparameters, Mapping) or any(k not in hparameters for k in keys):
        raise ShapecheckError("conv.hparameters", function=function, keys=", ".join(repr(k) for k in keys),
                              actual=type(hparameters).__name__ if not isinstance(hparameters, Mapping) else sorted(map(str, hparameters)))
    values = {"stride": check_stride(hparameters["stride"], _where("stride", function))}
    if "pad" in keys:
        values["pad"] = check_pad(hparameters["pad"], _where("pad", function))
    if "f" in keys:
        values["f"] = check_stride(hparameters["f"], _where("f", function), name="f")
    return values


def _where(key: str, function: str) -> str:
    return msg("conv.where_hparameter", key=key, function=function)


def _channels(A_prev: np.ndarray, n_C_prev: int, name: str, function: str) -> None:
    """A_prev's last axis must be W's n_C_prev; say so in the course's terms, channels first included."""
    if A_prev.shape[3] == n_C_prev:
        return
    if A_prev.shape[1] == n_C_prev:
        raise ShapecheckError("conv.channels_first", name=name, actual=A_prev.shape, n_C_prev=n_C_prev, function=function)
    raise ShapecheckError("conv.channels", name=name, actual=A_prev.shape, n_C_prev=n_C_prev, n_C=A_prev.shape[3])


def _conv_inputs(A_prev, W, b, hparameters, function: str):
    A_prev = _array(A_prev, "A_prev", 4, "(m, n_H_prev, n_W_prev, n_C_prev)")
    W = _array(W, "W", 4, "(f, f, n_C_prev, n_C)")
    b = _array(b, "b", 4, "(1, 1, 1, n_C)")
    f, f2, n_C_prev, n_C = W.shape
    if f != f2 and W.shape[2] == W.shape[3] and W.shape[1] == A_prev.shape[3]:  # PyTorch's (n_C, n_C_prev, f, f)
        raise ShapecheckError("conv.torch_kernel", name="W", actual=W.shape, expected=(W.shape[2], W.shape[3], W.shape[1], W.shape[0]))
    if f != f2:
        raise ShapecheckError("conv.square", actual=W.shape)
    _channels(A_prev, n_C_prev, "A_prev", function)
    if b.shape != (1, 1, 1, n_C):
        raise ShapecheckError("conv.bias", actual=b.shape, expected=(1, 1, 1, n_C), n_C=n_C)
    h = _hparameters(hparameters, ("stride", "pad"), function)
    check_window(f, A_prev.shape[1], A_prev.shape[2], h["pad"], msg("conv.where_argument", name="W", function=function))
    A_prev, W, b = _float(A_prev, W, b)
    return A_prev, W, b, h["stride"], h["pad"]


def _cache(cache: object, size: int, function: str, producer: str, items: str) -> tuple:
    if not isinstance(cache, (tuple, list)) or len(cache) != size:
        raise ShapecheckError("conv.cache", function=function, producer=producer, items=items, count=size,
                              actual=type(cache).__name__ if not isinstance(cache, (tuple, list)) else f"{len(cache)} items")
    return tuple(cache)


def _gradient(d: object, name: str, expected: tuple[int, ...], like: str) -> np.ndarray:
    d = _array(d, name, 4, like)
    if d.shape != expected:
        raise ShapecheckError("conv.gradient_shape", name=name, actual=d.shape, expected=expected, like=like)
    return d


# --- windows: the kernels shared with Keras's Conv2D and pooling layers (rectangular, any strides) -----


def _windows(A: np.ndarray, f: tuple[int, int], stride: tuple[int, int], n_H: int, n_W: int) -> np.ndarray:
    """(m, n_H, n_W, f_H, f_W, n_C): window (h, w) of every example, a read-only view of A (no copy)."""
    m, _, _, n_C = A.shape
    s_m, s_H, s_W, s_C = A.strides
    shape = (m, n_H, n_W, f[0], f[1], n_C)
    strides = (s_m, stride[0] * s_H, stride[1] * s_W, s_H, s_W, s_C)
    if A.flags.c_contiguous:  # the view made directly (numpy checks it stays inside A): as_strided costs ~10 µs a call
        view = np.ndarray(shape, A.dtype, A, 0, strides)
        view.flags.writeable = False
        return view
    return as_strided(A, shape, strides, writeable=False)


def _offset(A: np.ndarray, i: int, j: int, stride: tuple[int, int], n_H: int, n_W: int) -> np.ndarray:
    """(m, n_H, n_W, n_C): entry (i, j) of every window, a view of A; the f_H×f_W of them tile each window."""
    return A[:, i : i + stride[0] * (n_H - 1) + 1 : stride[0], j : j + stride[1] * (n_W - 1) + 1 : stride[1], :]


_ALL = (slice(None),)


def _chunks(m: int, bytes_per_example: int) -> Iterator[slice] | tuple[slice]:
    step = max(1, CHUNK_BYTES // max(bytes_per_example, 1))
    if step >= m:
        return _ALL  # one slice: the small sizes of a fit pay for no generator
    return (slice(start, min(start + step, m)) for start in range(0, m, step))


def output_hw(A_pad: np.ndarray, f: tuple[int, int], stride: tuple[int, int]) -> tuple[int, int]:
    return (A_pad.shape[1] - f[0]) // stride[0] + 1, (A_pad.shape[2] - f[1]) // stride[1] + 1


def columns(A_pad: np.ndarray, f: tuple[int, int], stride: tuple[int, int]) -> np.ndarray | None:
    """(m·n_H·n_W, f_H·f_W·n_C_prev): every window of A_pad as a row (im2col, one copy), or None when that
    matrix would pass ``CHUNK_BYTES``. A layer that keeps it from its forward pass hands it to
    ``convolve_backward``, whose dW then needs no second copy."""
    n_H, n_W = output_hw(A_pad, f, stride)
    k = f[0] * f[1] * A_pad.shape[3]
    if A_pad.shape[0] * n_H * n_W * k * A_pad.itemsize > CHUNK_BYTES:
        return None
    return _windows(A_pad, f, stride, n_H, n_W).reshape(-1, k)


def convolve(A_pad: np.ndarray, W: np.ndarray, stride: tuple[int, int], out: np.ndarray | None = None) -> np.ndarray:
    """Z = Σ over each window of A_pad ∗ W, no bias: A_pad (m, ·, ·, n_C_prev) already padded, W (f_H, f_W, n_C_prev, n_C)."""
    f_H, f_W, n_C_prev, n_C = W.shape
    n_H, n_W = output_hw(A_pad, (f_H, f_W), stride)
    m, k = A_pad.shape[0], f_H * f_W * n_C_prev
    windows = _windows(A_pad, (f_H, f_W), stride, n_H, n_W)                # (m, n_H, n_W, f_H, f_W, n_C_prev)
    W_col = W.reshape(k, n_C)                                               # (f_H·f_W·n_C_prev, n_C)
    Z = np.empty((m, n_H, n_W, n_C), dtype=A_pad.dtype) if out is None else out
    for part in _chunks(m, n_H * n_W * k * A_pad.itemsize):
        # the windows as rows (one copy, im2col), then one matrix product
        np.matmul(windows[part].reshape(-1, k), W_col, out=Z[part].reshape(-1, n_C))
    return Z                                                                # (m, n_H, n_W, n_C)


def _inside(i: int, s: int, n: int, before: int, size: int) -> tuple[slice, slice]:
    """Entry i of windows 0..n-1 (stride s) sits at padded row i + s·h, unpadded row i + s·h − before: the
    windows h whose entry lands inside the ``size`` unpadded rows, and those rows."""
    h0 = max(0, -((i - before) // s))                       # ⌈(before − i)/s⌉
    h1 = min(n, (size - 1 + before - i) // s + 1)
    if h1 <= h0:
        return slice(0, 0), slice(0, 0)
    r0 = i + s * h0 - before
    return slice(h0, h1), slice(r0, r0 + s * (h1 - h0 - 1) + 1, s)


@functools.lru_cache(maxsize=256)
def _places(f: tuple[int, int], stride: tuple[int, int], n: tuple[int, int], before: tuple[int, int],
            size: tuple[int, int]) -> tuple:
    """``_inside`` for every kernel entry (i, j), worked out once per layer shape (a fit asks every step)."""
    return tuple(tuple((_inside(i, stride[0], n[0], before[0], size[0]), _inside(j, stride[1], n[1], before[1], size[1]))
                       for j in range(f[1])) for i in range(f[0]))


def convolve_backward(dZ: np.ndarray, A_pad: np.ndarray, W: np.ndarray, stride: tuple[int, int],
                      need_dA: bool = True, cols: np.ndarray | None = None,
                      pads: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0))) -> tuple[np.ndarray | None, np.ndarray]:
    """dA (like A_pad without its ``pads``: the padding's gradient is never made) and dW of ``convolve``,
    from dZ (m, n_H, n_W, n_C); ``cols``: ``columns(A_pad, ...)`` when the forward pass kept them."""
    f_H, f_W, n_C_prev, n_C = W.shape
    m, n_H, n_W, _ = dZ.shape
    k = f_H * f_W * n_C_prev
    windows = _windows(A_pad, (f_H, f_W), stride, n_H, n_W)                # (m, n_H, n_W, f_H, f_W, n_C_prev)
    W_col = W.reshape(k, n_C)
    parts = _ALL if cols is not None else _chunks(m, n_H * n_W * k * A_pad.itemsize)
    dW = np.zeros((k, n_C), dtype=A_pad.dtype) if parts is not _ALL else None
    (top, bottom), (left, right) = pads
    m_, H, W_, C_ = A_pad.shape
    dA = np.zeros((m_, H - top - bottom, W_ - left - right, C_), dtype=A_pad.dtype) if need_dA else None
    # where each kernel entry's share lands in dA: the windows whose entry falls inside the unpadded input
    places = _places((f_H, f_W), stride, (n_H, n_W), (top, left), (H - top - bottom, W_ - left - right)) if need_dA else None
    for part in parts:
        dZ_col = dZ[part].reshape(-1, n_C)                                  # (rows, n_C)
        if dW is None:  # one slice: the product is dW itself
            dW = (windows.reshape(-1, k) if cols is None else cols).T @ dZ_col  # (f_H·f_W·n_C_prev, n_C)
        else:
            dW += windows[part].reshape(-1, k).T @ dZ_col
        if need_dA:
            d_windows = (dZ_col @ W_col.T).reshape(-1, n_H, n_W, f_H, f_W, n_C_prev)  # each window's share
            target = dA[part]
            for i in range(f_H):  # overlapping windows add up
                for j in range(f_W):
                    (hs, rows), (ws, cols_) = places[i][j]
                    target[:, rows, cols_, :] += d_windows[:, hs, ws, i, j, :]
    return dA, dW.reshape(W.shape)


def _tiles(A: np.ndarray, f: tuple[int, int], stride: tuple[int, int], n_H: int, n_W: int) -> np.ndarray | None:
    """(m, n_H, f_H, n_W, f_W, n_C): A's windows when they tile it (stride = f), the rows and columns no
    window reaches left out (a view when nothing is left out); None when windows overlap or leave gaps."""
    if stride != f:
        return None
    m, _, _, n_C = A.shape
    return A[:, : n_H * f[0], : n_W * f[1], :].reshape(m, n_H, f[0], n_W, f[1], n_C)


def pool(A: np.ndarray, f: tuple[int, int], stride: tuple[int, int], mode: str, count: np.ndarray | None = None) -> np.ndarray:
    """The max or the mean of every window of A (no padding; ``count``: entries per window that are not
    padding, for Keras's "same" average, which leaves the padding out of the mean)."""
    n_H, n_W = output_hw(A, f, stride)
    out = _offset(A, 0, 0, stride, n_H, n_W).copy()
    combine = np.maximum if mode == "max" else np.add
    for i in range(f[0]):
        for j in range(f[1]):
            if i or j:
                combine(out, _offset(A, i, j, stride, n_H, n_W), out=out)
    if mode != "max":
        out /= f[0] * f[1] if count is None else count
    return out


def pool_backward_windows(dA: np.ndarray, A: np.ndarray, out: np.ndarray, f: tuple[int, int], stride: tuple[int, int],
                          mode: str, count: np.ndarray | None = None) -> np.ndarray:
    """dA_prev of ``pool``: to every maximum of a window (ties included), or dA / count spread over it."""
    n_H, n_W = dA.shape[1:3]
    share = dA / (f[0] * f[1] if count is None else count) if mode != "max" else None
    tiles = _tiles(A, f, stride, n_H, n_W)
    if tiles is not None:  # windows side by side: the mask (or the share) of every tile at once
        up = (slice(None), slice(None), None, slice(None), None, slice(None))  # (m, n_H, 1, n_W, 1, n_C)
        if mode == "max":
            block = (tiles == out[up]) * dA[up]
        else:
            block = np.broadcast_to(share[up], tiles.shape)
        block = block.reshape(len(A), n_H * f[0], n_W * f[1], A.shape[3])
        if block.shape == A.shape and block.flags.c_contiguous and block.flags.writeable:
            return block
        dA_prev = np.zeros_like(A)
        dA_prev[:, : n_H * f[0], : n_W * f[1], :] = block  # the rows and columns no window reached get nothing
        return dA_prev
    dA_prev = np.zeros_like(A)
    for i in range(f[0]):
        for j in range(f[1]):
            target = _offset(dA_prev, i, j, stride, n_H, n_W)
            if mode == "max":
                target += (_offset(A, i, j, stride, n_H, n_W) == out) * dA  # create_mask_from_window, every window at once
            else:
                target += share                                              # distribute_value, every window at once
    return dA_prev


# --- the course's functions ------------------------------------------------------------------------


def zero_pad(X, pad):
    """X (m, n_H, n_W, n_C) with ``pad`` rows and columns of zeros around each image: (m, n_H + 2·pad, n_W + 2·pad, n_C).

    >>> zero_pad(np.ones((1, 2, 2, 1)), 1)[0, :, :, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    """
    X = _array(X, "X", 4, "(m, n_H, n_W, n_C)")
    pad = check_pad(pad, msg("conv.where_argument", name="pad", function="zero_pad"))
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    X_pad[:, pad : pad + n_H, pad : pad + n_W, :] = X
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    """Z = Σ a_slice_prev ∗ W + b for one window: a_slice_prev and W are (f, f, n_C_prev), b is (1, 1, 1).

    >>> float(conv_single_step(np.ones((2, 2, 3)), np.full((2, 2, 3), 0.5), np.ones((1, 1, 1))))
    7.0
    """
    for value, name, symbolic in ((a_slice_prev, "a_slice_prev", "(f, f, n_C_prev)"), (W, "W", "(f, f, n_C_prev)"),
                                  (b, "b", "(1, 1, 1)")):
        _unmasked(value, name, symbolic)
    a_slice_prev = np.asarray(a_slice_prev, dtype=float)
    W = np.asarray(W, dtype=float)
    if a_slice_prev.shape != W.shape:
        raise ShapecheckError("conv.slice_shape", actual=a_slice_prev.shape, expected=W.shape)
    b = np.asarray(b, dtype=float)
    if b.size != 1:
        raise ShapecheckError("conv.single_bias", actual=b.shape)
    return np.float64(np.sum(a_slice_prev * W) + b.item())


def conv_forward(A_prev, W, b, hparameters):
    """Z = W ∗ A_prev + b over every window: Z is (m, n_H, n_W, n_C), n_H = ⌊(n_H_prev + 2·pad − f)/stride⌋ + 1.

    Returns (Z, cache) with cache = (A_prev, W, b, hparameters), the course's.
    """
    A, W_, b_, stride, pad = _conv_inputs(A_prev, W, b, hparameters, "conv_forward")
    Z = convolve(zero_pad(A, pad) if pad else A, W_, (stride, stride))    # (m, n_H, n_W, n_C)
    Z += b_.reshape(-1)
    return Z, (A_prev, W, b, hparameters)


def conv_backward(dZ, cache):
    """dA_prev, dW, db of conv_forward, from dZ (m, n_H, n_W, n_C) and its cache.

    dW[:, :, :, c] = Σ over examples and windows of a_slice ∗ dZ[i, h, w, c]; db[c] = Σ dZ[..., c];
    dA_prev adds W[:, :, :, c] ∗ dZ[i, h, w, c] back into every window; what falls on the padding is never made.
    """
    A_prev, W, b, hparameters = _cache(cache, 4, "conv_backward", "conv_forward", "A_prev, W, b, hparameters")
    A, W_, _, stride, pad = _conv_inputs(A_prev, W, b, hparameters, "conv_backward")
    m, n_H_prev, n_W_prev, _ = A.shape
    f, n_C = W_.shape[0], W_.shape[3]
    n_H, n_W = output_size(n_H_prev, f, stride, pad), output_size(n_W_prev, f, stride, pad)
    dZ = _float(_gradient(dZ, "dZ", (m, n_H, n_W, n_C), "Z, (m, n_H, n_W, n_C)"))[0].astype(A.dtype, copy=False)
    dA_prev, dW = convolve_backward(dZ, zero_pad(A, pad) if pad else A, W_, (stride, stride), pads=((pad, pad), (pad, pad)))
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)                        # (1, 1, 1, n_C)
    return dA_prev, dW, db                                                   # like A_prev, W, b


def create_mask_from_window(x):
    """True where x holds its maximum (every tie too, as the course's x == np.max(x))."""
    _unmasked(x, "x", "(f, f)")
    x = np.asarray(x)
    return x == np.max(x)


def distribute_value(dz, shape):
    """dz spread evenly over an (n_H, n_W) window: every entry dz / (n_H·n_W)."""
    n_H, n_W = shape
    return np.full((n_H, n_W), dz / (n_H * n_W), dtype=float)


def _pool_inputs(A_prev, hparameters, mode, function):
    if mode not in ("max", "average"):
        raise ShapecheckError("conv.pool_mode", value=mode, function=function)
    A = _array(A_prev, "A_prev", 4, "(m, n_H_prev, n_W_prev, n_C)")
    h = _hparameters(hparameters, ("stride", "f"), function)
    f, stride = h["f"], h["stride"]
    check_window(f, A.shape[1], A.shape[2], 0, _where("f", function))
    A = _float(A)[0]
    return A, f, stride, output_size(A.shape[1], f, stride), output_size(A.shape[2], f, stride)


def pool_forward(A_prev, hparameters, mode="max"):
    """The max or the average of every f×f window, channel by channel: A is (m, n_H, n_W, n_C),
    n_H = ⌊(n_H_prev − f)/stride⌋ + 1 (no padding). Returns (A, cache) with cache = (A_prev, hparameters).
    """
    A_in, f, stride, _, _ = _pool_inputs(A_prev, hparameters, mode, "pool_forward")
    return pool(A_in, (f, f), (stride, stride), mode), (A_prev, hparameters)


def pool_backward(dA, cache, mode="max"):
    """dA_prev of pool_forward: max pooling sends each dA to its window's maximum (to every tie, as the
    course's mask does); average pooling spreads dA / (f·f) over the window. Overlapping windows add up.
    """
    A_prev, hparameters = _cache(cache, 2, "pool_backward", "pool_forward", "A_prev, hparameters")
    A_in, f, stride, n_H, n_W = _pool_inputs(A_prev, hparameters, mode, "pool_backward")
    dA = _float(_gradient(dA, "dA", (A_in.shape[0], n_H, n_W, A_in.shape[3]), "A, (m, n_H, n_W, n_C)"))[0]
    out = pool(A_in, (f, f), (stride, stride), "max") if mode == "max" else None
    return pool_backward_windows(dA.astype(A_in.dtype, copy=False), A_in, out, (f, f), (stride, stride), mode)
