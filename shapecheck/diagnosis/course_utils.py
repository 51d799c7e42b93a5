"""What the course's helper modules give students, so a student's imports work in the sandbox.

``from dnn_utils import sigmoid, relu, sigmoid_backward, relu_backward`` and
``from rnn_utils import softmax, sigmoid`` must import, with the course's signatures:

- dnn_utils (and dnn_utils_v2, dnn_app_utils_v3): ``sigmoid(Z) -> (A, cache=Z)``,
  ``relu(Z) -> (A, cache=Z)``, ``relu_backward(dA, cache) -> dZ``, ``sigmoid_backward(dA, cache) -> dZ``.
  dnn_app_utils_v3 also carries the reference deep-network functions, as the application notebook's
  module does (their ``__module__`` is ``shapecheck.diagnosis.reference``, so a loader can tell
  them from the student's own).
- rnn_utils: ``softmax(x)`` over axis 0 and ``sigmoid(x)``, both returning the array only.
- testCases, testCases_v4a, public_tests, test_utils, lr_utils: stand-ins whose every attribute is a
  callable that does nothing (a notebook's test calls are dropped before anything runs anyway).

``install_course_modules()`` registers them in ``sys.modules``; ``course_modules()`` does the same
for a ``with`` block and puts back what was there before. ``course_helper(kind, name)`` is one
helper, to stand in for a student's own (``sigmoid`` differs between the two assignments).

    >>> with course_modules():
    ...     from dnn_utils import relu
    ...     relu(np.array([[-1.0, 2.0]]))[0]
    array([[0., 2.]])
"""

from __future__ import annotations

import sys
import types
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from shapecheck.engine import activations

# --- dnn_utils ---------------------------------------------------------------------------------------


def sigmoid(Z):
    """A = σ(Z), cache = Z (dnn_utils' signature: it returns a pair)."""
    return activations.sigmoid(np.asarray(Z, float)), Z


def relu(Z):
    """A = max(0, Z), cache = Z."""
    return activations.relu(np.asarray(Z, float)), Z


def relu_backward(dA, cache):
    """dZ = dA where Z > 0, else 0 (cache is Z)."""
    return activations.activation_backward("relu", np.asarray(dA, float), np.asarray(cache, float))


def sigmoid_backward(dA, cache):
    """dZ = dA ∗ σ(Z)·(1 − σ(Z)) (cache is Z)."""
    return activations.activation_backward("sigmoid", np.asarray(dA, float), np.asarray(cache, float))


# --- rnn_utils ---------------------------------------------------------------------------------------


def rnn_softmax(x):
    """Softmax over axis 0 (the classes of each column), as rnn_utils writes it."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)


def rnn_sigmoid(x):
    """σ(x), the array only."""
    return activations.sigmoid(np.asarray(x, float))


# --- the modules ------------------------------------------------------------------------------------

DNN_HELPERS = {"sigmoid": sigmoid, "relu": relu, "relu_backward": relu_backward, "sigmoid_backward": sigmoid_backward}
RNN_HELPERS = {"softmax": rnn_softmax, "sigmoid": rnn_sigmoid}
HELPER_MODULES = ("dnn_utils", "dnn_utils_v2", "dnn_app_utils_v3", "rnn_utils")
TEST_MODULES = ("testCases", "testCases_v2", "testCases_v3", "testCases_v4", "testCases_v4a",
                "public_tests", "test_utils", "lr_utils")


def course_helper(kind: str, name: str):
    """The course's helper ``name`` for the assignment ``kind``: ``sigmoid`` is dnn_utils' pair-returning
    one for "dnn" and rnn_utils' array-returning one for "rnn"."""
    helpers = RNN_HELPERS if kind == "rnn" else DNN_HELPERS
    return helpers[name]


def _nothing(*args, **kwargs) -> None:
    """A notebook's test call, made harmless."""
    return None


class _StandIn(types.ModuleType):
    """A module where every public name is a callable that does nothing."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import machinery asks for __path__, __spec__, ...: say no
            raise AttributeError(name)
        return _nothing


def _module(name: str, functions: dict) -> types.ModuleType:
    module = types.ModuleType(name, f"shapecheck's stand-in for the course's {name}.py")
    for key, value in functions.items():
        setattr(module, key, value)
    module.__all__ = list(functions)
    module.np = np
    return module


def build_course_modules() -> dict[str, types.ModuleType]:
    """Fresh module objects, by name (nothing is registered)."""
    from shapecheck.diagnosis import reference

    dnn_app = {**DNN_HELPERS, **{k: reference.FUNCTIONS[k] for k in (
        "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
        "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward", "update_parameters")}}
    modules = {
        "dnn_utils": _module("dnn_utils", DNN_HELPERS),
        "dnn_utils_v2": _module("dnn_utils_v2", DNN_HELPERS),
        "dnn_app_utils_v3": _module("dnn_app_utils_v3", dnn_app),
        "rnn_utils": _module("rnn_utils", RNN_HELPERS),
    }
    for name in TEST_MODULES:
        stand_in = _StandIn(name, f"shapecheck's empty stand-in for {name}.py: its tests are not run")
        stand_in.__all__ = []
        modules[name] = stand_in
    return modules


def install_course_modules() -> list[str]:
    """Register the course's helper modules and test stand-ins in ``sys.modules``; returns their names."""
    modules = build_course_modules()
    sys.modules.update(modules)
    return list(modules)


@contextmanager
def course_modules() -> Iterator[list[str]]:
    """``install_course_modules()`` for the duration of a ``with`` block, then the previous state back."""
    modules = build_course_modules()
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield list(modules)
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
