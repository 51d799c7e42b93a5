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
    >>> case = cases_for("compute_cost", kind="dnn")[0]
    >>> results = run_mutants("compute_cost", case.fresh_args(), "dnn")
    >>> "broadcast_outer" in results and "cost_missing_negative_class" in results
    True

``course(function)`` is the mutant with no mistake: the course's code, which must agree with the
reference (a test holds them together).
"""

from __future__ import annotations

import copy
import functools
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from shapecheck.diagnosis.assignments import ASSIGNMENTS, by_function
from shapecheck.diagnosis.plugin import Mistake

__all__ = ["Mistake", "MISTAKES", "BY_NAME", "KIND_OF", "affected", "course", "course_stream", "mutants_for", "run_mutants"]

MISTAKES: tuple[Mistake, ...] = tuple(m for a in ASSIGNMENTS.values() for m in a.mistakes)
BY_NAME: dict[str, Mistake] = {m.name: m for m in MISTAKES}  # mistake names are unique across assignments (a test says so)
KIND_OF: dict[str, str] = {m.name: kind for kind, a in ASSIGNMENTS.items() for m in a.mistakes}  # mistake -> its assignment


def _callers(function: str, kind: str | None = None) -> set[str]:
    """Every contract function of the assignment that calls ``function``, directly or not."""
    contracts = by_function(function, kind).contracts
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
        names |= _callers(where, KIND_OF.get(mistake.name))
    return tuple(sorted(names))


# --- running them ------------------------------------------------------------------------------------------


def course(function: str, kind: str | None = None) -> Callable:
    """The course's code for ``function``, with no mistake in it."""
    return getattr(by_function(function, kind).course, function)


def mutants_for(function: str, kind: str | None = None, stand_ins: dict[str, str] | None = None) -> dict[str, Callable]:
    """Every mutant of ``function``: name -> callable with the course's signature. ``stand_ins``: the case's
    course functions in place of the ones the mutant calls (``Case.stand_ins``)."""
    assignment = by_function(function, kind)
    code = getattr(assignment.course, function)
    mutants = {m.name: functools.partial(code, bug=m.name) for m in assignment.mistakes if function in affected(m)}
    if stand_ins:
        mutants = {name: _with_stand_ins(mutant, assignment, stand_ins) for name, mutant in mutants.items()}
    return mutants


def _with_stand_ins(mutant: functools.partial, assignment, stand_ins: dict[str, str]) -> functools.partial:
    """The mutant with course functions standing in for some of the functions it calls (as the case's)."""
    code = mutant.func
    replaced = {name: getattr(assignment.course, course_name) for name, course_name in stand_ins.items()}
    patched = type(code)(code.__code__, {**code.__globals__, **replaced}, code.__name__, code.__defaults__)
    return functools.partial(patched, *mutant.args, **mutant.keywords)


def course_given(function: str, stand_ins: dict[str, str], kind: str | None = None) -> Callable:
    """The course's code for ``function`` with the case's course functions standing in (``Case.stand_ins``)."""
    if not stand_ins:
        return course(function, kind)
    assignment = by_function(function, kind)
    return _with_stand_ins(functools.partial(getattr(assignment.course, function)), assignment, stand_ins)


_GLOBAL_STREAM = threading.RLock()


@contextmanager
def course_stream() -> Iterator[None]:
    """numpy's global stream, this block's alone, and the caller's put back afterwards. The course's code
    seeds and draws from the global stream (``np.random.seed(counter + seed)`` then ``np.random.choice``);
    diagnoses may run in threads of one process (an instructor's script, the gallery test), and without
    the lock one thread's draw could come from another's seed: a student's hint would depend on timing."""
    with _GLOBAL_STREAM:
        state = np.random.get_state()
        try:
            yield
        finally:
            np.random.set_state(state)


def run_mutants(function: str, args: tuple, kind: str | None = None, stand_ins: dict[str, str] | None = None,
                global_seed: int | None = None) -> dict[str, Any]:
    """Each mutant's output on ``args`` (a mutant that raises on them is left out). ``args`` is not changed.
    ``stand_ins``: the case's course functions in place of the ones the mutant calls. ``global_seed``: the
    case's ``np.random.seed`` before each call. The global stream is the calls' alone (``course_stream``)."""
    results = {}
    with course_stream(), np.errstate(all="ignore"):
        for name, mutant in mutants_for(function, kind, stand_ins).items():
            if global_seed is not None:
                np.random.seed(global_seed)
            try:  # each on its own copy: the course's code may update its arguments in place (Dinosaurus' utils)
                results[name] = mutant(*copy.deepcopy(args))
            except Exception:  # noqa: BLE001 - a mistake that cannot run on these sizes is no evidence
                continue
    return results

