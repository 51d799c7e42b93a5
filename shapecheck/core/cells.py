"""Cells as places: where a piece of code lives when it runs in IPython or Jupyter, and the cell events.

A place in a notebook is the cell's execution count and the line in that cell, which is what the
notebook shows beside the cell (``In [5]``). Nothing here imports IPython: without a running shell
every answer is None and ``follow`` does nothing, so a script pays nothing.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, MutableMapping

from shapecheck.core.messages import msg

# --- where a piece of code lives ------------------------------------------------------------------


def shell():
    """The running IPython shell, or None (a plain script, a test)."""
    module = sys.modules.get("IPython")
    if module is None:
        return None
    try:
        return module.get_ipython()
    except Exception:  # noqa: BLE001 - an IPython that cannot say is no IPython
        return None


def cell_of(filename: str) -> int | None:
    """The execution count of the cell IPython compiled under ``filename``, or None when it is a file."""
    ip = shell()
    compiler = getattr(ip, "compile", None)
    mapping = getattr(compiler, "_filename_map", None)  # IPython >= 8: cell file -> execution count
    if not isinstance(mapping, dict):
        return None
    count = mapping.get(filename)
    return count if isinstance(count, int) else None


def cell_place(filename: str, line: int) -> str | None:
    """``cell [5], line 3`` for code run in a notebook cell; None for code from a file."""
    count = cell_of(filename)
    return None if count is None else msg("watch.cell_place", count=count, line=line)


def defined_in(function: Any) -> str | None:
    """Where a function was defined, when that is a notebook cell."""
    code = getattr(function, "__code__", None)
    return None if code is None else cell_place(code.co_filename, code.co_firstlineno)


def calling_cell(depth: int = 2) -> str | None:
    """The notebook cell (and line) that made the current call, skipping our own frames."""
    frame = sys._getframe(depth)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("shapecheck"):
        frame = frame.f_back
    return None if frame is None else cell_place(frame.f_code.co_filename, frame.f_lineno)


# --- watch follows the notebook -------------------------------------------------------------------

_FOLLOWED: dict[int, Any] = {}  # id(namespace) -> the post_run_cell callback that re-watches it


def is_user_namespace(namespace: MutableMapping) -> bool:
    ip = shell()
    return ip is not None and getattr(ip, "user_ns", None) is namespace


def follow(namespace: MutableMapping, again: Callable[[MutableMapping], Any]) -> None:
    """After every cell, ``again(namespace)``: sc.watch wraps a definition cell run again, or a new function."""
    ip = shell()
    if ip is None or id(namespace) in _FOLLOWED or not hasattr(ip, "events"):
        return

    def rewatch(result=None) -> None:
        again(namespace)

    ip.events.register("post_run_cell", rewatch)
    _FOLLOWED[id(namespace)] = rewatch


def stop_following(namespace: MutableMapping) -> None:
    callback = _FOLLOWED.pop(id(namespace), None)
    ip = shell()
    if callback is not None and ip is not None:
        try:
            ip.events.unregister("post_run_cell", callback)
        except ValueError:  # already gone (a reset shell)
            pass


def following(namespace: MutableMapping) -> bool:
    return id(namespace) in _FOLLOWED
