"""The classic mistakes of L_model_backward, injected on purpose, and how to recognise them.

``BUGS`` is a documented set of mistakes learners make (course forums): each has a name, a
one-line description (``describe``), the tensors it touches (``touches``) and the one step of the
engine's backward it writes wrongly (``steps``, a ``BackwardSteps`` with that step overridden).
``backward_with(name)`` is the engine's own backward run with those steps (the engine is never
copied), so ``shapecheck gradcheck 5 4 3 1 --bug missing_1_over_m`` shows what a failing report
looks like and why.

How a failing check is read (the fingerprint of each of these mistakes) is ``reading.py``.

    >>> [bug.name for bug in BUGS][:3]
    ['missing_1_over_m', 'transposed_dW', 'db_no_keepdims']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.engine.dense import COURSE_STEPS, BackwardSteps

if TYPE_CHECKING:  # pragma: no cover
    from shapecheck.spec.networks import DenseNet


# --- the documented mistakes ------------------------------------------------------------------------


def _all(spec, m, loss) -> list[str]:
    return [n for l in range(spec.L, 0, -1) for n in (f"dW{l}", f"db{l}")]  # noqa: E741


def _dW(spec, m, loss) -> list[str]:
    return [f"dW{l}" for l in range(spec.L, 0, -1)]  # noqa: E741


def _db(spec, m, loss) -> list[str]:
    return [f"db{l}" for l in range(spec.L, 0, -1)]  # noqa: E741


def _transposable(spec, m, loss) -> list[str]:  # a 1×1 dW is its own transpose
    return [f"dW{l}" for l in range(spec.L, 0, -1) if spec.n(l) * spec.n(l - 1) > 1]  # noqa: E741


def _db_axis(spec, m, loss) -> list[str]:  # summing a (1, 1) dZ over either axis gives the same
    return [f"db{l}" for l in range(spec.L, 0, -1) if spec.n(l) > 1 or m > 1]  # noqa: E741


def _hidden(spec, m, loss) -> list[str]:
    return [n for l in range(spec.L - 1, 0, -1) for n in (f"dW{l}", f"db{l}")]  # noqa: E741


def _cross_entropy(spec, m, loss) -> list[str]:  # with MSE, dA[L] = A − Y is right
    from shapecheck.engine import losses

    return _all(spec, m, loss) if losses.resolve_loss(loss, spec.activations[-1]) != losses.MSE else []


def _more_than_one_example(spec, m, loss) -> list[str]:
    return _all(spec, m, loss) if m > 1 else []


# --- the wrong step of each: the engine's BackwardSteps with one formula as students write it ---------


class MissingOneOverM(BackwardSteps):
    def dW(self, dZ, A_prev, A=None):  # noqa: N802, N803
        return dZ @ A_prev.T  # (n[l], n[l-1]), m times too large

    def db(self, dZ):
        return np.sum(dZ, axis=1, keepdims=True)  # (n[l], 1), m times too large


class TransposedDW(BackwardSteps):
    def dW(self, dZ, A_prev, A=None):  # noqa: N802, N803
        m = A_prev.shape[1]
        return (1 / m) * (A_prev @ dZ.T)  # (n[l-1], n[l])


class DbNoKeepdims(BackwardSteps):
    def db(self, dZ):
        m = dZ.shape[1]
        return (1 / m) * np.sum(dZ, axis=1)  # (n[l],): against b (n[l], 1) it broadcasts to (n[l], n[l])


class DbWrongAxis(BackwardSteps):
    def db(self, dZ):
        m = dZ.shape[1]
        return (1 / m) * np.sum(dZ, axis=0, keepdims=True)  # (1, m)


class WrongSignDAL(BackwardSteps):
    def output_dZ(self, output, loss, AL, Y, ZL):  # noqa: N803
        return -super().output_dZ(output, loss, AL, Y, ZL)  # dZ[L] is linear in dA[L]: a flipped dA[L] flips dZ[L]


class DALIsDZL(BackwardSteps):
    def output_dZ(self, output, loss, AL, Y, ZL):  # noqa: N803
        from shapecheck.engine.activations import activation_backward

        return activation_backward(output, AL - Y, ZL, AL)  # A − Y is dZ[L]; taken for dA[L], g'[L] is applied again


class WrongActivationDerivative(BackwardSteps):
    def hidden_dZ(self, g, dA, Z, A):  # noqa: N803
        from shapecheck.engine.activations import activation_backward

        wrong = "relu" if g == "sigmoid" else "sigmoid"  # the backward helpers swapped
        return activation_backward(wrong, dA, Z)


class DWUsesA(BackwardSteps):
    def dW(self, dZ, A_prev, A=None):  # noqa: N802, N803
        m = A_prev.shape[1]
        return (1 / m) * (dZ @ A.T)  # (n[l], n[l]): the layer's own output A[l], not its input A[l-1]


@dataclass(frozen=True)
class Bug:
    """One classic mistake: its name, the tensors it changes on a given network, and the step it writes wrongly."""

    name: str
    _touches: Callable
    steps: BackwardSteps

    def describe(self) -> str:
        return msg(f"gradcheck.bug_{self.name}")

    def where(self) -> str:
        """The tensors it touches, in words ("dW[l] of every layer")."""
        return msg(f"gradcheck.bug_{self.name}_touches")

    def touches(self, spec: DenseNet, m: int, loss: str | None = None) -> list[str]:
        """The gradients this mistake changes on ``spec`` with m examples, in backward order (empty: none)."""
        return list(self._touches(spec, m, loss))


BUGS: tuple[Bug, ...] = (
    Bug("missing_1_over_m", _more_than_one_example, MissingOneOverM()),
    Bug("transposed_dW", _transposable, TransposedDW()),
    Bug("db_no_keepdims", _db, DbNoKeepdims()),
    Bug("db_wrong_axis", _db_axis, DbWrongAxis()),
    Bug("wrong_sign_dAL", _all, WrongSignDAL()),
    Bug("dAL_is_dZL", _cross_entropy, DALIsDZL()),
    Bug("wrong_activation_derivative", _hidden, WrongActivationDerivative()),
    Bug("dW_uses_A", _dW, DWUsesA()),
)
BUG_NAMES = tuple(b.name for b in BUGS)


def get_bug(name: str) -> Bug:
    for bug in BUGS:
        if bug.name == name:
            return bug
    raise ShapecheckError("gradcheck.unknown_bug", value=name, known=", ".join(BUG_NAMES))


def backward_with(name: str | None) -> Callable:
    """The engine's backward(spec, AL, Y, caches, loss=None, with_dA0=True) with one mistake's steps (None: none).

    With ``None`` these are the engine's own numbers: the same function, the same steps.
    """
    steps = COURSE_STEPS if name is None else get_bug(name).steps

    def backward(spec, AL, Y, caches, loss=None, with_dA0: bool = True) -> dict[str, np.ndarray]:  # noqa: N803
        from shapecheck.engine import losses
        from shapecheck.engine.dense import _backward
        from shapecheck.engine.init import as_dense_net

        spec = as_dense_net(spec)
        AL, Y = np.asarray(AL, dtype=np.float64), np.asarray(Y, dtype=np.float64)
        return _backward(spec, AL, Y, caches, losses.resolve_loss(loss, spec.activations[-1]), with_dA0, steps)

    return backward
