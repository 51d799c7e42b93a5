"""The right answer for every deep-network function, in the course's signatures, return tuples and caches.

Built on the engine (``shapecheck.engine.dense``, ``activations``): the math lives there once; this
module gives it the course's calling conventions. ``linear_forward`` returns ``(Z, (A, W, b))``;
``linear_activation_forward`` returns ``(A, ((A_prev, W, b), Z))``; ``L_model_forward`` returns
``(AL, caches)`` with one such cache per layer; ``L_model_backward`` returns ``dA{l-1}``, ``dW{l}``,
``db{l}`` for l = 1..L (the newer edition's keys). The backward functions read the caches students
make (course tuples, flat tuples, dicts: course.layer_cache_of).

    >>> AL, caches = L_model_forward(np.ones((3, 2)), initialize_parameters_deep([3, 4, 1]))
    >>> sorted(L_model_backward(AL, np.array([[1.0, 0.0]]), caches))
    ['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']
"""

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.diagnosis.assignments.dnn.course import layer_cache_of, linear_cache_of
from shapecheck.engine import course_inits
from shapecheck.engine.activations import activation_backward, activation_forward
from shapecheck.engine.dense import compute_cost as _engine_cost
from shapecheck.engine.dense import linear_backward as _engine_linear_backward
from shapecheck.engine.dense import linear_forward as _engine_linear_forward

ACTIVATIONS = ("relu", "sigmoid")


def initialize_parameters(n_x, n_h, n_y):
    """The two-layer network: the draw after the notebook's np.random.seed(1), W = randn · 0.01, b = zeros."""
    return course_inits.initialize_parameters(n_x, n_h, n_y)


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


def _unknown(activation: object, where: str) -> ShapecheckError:
    return ShapecheckError("spec.unknown_activation", value=activation, where=where, known="relu, sigmoid")


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W·A_prev + b), cache = ((A_prev, W, b), Z); activation is "relu" or "sigmoid"."""
    if activation not in ACTIVATIONS:
        raise _unknown(activation, "linear_activation_forward")
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
        raise _unknown(activation, "linear_activation_backward")
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


FUNCTIONS = {f.__name__: f for f in (initialize_parameters, initialize_parameters_deep, linear_forward, linear_activation_forward, L_model_forward,
                                     compute_cost, linear_backward, linear_activation_backward, L_model_backward,
                                     update_parameters)}
