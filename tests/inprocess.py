"""The in-process stand-in for the runner's cache building (``diagnosis.runner.Diagnosis._args`` does it
in the sandbox): test_diagnosis_gallery diagnoses the gallery's dnn and rnn files with it, without a worker.

A student's backward takes caches in the student's own format, so its arguments are built by the
student's forward whenever that forward runs at all:
- the forward passes: ``build_args(case, forward)``; the expected result is ``reference_result(case)``;
- the forward runs but fails: ``build_args(case, forward, caches_only=True)`` (its caches, but the
  case's AL), and the expected result is the reference on THOSE arguments, ``reference_on(case, args)``;
- the forward raises: its callees may still make the caches through the course's code for the forward,
  ``course_with(link.forward, {callee: student's callee})``;
- nothing of the student's can make caches: ``case.args`` (the reference's, in the course's format).
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable

from shapecheck.diagnosis.assignments import by_function, contract
from shapecheck.diagnosis.cases import Case, forward_for
from shapecheck.diagnosis.mutants import course


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


def course_with(function: str, callees: dict[str, Callable], kind: str | None = None) -> Callable:
    """The course's code for ``function``, calling the given functions in place of its contract callees.

    For a student whose forward raises but whose callees run: ``course_with("L_model_forward",
    {"linear_activation_forward": student_function})`` makes caches in the student's own format.
    """
    code = course(function, kind)
    arities = {name: len(contract(name, kind).inputs) for name in callees}
    # the course's code passes its ``bug`` switch last: the given functions get the contract's arguments only
    wrapped = {name: (lambda *args, _f=f, _n=arities[name]: _f(*args[:_n])) for name, f in callees.items()}
    return functools.partial(type(code)(code.__code__, {**code.__globals__, **wrapped}, code.__name__, code.__defaults__))
