"""Symbolic dimensions: ``n0``, ``m``, ``T_x``, ``n_a + n_x``, ``4*units``, or plain integers.

A shape is a tuple of dims. Expressions are parsed with ``ast`` against a whitelist (names,
integers, ``+``, ``*``), never ``eval``-ed. Checking real arrays binds symbols to sizes
(unification); a symbol bound twice to different sizes is a conflict that names both places.
"""

from __future__ import annotations

import operator
from functools import cache
from typing import Mapping, NamedTuple, Union

from shapecheck.core.errors import ShapecheckError

Dim = Union[int, str]
Shape = tuple[Dim, ...]


def whole(value: object) -> int | None:
    """``value`` as an int when it is a whole number by type: an int, or an integer that says so through
    ``__index__`` (numpy's np.int64, from ``X.shape`` arithmetic or ``np.array(layer_dims)``); never a bool.
    None for anything else (a float, a string, an array): the caller says what was wrong."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # numpy's bool_ has no __index__: it is refused here too
    except TypeError:
        return None


@cache
def _parse(expression: str) -> "ast.expr":
    import ast  # only for expressions such as n_a + n_x: a plain name needs no parser (and start-up stays fast)

    tree = ast.parse(expression, mode="eval").body
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.Add, ast.Mult, ast.Name, ast.Load, ast.Constant)
        if not isinstance(node, allowed) or (
            isinstance(node, ast.Constant) and type(node.value) is not int
        ):
            raise ShapecheckError("check.bad_dimension", expression=expression)
    return tree


def symbols(dim: Dim) -> frozenset[str]:
    """The symbol names a dim mentions (none for an integer)."""
    if isinstance(dim, int):
        return frozenset()
    if dim.isidentifier():
        return frozenset((dim,))
    import ast

    return frozenset(n.id for n in ast.walk(_parse(dim)) if isinstance(n, ast.Name))


def evaluate(dim: Dim, env: Mapping[str, int]) -> int | None:
    """The dim's size under ``env``, or None while one of its symbols is unbound."""
    if isinstance(dim, int):
        return dim
    if dim.isidentifier():
        return env.get(dim)
    import ast

    def value(node: ast.expr) -> int | None:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return env.get(node.id)
        left, right = value(node.left), value(node.right)
        if left is None or right is None:
            return None
        return left + right if isinstance(node.op, ast.Add) else left * right

    return value(_parse(dim))


def resolve(shape: Shape, env: Mapping[str, int]) -> tuple[Dim, ...]:
    """Numbers where the symbols are bound, the symbolic text elsewhere."""
    out = []
    for dim in shape:
        size = evaluate(dim, env)
        out.append(dim if size is None else size)
    return tuple(out)


def show(shape: tuple) -> str:
    """Python's own tuple notation, which is what students see from ``.shape``: (5,) or (n1, n0)."""
    items = ", ".join(str(d) for d in shape)
    return f"({items},)" if len(shape) == 1 else f"({items})"


class Conflict(NamedTuple):
    symbol: str
    first_size: int
    first_place: str
    size: int
    place: str


class Bindings:
    """Symbol -> size, remembering where each binding came from (for the error message).

    A plain class: dims are on every command's start-up path, and a dataclass costs more to create."""

    def __init__(self, sizes: dict[str, int] | None = None, places: dict[str, str] | None = None) -> None:
        self.sizes: dict[str, int] = {} if sizes is None else sizes
        self.places: dict[str, str] = {} if places is None else places

    def __repr__(self) -> str:
        return f"Bindings(sizes={self.sizes!r}, places={self.places!r})"

    def bind(self, symbol: str, size: int, place: str) -> Conflict | None:
        if symbol not in self.sizes:
            self.sizes[symbol] = size
            self.places[symbol] = place
            return None
        if self.sizes[symbol] == size:
            return None
        return Conflict(symbol, self.sizes[symbol], self.places[symbol], size, place)

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.sizes.items())
