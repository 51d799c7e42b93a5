"""The one unifier: a symbolic shape against an array's shape, and what kind of misfit it is (stdlib).

``unify(expected, actual, env)`` gives the new bindings that make ``actual`` fit ``expected``
(a bare symbol binds to its size; one unknown of a linear dim such as ``n_a + n_x`` is solved for
it), or None when nothing can. ``classify`` says how a misfit misfits, as data (``Misfit``), never
as text: ``check_params``, ``watch`` and the recurrent functions' checks each word it for their reader.

>>> unify(("n_a", "n_a + n_x"), (5, 8), {"n_a": 5})
{'n_x': (3, 1)}
>>> classify(("n1", 1), (4,), {"n1": 4}).kind, classify(("n1", "n0"), (3, 4), {"n0": 3, "n1": 4}).kind
('rank1_column', 'transposed')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from shapecheck.core.dims import Dim, evaluate, symbols


def is_symbol(dim: object) -> bool:
    return isinstance(dim, str) and dim.isidentifier()


def solve(dim: str, size: int, env: Mapping[str, int]) -> tuple[str, int] | None | bool:
    """The one unbound symbol of a linear expression such as ``n_a + n_x``, solved for ``size``.

    True when the expression cannot be checked yet (two unknowns), None when no size fits.
    """
    unknown = sorted(symbols(dim) - set(env))
    if len(unknown) != 1:
        return True
    symbol = unknown[0]
    at0, at1 = evaluate(dim, {**env, symbol: 0}), evaluate(dim, {**env, symbol: 1})
    slope = at1 - at0
    if slope <= 0:
        return True
    value, rest = divmod(size - at0, slope)
    return None if rest or value < 1 else (symbol, value)


def unify(expected: tuple[Dim, ...], actual: tuple[int, ...], env: Mapping[str, int]) -> dict[str, tuple[int, int]] | None:
    """The new bindings (symbol -> (size, axis)) that make ``actual`` fit ``expected`` under ``env``, or None."""
    if len(expected) != len(actual):
        return None
    env, new, pending = dict(env), {}, []
    for axis, (dim, size) in enumerate(zip(expected, actual)):
        value = dim if isinstance(dim, int) else env.get(dim)  # the common cases, without parsing
        if value is None and not is_symbol(dim):
            value = evaluate(dim, env)
            if value is None:
                pending.append((axis, dim, size))  # an expression such as n_a + n_x: after the plain symbols
                continue
        if value is None:
            env[dim], new[dim] = size, (size, axis)
        elif value != size:
            return None
    for axis, dim, size in pending:
        value = evaluate(dim, env)
        if value is not None:
            if value != size:
                return None
            continue
        solved = solve(dim, size, env)
        if solved is None:
            return None
        if solved is not True:
            symbol, n = solved
            env[symbol], new[symbol] = n, (n, axis)
    return new


@dataclass(frozen=True)
class Misfit:
    """How ``actual`` misses ``expected``.

    ``kind``: "rank1_column" (a column such as b (n, 1) came as rank-1 (n,)), "rank1_row" (a row
    (1, m) came as (m,)), "rank1" (another 2-D array came rank-1), "rank" (another rank),
    "row_for_column" (a column came as a row), "transposed" (it fits once transposed),
    "conflict" (a bound symbol has another size here), "gate_columns" (an LSTM gate's n_a + n_x
    columns do not fit) or "mismatch". ``axis`` and ``symbol`` say where, when there is one place.
    """

    kind: str
    axis: int | None = None
    symbol: str | None = None
    bound: tuple[tuple[str, int], ...] = ()  # the sizes read off the axes before ``axis``, with ``env``


def classify(expected: tuple[Dim, ...], actual: tuple[int, ...], env: Mapping[str, int]) -> Misfit:
    """What kind of misfit ``actual`` is, for an ``expected`` that ``unify`` could not fit under ``env``."""
    if len(actual) != len(expected):
        if len(actual) == 1 and len(expected) == 2:
            if expected[1] == 1:
                return Misfit("rank1_column")
            return Misfit("rank1_row" if expected[0] == 1 else "rank1")
        return Misfit("rank")
    if len(actual) == 2 and actual[0] != actual[1] and unify(expected, actual[::-1], env) is not None:
        return Misfit("row_for_column" if expected[1] == 1 else "transposed")
    bound = dict(env)
    for axis, (dim, size) in enumerate(zip(expected, actual)):
        value = evaluate(dim, bound)
        if value is None and is_symbol(dim):
            bound[dim] = size
        elif value is not None and value != size:
            break
    else:  # only an expression failed to solve
        axis = next(i for i, d in enumerate(expected) if not isinstance(d, int) and not is_symbol(d))
    dim = expected[axis]
    if is_symbol(dim) and dim in env:
        return Misfit("conflict", axis, dim, tuple(bound.items()))
    if isinstance(dim, str) and {"n_a", "n_x"} <= symbols(dim):
        return Misfit("gate_columns", axis, None, tuple(bound.items()))
    return Misfit("mismatch", axis, None, tuple(bound.items()))
