"""The course's own code for "Convolutional Model: step by step" (course 4, week 1), self-contained:
numpy only, never shapecheck. The diagnosis imports it, and sends this file's source into the sandbox.

The functions are the notebook's four nested loops (examples, rows, columns, channels), channels last:
A (m, n_H, n_W, n_C), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C); caches (A_prev, W, b, hparameters)
and (A_prev, hparameters). Each has a ``bug`` switch per classic mistake (``bug=None``: the right one),
passed on to the functions it calls, so a caller shows its callee's mistake.
"""

import numpy as np

# --- the course's code, with a switch for each mistake ------------------------------------------------


def zero_pad(X, pad, bug=None):
    if bug == "pad_all_axes":  # np.pad(X, pad): the examples and the channels get padded too
        return np.pad(X, pad, mode="constant", constant_values=0)
    if bug == "pad_height_only":
        return np.pad(X, ((0, 0), (pad, pad), (0, 0), (0, 0)), mode="constant", constant_values=0)
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)


def conv_single_step(a_slice_prev, W, b, bug=None):
    s = np.multiply(a_slice_prev, W)
    Z = np.mean(s) if bug == "single_step_mean" else np.sum(s)
    if bug == "single_step_no_bias":
        return Z
    return Z + float(np.asarray(b).reshape(-1)[0])


def _size(n_prev, f, stride, pad=0):
    return int((n_prev + 2 * pad - f) / stride) + 1


def _corners(h, w, f, stride, bug):
    """The window of output position (h, w): rows vert_start:vert_end, columns horiz_start:horiz_end."""
    vert_start = h if bug == "stride_ignored" else h * stride
    horiz_start = w if bug == "stride_ignored" else w * stride
    width = stride if bug == "window_stride_wide" else f
    return vert_start, vert_start + width, horiz_start, horiz_start + width


def conv_forward(A_prev, W, b, hparameters, bug=None):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H, n_W = _size(n_H_prev, f, stride, pad), _size(n_W_prev, f, stride, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad, bug)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                vert_start, vert_end, horiz_start, horiz_end = _corners(h, w, f, stride, bug)
                a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c], bug)
                    if bug == "bias_twice":
                        Z[i, h, w, c] += b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max", bug=None):
    (m, n_H_prev, n_W_prev, n_C) = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = _size(n_H_prev, f, stride), _size(n_W_prev, f, stride)
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vert_start, vert_end, horiz_start, horiz_end = _corners(h, w, f, stride, bug)
                for c in range(n_C):
                    channels = slice(None) if bug == "pool_all_channels" else c
                    a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, channels]
                    if mode == "max" or bug == "pool_mode_ignored":
                        A[i, h, w, c] = np.max(a_prev_slice)
                    elif mode == "average":
                        A[i, h, w, c] = np.mean(a_prev_slice)
    return A, (A_prev, hparameters)


def conv_backward(dZ, cache, bug=None):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape
    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    A_prev_pad = zero_pad(A_prev, pad, bug)
    dA_prev_pad = zero_pad(dA_prev, pad, bug)
    i = 0
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        da_prev_pad = dA_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                vert_start, vert_end, horiz_start, horiz_end = _corners(h, w, f, stride, bug)
                a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                for c in range(n_C):
                    if bug == "dA_prev_overwritten":
                        da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] = W[:, :, :, c] * dZ[i, h, w, c]
                    else:
                        da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    if bug == "dW_overwritten":
                        dW[:, :, :, c] = a_slice * dZ[i, h, w, c]
                    else:
                        dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    if bug == "db_overwritten":
                        db[:, :, :, c] = dZ[i, h, w, c]
                    else:
                        db[:, :, :, c] += dZ[i, h, w, c]
        if bug not in ("unpad_outside_loop", "unpad_minus_zero"):
            dA_prev[i, :, :, :] = da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    if bug == "unpad_outside_loop":  # after the loop: only the last example's gradient is kept
        dA_prev[i, :, :, :] = dA_prev_pad[i, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    if bug == "unpad_minus_zero":  # [pad:-pad] is empty when pad = 0
        dA_prev = dA_prev_pad[:, pad:-pad, pad:-pad, :]
    return dA_prev, dW, db


def create_mask_from_window(x, bug=None):
    if bug == "mask_returns_max":
        return np.max(x)
    if bug == "mask_times_x":
        return x * (x == np.max(x))
    return x == np.max(x)


def distribute_value(dz, shape, bug=None):
    (n_H, n_W) = shape
    if bug == "average_not_divided":
        return np.ones(shape) * dz
    average = dz / n_H * n_W if bug == "average_precedence" else dz / (n_H * n_W)
    return np.ones(shape) * average


def pool_backward(dA, cache, mode="max", bug=None):
    (A_prev, hparameters) = cache
    stride, f = hparameters["stride"], hparameters["f"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        a_prev = A_prev[i]
        for h in range(n_H):
            for w in range(n_W):
                vert_start, vert_end, horiz_start, horiz_end = _corners(h, w, f, stride, bug)
                for c in range(n_C):
                    if mode == "max":
                        a_prev_slice = a_prev[vert_start:vert_end, horiz_start:horiz_end, c]
                        share = create_mask_from_window(a_prev_slice, bug) * dA[i, h, w, c]
                    else:
                        share = distribute_value(dA[i, h, w, c], (f, f), bug)
                    if bug == "pool_dA_overwritten":
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] = share
                    else:
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += share
    return dA_prev
