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


# --- one operand read in place of another ------------------------------------------------------------------
#
# The classic slip no list of mistakes can enumerate: a formula that reads another variable of the same shape
# (Z1 where A1 belongs, a_next for a_prev, grads["dW2"] in W1's update). Each is the course's code run with one
# array of the inputs (caches included) replaced by another array of the inputs of the same shape. Only inputs:
# a slip between two of the function's own intermediate values is a mutant's business (mistakes.py).

MAX_SWAPS = 60  # pairs of same-shaped inputs tried per case; a function with more (lstm_backward) is left out


def _leaves(value: Any, path: tuple, out: list, depth: int = 0) -> None:
    """Every float array of two or more values in ``value`` (dicts, tuples, lists), with its path."""
    if depth > 4:
        return
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and value.size >= 2 and np.all(np.isfinite(value)) and np.ptp(value) > 0:
            out.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _leaves(item, path + (key,), out, depth + 1)
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            _leaves(item, path + (index,), out, depth + 1)


@functools.lru_cache(maxsize=256)
def _unpacked(function: str, kind: str | None) -> dict[str, tuple[str, ...]]:
    """The names the course's code gives a tuple argument's entries: ``A_prev, W, b = linear_cache_of(cache)``
    and ``(Z1, A1, ...) = tuple(cache)`` name cache[0], cache[1], ... (argument -> names by position)."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(course(function, kind))))
    except (OSError, TypeError, SyntaxError):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple)):
            continue
        value = node.value
        if isinstance(value, ast.Call) and value.args:
            value = value.args[0]
        names = [t.id if isinstance(t, ast.Name) else None for t in node.targets[0].elts]
        if isinstance(value, ast.Name) and all(names):
            found.setdefault(value.id, tuple(names))
    return found


def _label(path: tuple, names: dict[str, tuple[str, ...]]) -> str:
    """What the student calls the array at ``path``: grads["dW2"] as grads['dW2'], cache[1] by its course name."""
    head, rest = str(path[0]), list(path[1:])
    if rest and isinstance(rest[0], int) and head in names and rest[0] < len(names[head]):
        head, rest = names[head][rest[0]], rest[1:]
    return head + "".join(f"[{key!r}]" if isinstance(key, str) else f"[{key}]" for key in rest)


def _replaced(args: Any, path: tuple, value: np.ndarray) -> Any:
    """A deep copy of ``args`` with the array at ``path`` (its first key indexes ``args``) replaced."""
    copied = copy.deepcopy(args)
    parents = [copied]
    for key in path[:-1]:
        parents.append(parents[-1][key])
    for depth in range(len(path) - 1, -1, -1):  # rebuild the tuples on the way up (they cannot be assigned into)
        container, key = parents[depth], path[depth]
        if isinstance(container, tuple):
            items = list(container)
            items[key] = value
            value = tuple(items)
        else:
            container[key] = value
            return copied
    return value


def operand_swaps(function: str, args: tuple, inputs: tuple[str, ...], kind: str | None = None,
                  stand_ins: dict[str, str] | None = None, global_seed: int | None = None) -> list[tuple[str, str, Any]]:
    """(what was read, where it belongs, the course's output) for each pair of same-shaped float arrays of
    ``args`` (``inputs``: the arguments' names), the first read in place of the second; none past MAX_SWAPS."""
    found: list = []
    for index, value in enumerate(args):
        _leaves(value, (index,), found)
    groups: dict[tuple, list] = {}
    for path, value in found:
        groups.setdefault(value.shape, []).append((path, value))
    pairs = [(meant, used) for group in groups.values() for meant in group for used in group
             if meant[0] != used[0] and not np.allclose(meant[1], used[1])]
    if not pairs or len(pairs) > MAX_SWAPS:
        return []
    names = _unpacked(function, kind)
    named = lambda path: _label((inputs[path[0]] if path[0] < len(inputs) else str(path[0]),) + path[1:], names)  # noqa: E731
    code = course_given(function, stand_ins or {}, kind)
    results = []
    state = np.random.get_state() if global_seed is not None else None
    try:
        with np.errstate(all="ignore"):
            for (meant, _), (used, value) in pairs:
                if global_seed is not None:
                    np.random.seed(global_seed)
                try:
                    output = code(*_replaced(tuple(args), meant, value.copy()))
                except Exception:  # noqa: BLE001 - a swap the course's code cannot run is no evidence
                    continue
                results.append((named(used), named(meant), output))
    finally:
        if state is not None:
            np.random.set_state(state)
    return results
