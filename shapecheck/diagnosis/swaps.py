"""One variable read in place of another of the same shape: the course's code with that one slip, run on a case.

The classic slip no list of mistakes can enumerate: a formula that reads another variable of the same shape
(``Z1`` where ``A1`` belongs, ``a_prev`` for ``a_next``, ``A_prev`` for ``A``, ``grads["dW2"]`` in W1's update).
numpy raises nothing, so only the numbers can tell. Two families, both run on the course's own code (the
plug-in's course.py, trusted):

- an *input* read in place of another input of its shape, everywhere (``operand_swaps``): one array of the
  arguments, caches included, replaced by another;
- one *occurrence* of a variable in the function's code read as another variable of its shape, or as an
  input array of its shape (``occurrence_swaps``): the function's source with that one name changed.

Each gives (what was read, where it belongs, the output). compare keeps those whose output is the student's
whole output, and not the reference's; hints.py names the first.

    >>> from shapecheck.diagnosis.cases import cases_for
    >>> case = cases_for("backward_propagation", kind="planar")[0]
    >>> ("cache['Z1']", "A1") in [(used, meant) for used, meant, _ in occurrence_swaps("backward_propagation", case.fresh_args(),
    ...                                                     ("parameters", "cache", "X", "Y"), "planar")]
    True
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
import sys
import textwrap
from typing import Any

import numpy as np

from shapecheck.diagnosis.mutants import course, course_given, course_stream

MAX_SWAPS = 60  # input pairs tried per case; a function with more (lstm_backward) is left out
MAX_OCCURRENCES = 400  # occurrence variants tried per case


# --- the inputs ------------------------------------------------------------------------------------------


def _leaves(value: Any, path: tuple, out: list, depth: int = 0) -> None:
    """Every float array of two or more values, not constant, in ``value`` (dicts, tuples, lists), with its path."""
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


def _input_leaves(args: tuple, inputs: tuple[str, ...]) -> list[tuple[tuple, np.ndarray]]:
    """(path, array) of every array in the arguments; a path starts with the argument's name."""
    found: list = []
    for index, value in enumerate(args):
        _leaves(value, (inputs[index] if index < len(inputs) else f"arg{index}",), found)
    return found


def input_arrays(function: str, args: tuple, inputs: tuple[str, ...], kind: str | None = None) -> list[tuple[str, tuple]]:
    """(name, shape) of every array the arguments hold (caches included), named as the course's code names them."""
    names = _unpacked(function, kind)
    return [(_label(path, names), value.shape) for path, value in _input_leaves(args, inputs)]


@functools.lru_cache(maxsize=256)
def _source(function: str, kind: str | None) -> ast.FunctionDef | None:
    """The course's code of ``function`` with no mistake switched on, parsed (None when it cannot be read)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(course(function, kind))))
    except (OSError, TypeError, SyntaxError):
        return None
    node = tree.body[0] if tree.body else None
    return ast.fix_missing_locations(_NoBug().visit(node)) if isinstance(node, ast.FunctionDef) else None


@functools.lru_cache(maxsize=256)
def _unpacked(function: str, kind: str | None) -> dict[str, tuple[str, ...]]:
    """The names the course's code gives a tuple argument's entries: ``A_prev, W, b = linear_cache_of(cache)``
    and ``(Z1, A1, ...) = tuple(cache)`` name cache[0], cache[1], ... (argument -> names by position)."""
    tree = _source(function, kind)
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(tree) if tree is not None else ():
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
    """What the student calls the array at ``path``: grads['dW2'], and cache[1] by the course's name for it."""
    head, rest = str(path[0]), list(path[1:])
    if rest and isinstance(rest[0], int) and head in names and rest[0] < len(names[head]):
        head, rest = names[head][rest[0]], rest[1:]
    return head + "".join(f"[{key!r}]" if isinstance(key, str) else f"[{key}]" for key in rest)


def _replaced(args: tuple, path: tuple, value: np.ndarray) -> tuple:
    """A deep copy of ``args`` with the array at ``path`` (its first key indexes ``args``) replaced."""
    copied = list(copy.deepcopy(args))
    parents: list = [copied]
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
            break
    return tuple(copied)


def _run(code, args: tuple, global_seed: int | None) -> Any:
    """``code(*args)`` on a copy, after the case's global seed; None when it raises (no evidence then)."""
    if global_seed is not None:
        np.random.seed(global_seed)
    try:
        with np.errstate(all="ignore"):
            return code(*copy.deepcopy(args))
    except Exception:  # noqa: BLE001 - a slip the course's code cannot run on these sizes is no evidence
        return None


def _operand_swaps(function: str, args: tuple, inputs: tuple[str, ...], kind: str | None,
                   stand_ins: dict[str, str] | None, global_seed: int | None) -> list[tuple[str, str, Any]]:
    groups: dict[tuple, list] = {}
    for path, value in _input_leaves(args, inputs):
        groups.setdefault(value.shape, []).append((path, value))
    pairs = [(meant, used) for group in groups.values() for meant in group for used in group
             if meant[0] != used[0] and not np.allclose(meant[1], used[1])]
    if not pairs or len(pairs) > MAX_SWAPS:
        return []
    names = _unpacked(function, kind)
    code = course_given(function, stand_ins or {}, kind)
    positions = {name: index for index, name in enumerate(inputs)}
    results = []
    for (meant, _), (used, value) in pairs:
        path = (positions.get(meant[0], 0),) + meant[1:]
        output = _run(code, _replaced(args, path, value.copy()), global_seed)
        if output is not None:
            results.append((_label(used, names), _label(meant, names), output))
    return results


# --- one occurrence ------------------------------------------------------------------------------------


def _final_locals(code, args: tuple, global_seed: int | None) -> dict[str, Any]:
    """The course function's local variables when it returns, on a copy of ``args``."""
    target = getattr(code, "func", code).__code__
    seen: dict[str, Any] = {}

    def trace(frame, event, arg):
        if frame.f_code is not target:
            return None
        if event == "return":
            seen.update(frame.f_locals)
        return trace

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: trace if frame.f_code is target else None)
    try:
        _run(code, args, global_seed)
    finally:
        sys.settrace(previous)
    return seen


def _expression(path: tuple) -> ast.expr:
    """cache['Z1'] or cache[0] as an expression (a path that starts with an argument's name)."""
    node: ast.expr = ast.Name(path[0], ast.Load())
    for key in path[1:]:
        node = ast.Subscript(node, ast.Constant(key), ast.Load())
    return node


class _Reads(ast.NodeVisitor):
    """The Name loads of a function body, in order, outside the ``bug`` switches' tests."""

    def __init__(self):
        self.found: list[ast.Name] = []

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.found.append(node)

    def visit_Call(self, node: ast.Call) -> None:  # a called name (np, sigmoid) is no operand; its arguments are
        if not isinstance(node.func, ast.Name):
            self.visit(node.func)
        for item in node.args + [k.value for k in node.keywords]:
            self.visit(item)


class _NoBug(ast.NodeTransformer):
    """The course's code with its mistake switches resolved for ``bug=None``: ``if bug == ...`` keeps its
    else branch, ``x if bug == ... else y`` its y (a read in a dead branch would change nothing)."""

    @staticmethod
    def _value(test: ast.expr) -> bool | None:
        names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)}
        if names != {"bug"} or any(isinstance(n, ast.Call) for n in ast.walk(test)):
            return None
        try:
            return bool(eval(compile(ast.Expression(test), "<bug>", "eval"), {"__builtins__": {}}, {"bug": None}))  # noqa: S307
        except Exception:  # noqa: BLE001
            return None

    def visit_If(self, node: ast.If) -> Any:
        value = self._value(node.test)
        self.generic_visit(node)
        if value is None:
            return node
        kept = node.body if value else node.orelse
        return kept or ast.Pass()

    def visit_IfExp(self, node: ast.IfExp) -> Any:
        value = self._value(node.test)
        self.generic_visit(node)
        return node if value is None else (node.body if value else node.orelse)


def _compiled(tree: ast.FunctionDef, code) -> Any:
    """The function ``tree`` defines, in the course code's globals (the case's stand-ins included)."""
    plain = getattr(code, "func", code)
    module = ast.fix_missing_locations(ast.Module([tree], []))
    namespace = dict(plain.__globals__)
    exec(compile(module, plain.__code__.co_filename, "exec"), namespace)  # noqa: S102 - our own course code
    made = namespace[tree.name]
    return functools.partial(made, *code.args, **code.keywords) if isinstance(code, functools.partial) else made


def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    """id(node) -> (parent, field, index in the field's list or None), for putting one node back."""
    found = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        found[id(item)] = (parent, name, index)
            elif isinstance(value, ast.AST):
                found[id(value)] = (parent, name, None)
    return found


@functools.lru_cache(maxsize=4096)
def _variant_code(function: str, kind: str | None, position: int, label: str, path: tuple | None):
    """The compiled module defining the course's ``function`` with its ``position``-th operand read replaced by
    ``label`` (a variable) or the input array at ``path``; None when it does not compile."""
    tree = _source(function, kind)  # shared: changed for this one compile and put back (callers hold course_stream's lock)
    reads = _reads(function, kind)
    node = reads[position]
    parent, field, index = _parents(tree)[id(node)]
    replacement = _expression(path) if path is not None else ast.Name(label, ast.Load())
    ast.fix_missing_locations(ast.copy_location(replacement, node))
    for child in ast.walk(replacement):
        ast.copy_location(child, node)
    try:
        if index is None:
            setattr(parent, field, replacement)
        else:
            getattr(parent, field)[index] = replacement
        return compile(ast.Module([tree], []), f"<course {function}: {label} for {node.id}>", "exec")
    except (SyntaxError, ValueError, TypeError):
        return None
    finally:
        if index is None:
            setattr(parent, field, node)
        else:
            getattr(parent, field)[index] = node


@functools.lru_cache(maxsize=256)
def _reads(function: str, kind: str | None) -> tuple[ast.Name, ...]:
    reads = _Reads()
    for statement in _source(function, kind).body:
        reads.visit(statement)
    return tuple(reads.found)


def _made(module_code, name: str, code) -> Any:
    """The function a variant's module defines, in the course code's globals (the case's stand-ins included)."""
    plain = getattr(code, "func", code)
    namespace = dict(plain.__globals__)
    exec(module_code, namespace)  # noqa: S102 - our own course code, one name changed
    made = namespace[name]
    return functools.partial(made, *code.args, **code.keywords) if isinstance(code, functools.partial) else made


def _occurrence_swaps(function: str, args: tuple, inputs: tuple[str, ...], kind: str | None,
                      stand_ins: dict[str, str] | None, global_seed: int | None) -> list[tuple[str, str, Any]]:
    tree = _source(function, kind)
    if tree is None:
        return []
    code = course_given(function, stand_ins or {}, kind)
    final = {name: value for name, value in _final_locals(code, args, global_seed).items()
             if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size >= 2}
    names = _unpacked(function, kind)
    candidates: dict[tuple, list[tuple[str, tuple | None, np.ndarray]]] = {}
    for name, value in final.items():
        candidates.setdefault(value.shape, []).append((name, None, value))
    for path, value in _input_leaves(args, inputs):
        if len(path) > 1 and not (path[0] in names and isinstance(path[1], int)):  # unpacked entries are locals already
            candidates.setdefault(value.shape, []).append((_label(path, names), path, value))
    variants = []
    for position, node in enumerate(_reads(function, kind)):
        value = final.get(node.id)
        if value is None:
            continue
        for label, path, other in candidates.get(value.shape, ()):
            if label != node.id and not np.allclose(other, value):
                variants.append((position, node.id, label, path))
    if len(variants) > MAX_OCCURRENCES:
        return []
    results = []
    for position, meant, label, path in variants:
        module_code = _variant_code(function, kind, position, label, path)
        if module_code is None:
            continue
        output = _run(_made(module_code, tree.name, code), args, global_seed)
        if output is not None:
            results.append((label, meant, output))
    return results


def operand_swaps(function: str, args: tuple, inputs: tuple[str, ...], kind: str | None = None,
                  stand_ins: dict[str, str] | None = None, global_seed: int | None = None) -> list[tuple[str, str, Any]]:
    """(what was read, where it belongs, the course's output) for each pair of same-shaped arrays of ``args``,
    the first read in place of the second everywhere; none past MAX_SWAPS pairs. The global stream is the
    calls' alone (``course_stream``)."""
    with course_stream():
        return _operand_swaps(function, args, inputs, kind, stand_ins, global_seed)


def occurrence_swaps(function: str, args: tuple, inputs: tuple[str, ...], kind: str | None = None,
                     stand_ins: dict[str, str] | None = None, global_seed: int | None = None) -> list[tuple[str, str, Any]]:
    """(what was read, where it belongs, the course's output) for each read of a variable in the course's code
    of ``function`` replaced by another variable, or an input array, of the same shape (shapes as the function
    returns); none past MAX_OCCURRENCES variants. The global stream is the calls' alone (``course_stream``)."""
    with course_stream():
        return _occurrence_swaps(function, args, inputs, kind, stand_ins, global_seed)
