"""The binary cross-entropy's wrong spellings, read off a cost's number (hint rules of every assignment
with a cost: logistic regression's propagate, planar's and the deep network's compute_cost, gradient
checking's forward_propagation_n).

The course's cost is −(1/m)·Σ[Y·log(A) + (1 − Y)·log(1 − A)]. A student who reads the wrong variable
into one of its four slots (log(A) for the negative class, Y where 1 − Y belongs, the logs swapped, A
where Y belongs) or keeps one term only gives a number that one of these variants gives on the case's A
and Y. A cost is one number, so only these named variants are said, never an arbitrary one; each is
tried only where it differs from the right cost.

``rules(functions, read)`` makes the two hint rules for an assignment's functions; ``read(evidence)``
gives (A, Y, the name the notebook gives A) for a case, or None.
"""

from __future__ import annotations

from typing import Any, Callable

_SLOTS = ("Y", "A", "1 − Y", "1 − A")  # the course's formula: P·log(Q) + R·log(S) with P, Q, R, S these four


def _operand(name: str, A, Y):
    return {"Y": Y, "A": A, "1 − Y": 1 - Y, "1 − A": 1 - A}[name]


def _spelled(P: str, Q: str, R: str | None, S: str | None, a: str) -> str:
    def log(x: str) -> str:
        return f"log({x})".replace("A", a) if "A" in x else f"log({x})"

    def factor(x: str) -> str:
        return (x.replace("A", a) if "A" in x else x) if " " not in x else f"({x.replace('A', a)})"

    terms = [f"{factor(p)}·{log(q)}" for p, q in ((P, Q), (R, S)) if p is not None]
    return "−(1/m)·Σ[" + " + ".join(terms) + "]"


def variants(A, Y, a: str = "A"):
    """(formula, value) of each wrong spelling: one slot replaced by another operand, the logs swapped;
    and, separately marked by ``one_term``, a single term. Non-finite values are left out."""
    import numpy as np

    A, Y = np.asarray(A, dtype=float), np.asarray(Y, dtype=float)
    m = Y.shape[-1] if Y.ndim else 1
    right = ("Y", "A", "1 − Y", "1 − A")
    spellings = set()
    for slot in range(4):
        for other in _SLOTS:
            if other != right[slot]:
                spellings.add(tuple(other if k == slot else right[k] for k in range(4)))
    spellings.add(("Y", "1 − A", "1 − Y", "A"))  # the logs swapped
    spellings.discard(right)
    found = []
    with np.errstate(all="ignore"):
        for P, Q, R, S in sorted(spellings):
            value = -np.sum(_operand(P, A, Y) * np.log(_operand(Q, A, Y)) + _operand(R, A, Y) * np.log(_operand(S, A, Y))) / m
            if np.isfinite(value):
                found.append((_spelled(P, Q, R, S, a), float(value), False))
        for P, Q in (("Y", "A"), ("1 − Y", "1 − A")):
            value = -np.sum(_operand(P, A, Y) * np.log(_operand(Q, A, Y))) / m
            if np.isfinite(value):
                found.append((_spelled(P, Q, None, None, a), float(value), True))
    return found


def _matching(read: Callable, one_term: bool):
    def detect(e) -> Any:
        import numpy as np

        if e.s is None or e.r is None or e.s.size != 1 or e.r.size != 1:
            return False
        given = read(e)
        if given is None:
            return False
        A, Y, a = given
        yours, right = float(e.s.reshape(())), float(e.r.reshape(()))
        if not np.isfinite(yours) or np.isclose(yours, right, rtol=1e-6, atol=1e-12):
            return False
        for formula, value, single in variants(A, Y, a):
            if single == one_term and np.isclose(yours, value, rtol=1e-6, atol=1e-12) and not np.isclose(value, right, rtol=1e-6):
                return {"formula": formula, "a": a}
        return False

    return detect


def rules(functions: tuple[str, ...], read: Callable) -> tuple:
    """The assignment's two cost rules (hints.HintRule's fields as a tuple, as plug-ins give them)."""
    extra = ("formula", "a")
    return (("wrong_variable", functions, "hints.cost_wrong_variable", _matching(read, False), "exact", extra),
            ("missing_term", functions, "hints.cost_one_term", _matching(read, True), "exact", extra))
