"""The right answer for every contract function: the course's signatures, return tuples and caches.

Built on the engine (``shapecheck.engine.dense``, ``activations``, ``rnn``): the math lives there
once; this module only gives it the course's calling conventions.

- Deep network: ``linear_forward`` returns ``(Z, (A, W, b))``; ``linear_activation_forward`` returns
  ``(A, ((A_prev, W, b), Z))``; ``L_model_forward`` returns ``(AL, caches)`` with one such cache per
  layer; ``L_model_backward`` returns ``dA{l-1}``, ``dW{l}``, ``db{l}`` for l = 1..L (the newer
  edition's keys).
- Recurrent network: the engine's functions as they are (course caches: rnn cell
  ``(a_next, a_prev, xt, parameters)``, lstm cell ``(a_next, c_next, a_prev, c_prev, ft, it, cct, ot,
  xt, parameters)``, through time ``(list of step caches, x)``), with writeable outputs.

The backward functions accept caches that a student's forward made, in the layouts students use:
course tuples, flat tuples ``(A_prev, W, b, Z)``, and dicts (``{"A_prev", "W", "b"}``,
``{"linear_cache"/"linear", "activation_cache"/"Z"}``); for the recurrent ones, step caches as dicts
keyed by the course's names or as lists, and ``(caches, x)`` as a list or a dict. So the reference can stand in for a
student's callee inside the student's own function.

    >>> AL, caches = L_model_forward(np.ones((3, 2)), initialize_parameters_deep([3, 4, 1]))
    >>> sorted(L_model_backward(AL, np.array([[1.0, 0.0]]), caches))
    ['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from shapecheck.engine import rnn as _rnn
from shapecheck.engine.activations import activation_backward, activation_forward
from shapecheck.engine.dense import compute_cost as _engine_cost
from shapecheck.engine.dense import linear_backward as _engine_linear_backward
from shapecheck.engine.dense import linear_forward as _engine_linear_forward

__all__ = [
    "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
    "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
    "update_parameters", "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
    "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward",
    "linear_cache_of", "layer_cache_of", "step_cache_of", "through_time_of", "FUNCTIONS",
]

ACTIVATIONS = ("relu", "sigmoid")


# --- reading the caches students make ------------------------------------------------------------


def _first(mapping: Mapping, *keys: str) -> Any:
    for key in keys:
        if key in mapping:
            return mapping[key]
    raise KeyError(f"the cache has none of the keys {keys}: it has {sorted(map(str, mapping))}")


def linear_cache_of(cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A_prev, W, b) from a linear cache: the course's tuple, a longer flat tuple, or a dict."""
    if isinstance(cache, Mapping):
        return _first(cache, "A_prev", "A", "A_previous"), _first(cache, "W"), _first(cache, "b")
    A_prev, W, b = tuple(cache)[:3]
    return A_prev, W, b


def layer_cache_of(cache: Any) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """((A_prev, W, b), Z) from one layer's cache, in any of the layouts students use.

    ``((A_prev, W, b), Z)`` (the course's), ``(A_prev, W, b, Z)`` (flat), ``{"linear_cache", "activation_cache"}``,
    ``{"linear", "Z"}``, ``{"A_prev", "W", "b", "Z"}``; an activation cache that is itself a tuple or a dict
    gives its first array (or its "Z").
    """
    if isinstance(cache, Mapping):
        if any(k in cache for k in ("linear_cache", "linear")):
            linear = _first(cache, "linear_cache", "linear")
        else:
            linear = cache
        Z = _first(cache, "activation_cache", "Z", "activation")
    else:
        items = tuple(cache)
        if len(items) >= 4:
            linear, Z = items[:3], items[3]
        else:
            linear, Z = items
    if isinstance(Z, Mapping):
        Z = _first(Z, "Z")
    elif isinstance(Z, (tuple, list)):
        Z = Z[0]
    return linear_cache_of(linear), Z


# --- deep network ----------------------------------------------------------------------------------


def initialize_parameters_deep(layer_dims):
    """W[l] = randn(n[l], n[l-1]) / √n[l-1], b[l] = zeros (n[l], 1), from the course's seed 3.

    Editions differ in the scale: the step-by-step notebook multiplies by 0.01, the application
    notebook (dnn_app_utils_v3) and the newer edition divide by √n[l-1]. Either is right; the
    diagnosis compares only shapes and zero biases, never the random values. The numbers are those
    of ``np.random.seed(3)`` followed by ``np.random.randn``, drawn from a private generator so the
    global one is left alone.

    >>> p = initialize_parameters_deep([5, 4, 1]); p["W1"].shape, p["b1"].shape
    ((4, 5), (4, 1))
    """
    rng = np.random.RandomState(3)
    parameters = {}
    for l in range(1, len(layer_dims)):  # noqa: E741 - the course's index
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])  # (n[l], n[l-1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))  # (n[l], 1)
    return parameters


def linear_forward(A, W, b):
    """Z = W·A + b, cache = (A, W, b)."""
    Z = _engine_linear_forward(np.asarray(A, float), np.asarray(W, float), np.asarray(b, float))  # (n[l], m)
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W·A_prev + b), cache = ((A_prev, W, b), Z); activation is "relu" or "sigmoid"."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', not {activation!r}")
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = activation_forward(activation, Z)  # (n[l], m)
    if A is Z:
        A = A.copy()
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID; caches[l-1] is layer l's cache."""
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):  # noqa: E741
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    """J = −(1/m)·Σ [Y·log(AL) + (1−Y)·log(1−AL)], a 0-d float64 array (the course's np.squeeze(cost))."""
    return np.array(_engine_cost(np.asarray(AL, float), np.asarray(Y, float)))


def linear_backward(dZ, cache):
    """dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ dZ (axis=1, keepdims), dA_prev = Wᵀ·dZ."""
    A_prev, W, b = (np.asarray(a, float) for a in linear_cache_of(cache))
    return _engine_linear_backward(np.asarray(dZ, float), (A_prev, W, b))


def linear_activation_backward(dA, cache, activation):
    """dZ = dA ∗ g'(Z), then linear_backward."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', not {activation!r}")
    linear_cache, Z = layer_cache_of(cache)
    dZ = activation_backward(activation, np.asarray(dA, float), np.asarray(Z, float))  # (n[l], m)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """dA[L] = −(Y/AL − (1−Y)/(1−AL)), then each layer from L down to 1: keys dA{l-1}, dW{l}, db{l}."""
    AL = np.asarray(AL, float)
    Y = np.asarray(Y, float).reshape(AL.shape)
    L = len(caches)
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))  # (n[L], m), no 1/m: it is in dW and db
    for l in range(L, 0, -1):  # noqa: E741
        activation = "sigmoid" if l == L else "relu"
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    """A new dict: W[l] − α·dW[l], b[l] − α·db[l]; the given one is left as it was."""
    L = len(parameters) // 2
    updated = dict(parameters)
    for l in range(1, L + 1):  # noqa: E741
        for name in (f"W{l}", f"b{l}"):
            updated[name] = parameters[name] - learning_rate * grads["d" + name]
    return updated


# --- recurrent network: the engine's, with outputs a caller may write into ---------------------------


def _writeable(value: Any, top: bool = True) -> Any:
    """Copies of the engine's read-only views, so a student's code may write into what it gets back."""
    if isinstance(value, np.ndarray):
        return np.array(value)
    if isinstance(value, tuple):
        return tuple(_writeable(v, False) for v in value)
    if isinstance(value, list):
        return [_writeable(v, False) for v in value]
    if top and isinstance(value, dict):  # a gradients dict
        return {k: _writeable(v, False) for k, v in value.items()}
    return value  # the parameters dict inside a cache stays the caller's own


def rnn_cell_forward(xt, a_prev, parameters):
    """a_next = tanh(Wax·xt + Waa·a_prev + ba), yt_pred = softmax(Wya·a_next + by); cache = (a_next, a_prev, xt, parameters)."""
    return _writeable(_rnn.rnn_cell_forward(xt, a_prev, parameters))


def rnn_forward(x, a0, parameters):
    """(a, y_pred, (caches, x)) over T_x steps."""
    return _writeable(_rnn.rnn_forward(x, a0, parameters))


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """(a_next, c_next, yt_pred, cache), gates on [a_prev; xt]."""
    return _writeable(_rnn.lstm_cell_forward(xt, a_prev, c_prev, parameters))


def lstm_forward(x, a0, parameters):
    """(a, y, c, (caches, x)) over T_x steps, c⟨0⟩ = 0."""
    return _writeable(_rnn.lstm_forward(x, a0, parameters))


# --- reading the recurrent caches students make -------------------------------------------------------

RNN_STEP = ("a_next", "a_prev", "xt", "parameters")
LSTM_STEP = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters")
_STEP_ALIASES = {"xt": ("xt", "x_t", "x"), "parameters": ("parameters", "params", "p"), "cct": ("cct", "c_tilde", "cc")}


def step_cache_of(cache: Any, items: tuple[str, ...]) -> Any:
    """One step's cache in the course's tuple order: the course's tuple (or a list), or a dict keyed by the
    course's names (``{"a_next": ..., "a_prev": ..., "xt": ..., "parameters": ...}``)."""
    if isinstance(cache, Mapping):
        return tuple(_first(cache, *_STEP_ALIASES.get(name, (name,))) for name in items)
    if isinstance(cache, list):
        return tuple(cache)
    return cache


def through_time_of(caches: Any, items: tuple[str, ...]) -> Any:
    """(list of step caches, x) from what a student's rnn_forward / lstm_forward returned: the course's pair
    (tuple or list), or a dict holding the step caches (a list) and x (an array)."""
    if isinstance(caches, Mapping):
        steps = next((v for v in caches.values() if isinstance(v, (list, tuple))), None)
        x = next((v for v in caches.values() if isinstance(v, np.ndarray) and v.ndim == 3), None)
        if steps is None or x is None:
            raise KeyError(f"the caches hold no list of step caches and no x: keys {sorted(map(str, caches))}")
        caches = (steps, x)
    if isinstance(caches, (tuple, list)) and len(caches) == 2 and isinstance(caches[0], (list, tuple)):
        steps, x = caches
        if any(isinstance(step, (Mapping, list)) for step in steps):
            steps = [step_cache_of(step, items) for step in steps]
        return (steps, x)
    return caches


def rnn_cell_backward(da_next, cache):
    """{"dxt", "da_prev", "dWax", "dWaa", "dba"} of one step."""
    return _writeable(_rnn.rnn_cell_backward(da_next, step_cache_of(cache, RNN_STEP)))


def rnn_backward(da, caches):
    """{"dx", "da0", "dWax", "dWaa", "dba"} through time; da is every hidden state's upstream gradient."""
    return _writeable(_rnn.rnn_backward(da, through_time_of(caches, RNN_STEP)))


def lstm_cell_backward(da_next, dc_next, cache):
    """{"dxt", "da_prev", "dc_prev", "dWf", "dbf", ..., "dWo", "dbo"} of one step."""
    return _writeable(_rnn.lstm_cell_backward(da_next, dc_next, step_cache_of(cache, LSTM_STEP)))


def lstm_backward(da, caches):
    """{"dx", "da0", "dWf", "dbf", ..., "dWo", "dbo"} through time."""
    return _writeable(_rnn.lstm_backward(da, through_time_of(caches, LSTM_STEP)))


FUNCTIONS = {name: globals()[name] for name in __all__[:17]}
