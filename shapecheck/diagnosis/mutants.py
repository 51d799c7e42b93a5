"""The reference with one classic mistake in it: what a student's output looks like for each mistake.

A mutant is the course's own code (the plug-in's course.py) with one line wrong, written the way students write it (a loop
over time steps, ``np.dot``, the course's caches). A student's output that equals a mutant's on the
same inputs, where the reference differs, is evidence of that mistake: the hint rules
(``hints.py``) read it.

Each assignment's ``mistakes.py`` lists them (``MISTAKES`` here gathers all): the name, the contract functions whose code holds the mistake, and the
hint id it stands for. A mistake also shows in every function that calls those (through the
contract's callees): ``L_model_backward`` with ``relu_gets_sigmoid_derivative`` is the course's
L_model_backward whose linear_activation_backward has that mistake.

    >>> from shapecheck.diagnosis.cases import cases_for
    >>> case = cases_for("compute_cost")[0]
    >>> results = run_mutants("compute_cost", case.fresh_args())
    >>> "broadcast_outer" in results and "cost_missing_negative_class" in results
    True

``course(function)`` is the mutant with no mistake: the course's code, which must agree with the
reference (a test holds them together).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from shapecheck.diagnosis.assignments import ASSIGNMENTS, by_function, get
from shapecheck.diagnosis.contract import CONTRACTS
from shapecheck.diagnosis.plugin import Mistake

__all__ = ["Mistake", "MISTAKES", "BY_NAME", "COURSE", "affected", "course", "course_with", "mutants_for", "run_mutants"]

MISTAKES: tuple[Mistake, ...] = tuple(m for a in ASSIGNMENTS.values() for m in a.mistakes)
BY_NAME: dict[str, Mistake] = {m.name: m for m in MISTAKES}
COURSE: dict[str, Callable] = {}
for _assignment in ASSIGNMENTS.values():
    for _contract in _assignment.contracts:
        COURSE.setdefault(_contract.name, getattr(_assignment.course, _contract.name))


def _callers(function: str, kind: str | None = None) -> set[str]:
    """Every contract function of the assignment that calls ``function``, directly or not."""
    contracts = (get(kind) if kind else by_function(function)).contracts
    found: set[str] = set()
    frontier = {function}
    while frontier:
        frontier = {c.name for c in contracts if set(c.callees) & frontier} - found
        found |= frontier
    return found


def affected(mistake: Mistake) -> tuple[str, ...]:
    """The functions whose output a mistake changes: where it is written and all their callers."""
    names = set(mistake.where)
    for where in mistake.where:
        names |= _callers(where)
    return tuple(sorted(names))


# --- running them ------------------------------------------------------------------------------------------


def course(function: str, kind: str | None = None) -> Callable:
    """The course's code for ``function``, with no mistake in it."""
    return getattr(get(kind).course, function) if kind else COURSE[function]


def course_with(function: str, callees: dict[str, Callable]) -> Callable:
    """The course's code for ``function``, calling the given functions in place of its contract callees.

    For a student whose forward raises but whose callees run: ``course_with("L_model_forward",
    {"linear_activation_forward": student_function})`` makes caches in the student's own format.
    """
    code = COURSE[function]
    arities = {name: len(CONTRACTS[name].inputs) for name in callees}
    # the course's code passes its ``bug`` switch last: the given functions get the contract's arguments only
    wrapped = {name: (lambda *args, _f=f, _n=arities[name]: _f(*args[:_n])) for name, f in callees.items()}
    return functools.partial(type(code)(code.__code__, {**code.__globals__, **wrapped}, code.__name__, code.__defaults__))


def mutants_for(function: str, kind: str | None = None) -> dict[str, Callable]:
    """Every mutant of ``function``: name -> callable with the course's signature."""
    assignment = get(kind) if kind else by_function(function)
    code = getattr(assignment.course, function)
    return {m.name: functools.partial(code, bug=m.name) for m in assignment.mistakes if function in affected(m)}


def run_mutants(function: str, args: tuple, kind: str | None = None) -> dict[str, Any]:
    """Each mutant's output on ``args`` (a mutant that raises on them is left out). ``args`` is not changed."""
    results = {}
    with np.errstate(all="ignore"):
        for name, mutant in mutants_for(function, kind).items():
            try:
                results[name] = mutant(*args)
            except Exception:  # noqa: BLE001 - a mistake that cannot run on these sizes is no evidence
                continue
    return results
