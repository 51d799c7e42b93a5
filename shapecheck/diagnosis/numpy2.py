"""Code written for the course's numpy 1 that numpy 2 refuses: found, said apart from real mistakes.

The course's notebooks ran numpy 1. numpy 2 removed spellings (``np.float``, ``np.asscalar``,
``np.product``, ``np.Inf`` ...), refuses ``float()`` of an array with dimensions even when it holds one
value (a (1, 1) cost), and raises on ``np.array(x, copy=False)`` when a copy is needed. The sandbox's
worker runs the student's code with numpy 1's meaning of these (worker.NUMPY1), so each function is
judged on its mathematics; this module finds every use in the source (``ast``, here, in the trusted
process) and says, for each: the line, that numpy 1 accepted it, and the numpy-2 spelling. These are
warnings: the code is right in the course's environment and fails only on numpy 2, so ``passed`` and
a grade do not count them. What cannot be given numpy 1's meaning (a one-element array stored into an
element of another array) still raises, and its hint names numpy 2 (``exception_hint``).

    >>> import ast
    >>> [(u.line, u.old, u.new) for u in spellings(ast.parse("import numpy as np\\nx = np.float(3) + np.Inf"))]
    [(2, 'np.float', 'float'), (2, 'np.Inf', 'np.inf')]
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from shapecheck.core.messages import msg
from shapecheck.diagnosis.worker import AUGMENTED, NUMPY1, SCALAR_CALLS, module_names
from shapecheck.validate.params import Problem

HINT_ID = "numpy2"
# the removed spellings this numpy lacks (numpy 2 brought np.bool back, as numpy.bool_: it is not one of them)
def _removed() -> frozenset:
    import warnings

    with warnings.catch_warnings():  # np.object, np.str: "in the future ... will be defined" while absent
        warnings.simplefilter("ignore")
        return frozenset(name for name in NUMPY1 if not hasattr(np, name))


REMOVED = _removed()


@dataclass(frozen=True)
class Use:
    line: int
    old: str  # as written: np.float, float(cost)
    new: str  # the numpy-2 spelling
    column: int = 0
    shape: str = ""  # float()/int(): the one-element array's shape(s), as the worker saw them
    kind: str = "spelling"  # spelling | scalar (one number taken from the array) | item (stored into an element)


def _numpy_names(tree: ast.Module) -> tuple[set[str], dict[str, str]]:
    """The names the file binds to numpy (``import numpy as np``), and removed names it imports from it."""
    modules, imported = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "numpy")
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy":
            imported.update({a.asname or a.name: a.name for a in node.names if a.name in REMOVED})
    return modules, imported


def spellings(tree: ast.Module | None) -> list[Use]:
    """Every use of a spelling numpy 2 removed, and ``np.array(..., copy=False)``, in file order."""
    if tree is None:
        return []
    modules, imported = _numpy_names(tree)
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                and node.attr in REMOVED:
            uses.append(Use(node.lineno, f"{node.value.id}.{node.attr}", NUMPY1[node.attr][0], node.col_offset))
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy":
            uses.extend(Use(node.lineno, f"from numpy import {a.name}", NUMPY1[a.name][0]) for a in node.names if a.name in imported.values())
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "array" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id in modules \
                and any(k.arg == "copy" and isinstance(k.value, ast.Constant) and k.value.value is False for k in node.keywords):
            uses.append(Use(node.lineno, f"{node.func.value.id}.array(..., copy=False)", f"{node.func.value.id}.asarray(...)",
                            node.col_offset))
    return sorted(set(uses), key=lambda u: (u.line, u.column))


def shapes_text(ndims) -> str:
    """"(1, 1, 1)" for ndim 3; several shapes seen on one line joined with " or "."""
    return " or ".join("(" + ", ".join(["1"] * n) + ("," if n == 1 else "") + ")" for n in sorted(set(ndims)))


def _item_of(code: str, node: ast.AST) -> str:
    """``node``'s source followed by .item(), in brackets unless it ends in a name, a call or an index."""
    text = ast.get_source_segment(code, node) or "x"
    bare = isinstance(node, (ast.Name, ast.Call, ast.Attribute, ast.Subscript)) and text.isprintable()
    return f"{text if bare else f'({text})'}.item()"


def _is_math(func: ast.AST, modules: set[str], functions: set[str]) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules \
        or isinstance(func, ast.Name) and func.id in functions


def scalar_calls(lines, tree: ast.Module | None, code: str, ndims=()) -> list[Use]:
    """One number taken from a one-element array with dimensions, at the lines the worker reported: float(x),
    int(x), np.float(x), np.int(x), or a math function's argument (math.sqrt(np.dot(d.T, d))); kept only where
    the source makes such a call on that line (the worker's numbers are data, not facts). ``ndims``: (line,
    ndim) pairs, so the warning names the array's real shape ((1, 1, 1) for conv's b)."""
    wanted = set(lines)
    seen: dict[int, list[int]] = {}
    for line, ndim in ndims:
        seen.setdefault(line, []).append(ndim)
    numpy_modules, _ = module_names(tree.body, "numpy") if tree is not None else (set(), set())
    math_modules, math_functions = module_names(tree.body, "math") if tree is not None else (set(), set())
    uses = []
    for node in ast.walk(tree) if tree is not None and wanted else ():
        if not (isinstance(node, ast.Call) and node.lineno in wanted and node.args):
            continue
        func, old = node.func, ast.get_source_segment(code, node) or ""
        scalar = func.id if isinstance(func, ast.Name) and func.id in SCALAR_CALLS else \
            func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id in numpy_modules and func.attr in SCALAR_CALLS else None
        if scalar and len(node.args) == 1:
            new = _item_of(code, node.args[0]) if scalar == "float" else f"int({_item_of(code, node.args[0])})"
        elif _is_math(func, math_modules, math_functions) and not (
                isinstance(node.args[0], ast.Call) and _is_math(node.args[0].func, math_modules, math_functions)):
            # the array is the first argument of the math functions the course uses (sqrt, exp, log(x, base), pow);
            # math.exp(math.log(c)): the outer call took a number, whatever the line's inner call took
            rest = [ast.get_source_segment(code, a) or "" for a in node.args[1:]]
            new = f"{ast.get_source_segment(code, func)}({', '.join([_item_of(code, node.args[0]), *rest])})"
        else:
            continue
        uses.append(Use(node.lineno, old, new, node.col_offset, shapes_text(seen.get(node.lineno, ())), "scalar"))
    return sorted(set(uses), key=lambda u: (u.line, u.column))


def item_stores(lines, tree: ast.Module | None, code: str) -> list[Use]:
    """``x[i] = value`` (or ``x[i] += value``) where value was a one-element array with dimensions, at the lines
    the worker reported: kept only where the source stores into a subscript on that line."""
    wanted = set(lines)
    symbols = {operation: symbol for operation, symbol in zip(AUGMENTED.values(), ("+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"))}
    uses = []
    for node in ast.walk(tree) if tree is not None and wanted else ():
        if isinstance(node, ast.Assign) and node.lineno in wanted and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Subscript):
            target, sign = node.targets[0], "="
        elif isinstance(node, ast.AugAssign) and node.lineno in wanted and isinstance(node.target, ast.Subscript) \
                and type(node.op) in AUGMENTED:
            target, sign = node.target, symbols[AUGMENTED[type(node.op)]] + "="
        else:
            continue
        stored = ast.get_source_segment(code, target) or "x[i]"
        value = ast.get_source_segment(code, node.value) or "value"
        uses.append(Use(node.lineno, f"{stored} {sign} {value}", f"{stored} {sign} {_item_of(code, node.value)}",
                        node.col_offset, kind="item"))
    return sorted(set(uses), key=lambda u: (u.line, u.column))


def combined(spelled: list[Use], taken: list[Use], stored: list[Use]) -> list[Use]:
    """Every use once, in file order: np.float(cost) of a (1, 1) cost is one warning, with its whole numpy-2
    spelling (cost.item()), not also the spelling's alone (float, which numpy 2 refuses there too)."""
    calls = {(u.line, u.column) for u in taken}
    return sorted([u for u in spelled if (u.line, u.column) not in calls] + taken + stored, key=lambda u: (u.line, u.column))


def findings(uses: list[Use], where) -> list[Problem]:
    """One warning per use; ``where(line)`` says where a line is in the student's terms."""
    problems = []
    for use in uses:
        key = {"scalar": "diagnose.numpy2_scalar", "item": "diagnose.numpy2_item"}.get(use.kind, "diagnose.numpy2_spelling")
        shape = msg("diagnose.numpy2_shape", shape=use.shape) if use.shape else msg("diagnose.numpy2_shape_unknown")
        problems.append(Problem("numpy2", None, use.new, use.old, msg(key, where=where(use.line), old=use.old, new=use.new, shape=shape),
                                msg("diagnose.numpy2_fix", old=use.old, new=use.new), hint_id=HINT_ID, line=use.line))
    return problems
