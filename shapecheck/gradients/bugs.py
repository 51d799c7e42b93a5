"""The classic mistakes of L_model_backward, injected on purpose, and how to recognise them.

``BUGS`` is a documented set of mistakes learners make (course forums): each has a name, a
one-line description (``describe``) and the tensors it touches (``touches``). ``backward_with(name)``
is a copy of the engine's backward with that one mistake in it (the engine itself is never
changed), so ``shapecheck gradcheck 5 4 3 1 --bug missing_1_over_m`` shows what a failing report
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


@dataclass(frozen=True)
class Bug:
    """One classic mistake: its name, what it does, and the tensors it changes on a given network."""

    name: str
    _touches: Callable

    def describe(self) -> str:
        return msg(f"gradcheck.bug_{self.name}")

    def where(self) -> str:
        """The tensors it touches, in words ("dW[l] of every layer")."""
        return msg(f"gradcheck.bug_{self.name}_touches")

    def touches(self, spec: DenseNet, m: int, loss: str | None = None) -> list[str]:
        """The gradients this mistake changes on ``spec`` with m examples, in backward order (empty: none)."""
        return list(self._touches(spec, m, loss))


BUGS: tuple[Bug, ...] = (
    Bug("missing_1_over_m", _more_than_one_example),
    Bug("transposed_dW", _transposable),
    Bug("db_no_keepdims", _db),
    Bug("db_wrong_axis", _db_axis),
    Bug("wrong_sign_dAL", _all),
    Bug("dAL_is_dZL", _cross_entropy),
    Bug("wrong_activation_derivative", _hidden),
    Bug("dW_uses_A", _dW),
)
BUG_NAMES = tuple(b.name for b in BUGS)


def get_bug(name: str) -> Bug:
    for bug in BUGS:
        if bug.name == name:
            return bug
    raise ShapecheckError("gradcheck.unknown_bug", value=name, known=", ".join(BUG_NAMES))


def backward_with(name: str | None) -> Callable:
    """A copy of the engine's backward(spec, AL, Y, caches, loss=None) with one mistake in it (None: none).

    The copy follows ``shapecheck.engine.dense._backward`` line for line; with ``None`` it returns
    the engine's own numbers, which a test checks.
    """
    if name is not None:
        get_bug(name)

    def backward(spec, AL, Y, caches, loss=None, with_dA0: bool = True) -> dict[str, np.ndarray]:  # noqa: N803
        from shapecheck.engine import losses
        from shapecheck.engine.activations import activation_backward
        from shapecheck.engine.init import as_dense_net

        spec = as_dense_net(spec)
        AL, Y = np.asarray(AL, dtype=np.float64), np.asarray(Y, dtype=np.float64)
        loss = losses.resolve_loss(loss, spec.activations[-1])
        L, output = spec.L, spec.activations[-1]
        ZL = caches[L - 1][1]
        if name == "dAL_is_dZL":  # A − Y is dZ[L]; taken for dA[L], g'[L] is applied a second time
            dZ = activation_backward(output, AL - Y, ZL, AL)
        else:
            dZ = losses.output_delta(output, loss, AL, Y)
            if dZ is None:
                dZ = activation_backward(output, losses.loss_derivative(loss, AL, Y), ZL, AL)
        if name == "wrong_sign_dAL":  # dZ[L] is linear in dA[L]: a flipped dA[L] flips dZ[L]
            dZ = -dZ
        grads: dict[str, np.ndarray] = {}
        for l in range(L, 0, -1):  # noqa: E741
            (A_prev, W, b), Z = caches[l - 1]
            if l < L:
                g = spec.activations[l - 1]
                A = caches[l][0][0]
                if name == "wrong_activation_derivative":  # the backward helpers swapped
                    wrong = "relu" if g == "sigmoid" else "sigmoid"
                    dZ = activation_backward(wrong, dA, Z)
                else:
                    dZ = activation_backward(g, dA, Z, A)
            m = A_prev.shape[1]
            scale = 1.0 if name == "missing_1_over_m" else 1 / m
            if name == "transposed_dW":
                dW = (1 / m) * (A_prev @ dZ.T)  # (n[l-1], n[l])
            elif name == "dW_uses_A":
                A_out = caches[l][0][0] if l < L else AL  # A[l], the layer's output
                dW = (1 / m) * (dZ @ A_out.T)  # (n[l], n[l])
            else:
                dW = scale * (dZ @ A_prev.T)  # (n[l], n[l-1])
            if name == "db_no_keepdims":
                db = (1 / m) * np.sum(dZ, axis=1)  # (n[l],): against b (n[l], 1) it broadcasts to (n[l], n[l])
            elif name == "db_wrong_axis":
                db = (1 / m) * np.sum(dZ, axis=0, keepdims=True)  # (1, m)
            else:
                db = scale * np.sum(dZ, axis=1, keepdims=True)  # (n[l], 1)
            grads[f"dW{l}"], grads[f"db{l}"] = dW, db
            if l > 1 or with_dA0:
                dA = W.T @ dZ  # (n[l-1], m)
                grads[f"dA{l - 1}"] = dA
        return grads

    return backward
