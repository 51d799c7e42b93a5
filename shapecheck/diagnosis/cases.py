"""Seeded inputs for every contract function, chosen so that mistakes cannot hide.

    cases = cases_for("linear_backward", seed=0)       # [Case(function, args, label, sizes, forward_args)]
    result = reference.linear_backward(*cases[0].args)

What the sizes guarantee:
- no two of n[l-1], n[l], m are equal (and no two of n_x, n_a, n_y, m, T_x), so a transpose or a
  swapped axis never fits by luck; every function also gets one case with m = 1 (which hides axis
  and 1/m mistakes, so the others use m ≥ 3), nets run from L = 1 to L = 4, sequences from T_x = 1 to 6;
- ReLU inputs are at least 0.05 away from the kink at 0, with both signs in every layer, and
  sigmoid and tanh inputs stay within ±3 (out of saturation), so a wrong derivative always shows;
- biases, a0 and c_prev are not zero, so a forgotten bias or initial state shows;
- both activations for linear_activation_forward and linear_activation_backward.

Functions that take caches (linear_backward, linear_activation_backward, L_model_backward,
rnn_cell_backward, rnn_backward, lstm_cell_backward, lstm_backward): ``case.args`` already holds the
caches the reference forward made, and ``case.forward_args`` the inputs of that forward. To use the
student's own forward instead, ``forward_for(name)`` says which forward and which of its outputs go
where, and ``build_args(case, student_forward)`` does it:

    link = forward_for("L_model_backward")     # Link("L_model_forward", ((0, 0), (2, 1)))
    args = build_args(case, student.L_model_forward)   # (AL, Y, caches) with the student's AL and caches

Caches are the student's own format (dicts, flat tuples, ...), which only the student's backward may
expect, so a student's backward should always get caches made by the student's forward when that
forward runs at all (with the reference standing in for its failing callees):

- the forward passes: ``build_args(case, forward)``; the expected result is ``reference_result(case)``;
- the forward runs but fails: ``build_args(case, forward, caches_only=True)`` (its caches, but the case's
  AL: a wrong AL may hold 0 or 1 and make dA[L] infinite), and the expected result is the reference
  on THOSE arguments, ``reference_on(case, args)`` (the reference reads students' cache layouts) - so
  both see the same caches and the comparison stays fair; if the reference cannot read them, fall
  back to the case's own arguments;
- the forward raises: its callees may still make the caches, through the course's code for the
  forward, ``mutants.course_with(link.forward, {callee: student's callee})``; as in the case above,
  the expected result is then ``reference_on(case, args)``;
- nothing of the student's can make caches: ``case.args`` (the reference's, in the course's format).
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from shapecheck.diagnosis.assignments import ASSIGNMENTS, by_function, contract
from shapecheck.diagnosis.plugin import KINK_MARGIN, SATURATION, Case, Link, given

__all__ = ["Case", "Link", "LINKS", "KINK_MARGIN", "SATURATION", "cases_for", "forward_for", "build_args",
           "reference_on", "reference_result"]

LINKS: dict[tuple[str, str], Link] = {(kind, name): link for kind, a in ASSIGNMENTS.items() for name, link in a.links.items()}


def forward_for(function: str, kind: str | None = None) -> Link | None:
    """The forward whose outputs ``function`` takes (its caches), or None if it takes none."""
    return by_function(function, kind).links.get(function)


def build_args(case: Case, forward: Callable, *, caches_only: bool = False) -> tuple:
    """``case.args`` with the caches (and AL) replaced by what ``forward(*case.forward_args)`` returns.

    ``forward`` is the student's forward (or the reference's); it gets a deep copy of the inputs.
    ``caches_only``: replace only the outputs the contract leaves opaque (the caches), not AL.
    Raises whatever the forward raises, and TypeError if it does not return a tuple long enough.
    """
    link = forward_for(case.function, case.kind or None)
    if link is None or case.forward_args is None:
        return case.fresh_args()
    result = forward(*copy.deepcopy(case.forward_args))
    if not isinstance(result, (tuple, list)) or len(result) <= max(out for _, out in link.outputs):
        raise TypeError(f"{link.forward} did not return the course's tuple")
    opaque = [spec is None for spec in contract(link.forward, case.kind or None).outputs.values()]
    args = list(case.fresh_args())
    for position, out in link.outputs:
        if opaque[out] or not caches_only:
            args[position] = result[out]
    return tuple(args)


def reference_on(case: Case, args: tuple) -> Any:
    """The reference's output on ``args`` (a deep copy): the expected result for caches a student's forward made."""
    return by_function(case.function, case.kind or None).reference[case.function](*copy.deepcopy(args))


def reference_result(case: Case) -> Any:
    """The reference's output on the case."""
    assignment = by_function(case.function, case.kind or None)
    # the reference runs with the same course functions standing in (plugin.given)
    return given(assignment.reference[case.function], assignment.stand_ins(case))(*case.fresh_args())


def cases_for(function_name: str, seed: int = 0, kind: str | None = None) -> list[Case]:
    """The seeded cases of one contract function (the same seed gives the same numbers); ``kind`` is needed
    for a name that several assignments grade (compute_cost, predict, ...)."""
    assignment = by_function(function_name, kind)  # KeyError: not a contract function, or several kinds have it
    return assignment.cases[function_name](seed)
