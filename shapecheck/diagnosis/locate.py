"""Which of the student's lines produced an output: read from the syntax of their function, here.

A finding about a value or a shape points at the line that made it: the assignment of that output
(``dW = ...``, ``parameters["W" + str(l)] = ...``), or the ``return`` when the value is made there.
Everything is read from the student's source with ``ast`` in the trusted process; nothing the
sandbox's worker says is needed (SECURITY.md).

    >>> import ast
    >>> tree = ast.parse("def f(A):\\n    dW = A.T\\n    db = 1\\n    return dW, db\\n")
    >>> line_of(function_node(tree, "f"), ("dW", "db"), "dW")
    2
    >>> line_of(function_node(tree, "f"), ("dW", "db"), "db")
    3
"""

from __future__ import annotations

import ast
import re
from typing import Iterator, Sequence

_LAYER_KEY = re.compile(r"^([A-Za-z_]+?)(\d+)$")
_QUALIFIED = re.compile(r"^([A-Za-z_]\w*)\[(.+)\]$")  # v[dW1]: a key of one output among several
_BATCH = re.compile(r"^mini_batch_[XY]\d+$")


def function_node(tree: ast.Module | None, name: str) -> ast.FunctionDef | None:
    """The last top-level definition of ``name`` (the one a notebook or a script ends up with)."""
    found = None
    for node in tree.body if tree is not None else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            found = node
    return found


def _own(node: ast.AST) -> Iterator[ast.AST]:
    """The function's own statements and expressions, not those of functions defined inside it."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield child
        yield from _own(child)


def _assigned_names(target: ast.AST) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _assigned_names(element)
    elif isinstance(target, ast.Starred):
        yield from _assigned_names(target.value)


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
        return [node.target]
    if isinstance(node, ast.NamedExpr):
        return [node.target]
    return []


def _returns(function: ast.FunctionDef) -> list[ast.Return]:
    return [n for n in _own(function) if isinstance(n, ast.Return) and n.value is not None]


def _assignments_of(function: ast.FunctionDef, name: str, before: int | None = None) -> list[int]:
    """Lines that bind ``name`` (plainly: ``name = ...``, ``a, name = ...``, ``name += ...``)."""
    lines = []
    for node in _own(function):
        if any(name in _assigned_names(t) for t in _targets(node)):
            lines.append(node.lineno)
        elif isinstance(node, (ast.For, ast.comprehension)) and name in _assigned_names(node.target):
            lines.append(getattr(node, "lineno", None) or node.target.lineno)
    return sorted(l for l in lines if before is None or l <= before)


def _key_text(key: ast.AST) -> tuple[str, bool]:
    """A subscript key as (its constant text, whether that is the whole key): "W1" -> ("W1", True),
    "W" + str(l) or f"W{l}" -> ("W", False)."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value, True
    if isinstance(key, ast.BinOp) and isinstance(key.op, ast.Add):
        text, whole = _key_text(key.left)
        return text, False if text else whole
    if isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant):
        return str(key.values[0].value), len(key.values) == 1
    if isinstance(key, ast.Call) and isinstance(key.func, ast.Attribute) and key.func.attr == "format" \
            and isinstance(key.func.value, ast.Constant) and isinstance(key.func.value.value, str):
        return key.func.value.value.split("{")[0], False
    return "", False


def _key_matches(key: ast.AST, wanted: str) -> int:
    """2: the key is exactly ``wanted``; 1: it is ``wanted``'s stem plus a layer number ("W" + str(l) for W3); 0: no."""
    text, whole = _key_text(key)
    if whole:
        return 2 if text == wanted else 0
    layer = _LAYER_KEY.match(wanted)
    stem = layer.group(1) if layer else wanted
    return 1 if text and text == stem else 0


def _entry_lines(function: ast.FunctionDef, name: str | None, key: str) -> list[int]:
    """Lines that set the entry ``key`` of the dict ``name`` (any dict when ``name`` is None), best match first."""
    exact, stems = [], []
    for node in _own(function):
        for target in _targets(node):
            for sub in ast.walk(target):
                if isinstance(sub, ast.Subscript) and (name is None or isinstance(sub.value, ast.Name) and sub.value.id == name):
                    match = _key_matches(sub.slice, key)
                    (exact if match == 2 else stems if match == 1 else []).append(node.lineno)
    return sorted(exact) or sorted(stems)


_SHAPERS = frozenset({"np", "numpy", "float", "int", "squeeze", "item", "reshape", "array", "asarray", "sum", "mean"})


def _only_reshapes(expression: ast.AST, name: str) -> bool:
    """``expression`` only reshapes or converts ``name`` (np.squeeze(cost), float(cost), cost.item()): the
    value was made where ``name`` was bound before."""
    names = {n.id for n in ast.walk(expression) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(expression) if isinstance(n, ast.Attribute)}
    return name in names and names <= _SHAPERS | {name} and attributes <= _SHAPERS and \
        not any(isinstance(n, ast.BinOp) for n in ast.walk(expression))


def _statement_at(function: ast.FunctionDef, line: int) -> ast.AST | None:
    return next((n for n in _own(function) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and n.lineno == line), None)


def _fills(function: ast.FunctionDef, name: str, after: int, before: int) -> list[int]:
    """Lines between ``after`` and ``before`` that fill ``name`` in: ``name[...] = ...``, ``name.append(...)``."""
    lines = []
    for node in _own(function):
        if not after < getattr(node, "lineno", 0) <= before:
            continue
        if any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name for t in _targets(node)):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend") \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            lines.append(node.lineno)
    return sorted(lines)


def _origin(function: ast.FunctionDef, expression: ast.AST, key: str | None, at: int) -> int:
    """The line that made ``expression`` (returned at line ``at``), or ``at`` itself."""
    if isinstance(expression, ast.Call) and len(expression.args) == 1 and isinstance(expression.args[0], ast.Name) \
            and _only_reshapes(expression, expression.args[0].id):
        expression = expression.args[0]  # return float(cost), return np.squeeze(cost)
    if isinstance(expression, ast.Name):
        if key is not None:
            entries = _entry_lines(function, expression.id, key)
            if entries:
                return entries[-1]
        bound = _assignments_of(function, expression.id, before=at)
        statement = _statement_at(function, bound[-1]) if bound else None
        if key is not None and isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Dict):
            return _origin(function, statement.value, key, bound[-1])  # grads = {"dw": dw, ...}: where dw was made
        while len(bound) > 1:  # cost = np.squeeze(cost): the value was made the line before
            statement = _statement_at(function, bound[-1])
            if not (isinstance(statement, ast.Assign) and _only_reshapes(statement.value, expression.id)):
                break
            bound.pop()
        if not bound:
            return at
        filled = _fills(function, expression.id, bound[-1], at)  # a = np.zeros(...); a[:, :, t] = a_next
        return filled[-1] if filled else bound[-1]
    if isinstance(expression, ast.Dict) and key is not None:
        for k, v in zip(expression.keys, expression.values):
            if k is not None and _key_matches(k, key):
                return _origin(function, v, None, getattr(v, "lineno", at)) if isinstance(v, ast.Name) else v.lineno
    return getattr(expression, "lineno", at)


def line_of(function: ast.FunctionDef | None, outputs: Sequence[str], tensor: str | None) -> int | None:
    """The line that produced the output ``tensor`` (an output's name, a key of the dict it returns, or
    ``output[key]``); ``outputs`` are the contract's output names in order. None without a function."""
    if function is None:
        return None
    returns = _returns(function)
    if not returns:
        return function.lineno
    last = returns[-1]
    outputs = list(outputs)
    index, key = 0, None
    qualified = _QUALIFIED.match(tensor or "")
    if tensor in outputs:
        index = outputs.index(tensor)
    elif qualified and qualified.group(1) in outputs:
        index, key = outputs.index(qualified.group(1)), qualified.group(2)
    elif tensor and not _BATCH.match(tensor):
        key = tensor  # an entry of the one dict the function returns
    value = last.value
    if tensor is None:  # about the whole return (None, a tuple of the wrong length or order)
        return last.lineno
    if len(outputs) > 1 and isinstance(value, (ast.Tuple, ast.List)) and index < len(value.elts):
        value = value.elts[index]
    line = _origin(function, value, key, last.lineno)
    if line == last.lineno and key is not None and not isinstance(value, (ast.Name, ast.Dict)):
        entries = _entry_lines(function, None, key)  # returned through a call or a comprehension
        return entries[-1] if entries else line
    return line


def mutation_line(function: ast.FunctionDef | None, argument: str, tree: ast.Module | None = None, depth: int = 0) -> int | None:
    """The first line that writes into the argument ``argument`` (``A[A < 0] = 0``, ``W -= ...``,
    ``parameters["W1"] -= ...``), also inside the file's own functions it is handed to (``relu_backward(dA,
    cache)``); else the ``def`` line."""
    if function is None:
        return None
    found = _writes_into(function, argument)
    if found is None and tree is not None and depth < 3:
        for call in (n for n in _own(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)):
            callee = function_node(tree, call.func.id)
            if callee is None or callee is function:
                continue
            parameters = [a.arg for a in callee.args.posonlyargs + callee.args.args]
            for position, given in enumerate(call.args):
                if isinstance(given, ast.Name) and given.id == argument and position < len(parameters):
                    inner = _writes_into(callee, parameters[position])
                    if inner is not None:
                        return inner
    return found if found is not None else function.lineno


def _writes_into(function: ast.FunctionDef, argument: str) -> int | None:
    names = {argument}  # and its aliases: dZ = dA; dZ[Z <= 0] = 0 writes into dA
    for node in sorted((n for n in _own(function) if hasattr(n, "lineno")), key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in names:
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            continue
        for target in _targets(node):
            root = target
            while isinstance(root, (ast.Subscript, ast.Attribute)):
                root = root.value
            if isinstance(root, ast.Name) and root.id in names and (root is not target or isinstance(node, ast.AugAssign)):
                return node.lineno
        if isinstance(node, ast.Call) and any(isinstance(k, ast.keyword) and k.arg == "out" for k in node.keywords):
            return node.lineno
    return None
