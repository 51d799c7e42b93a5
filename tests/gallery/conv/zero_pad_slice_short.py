"""Convolutional Model: step by step, written without the loops over examples and channels.

Only the output positions are looped over; every example and every filter is handled at once by
np.tensordot / broadcasting. Caches are the course's.
"""
import numpy as np


def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    X_pad[:, pad:n_H + pad, pad:n_W, :] = X
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W) + np.squeeze(b))


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    s, p = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * p - f) // s + 1
    n_W = (n_W_prev + 2 * p - f) // s + 1
    A_pad = zero_pad(A_prev, p)
    Z = np.empty((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = A_pad[:, h * s:h * s + f, w * s:w * s + f, :]          # (m, f, f, n_C_prev)
            Z[:, h, w, :] = np.tensordot(window, W, axes=([1, 2, 3], [0, 1, 2]))
    Z += b.reshape(1, 1, 1, n_C)
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, s = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // s + 1
    n_W = (n_W_prev - f) // s + 1
    reduce = np.max if mode == "max" else np.mean
    A = np.empty((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            A[:, h, w, :] = reduce(A_prev[:, h * s:h * s + f, w * s:w * s + f, :], axis=(1, 2))
    return A, (A_prev, hparameters)


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    s, p = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, n_C = dZ.shape
    A_pad = zero_pad(A_prev, p)
    dA_pad = np.zeros_like(A_pad)
    dW = np.zeros_like(W)
    for h in range(n_H):
        for w in range(n_W):
            rows, cols = slice(h * s, h * s + f), slice(w * s, w * s + f)
            d = dZ[:, h, w, :]                                                # (m, n_C)
            dA_pad[:, rows, cols, :] += np.tensordot(d, W, axes=([1], [3]))
            dW += np.tensordot(A_pad[:, rows, cols, :], d, axes=([0], [0]))
    db = dZ.sum(axis=(0, 1, 2), keepdims=True)
    dA_prev = dA_pad[:, p:p + n_H_prev, p:p + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    return x == x.max()


def distribute_value(dz, shape):
    return np.full(shape, dz / np.prod(shape))


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    dA_prev = np.zeros_like(A_prev, dtype=float)
    for h in range(n_H):
        for w in range(n_W):
            rows, cols = slice(h * s, h * s + f), slice(w * s, w * s + f)
            d = dA[:, h, w, :][:, None, None, :]                              # (m, 1, 1, n_C)
            if mode == "max":
                window = A_prev[:, rows, cols, :]
                mask = window == window.max(axis=(1, 2), keepdims=True)
                dA_prev[:, rows, cols, :] += mask * d
            else:
                dA_prev[:, rows, cols, :] += d / (f * f)
    return dA_prev
