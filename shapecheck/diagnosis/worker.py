"""The sandbox's worker process: runs one student's code, one statement or one call at a time.

Started by ``sandbox.Sandbox`` as ``python -m shapecheck.diagnosis.worker FD MEMORY``, in its own
session and a scratch directory, with a memory limit. Requests and replies are pickled over the socket
FD. A soft time limit (SIGALRM) stops a loop with the student's line number; the parent kills the
whole process group when even that does not come back (a loop inside C code).
"""

from __future__ import annotations

import ast
import copy
import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass
from typing import Any


class StudentTimeout(BaseException):
    """BaseException, so a student's ``except Exception`` cannot swallow it."""


@dataclass(frozen=True)
class Ref:
    """An object that stays in the worker (a student's cache): handle, then indexes into it."""

    handle: int
    path: tuple = ()


@dataclass(frozen=True)
class Opaque:
    """A value that cannot travel back to the parent (a generator, a module ...)."""

    type: str
    text: str


def _alarm(signum, frame):
    raise StudentTimeout()


class Worker:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.namespace: dict[str, Any] = {"__name__": "student", "__file__": filename}
        self.objects: dict[int, Any] = {}
        self.next_handle = 1
        self._tree: tuple | None = None

    # --- running student code under a time limit ---
    def _run(self, thunk, timeout: float):
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return {"status": "ok", "value": thunk()}
        except StudentTimeout:
            return {"status": "timeout", **self._where(sys.exc_info()[2])}
        except MemoryError:
            return {"status": "exception", "type": "MemoryError", "message": "", **self._where(sys.exc_info()[2])}
        except SystemExit as exc:
            return {"status": "exception", "type": "SystemExit", "message": str(exc.code), **self._where(sys.exc_info()[2])}
        except BaseException as exc:  # noqa: BLE001 - anything the student raises is a finding
            return {"status": "exception", "type": type(exc).__name__, "message": _first_line(exc), **self._where(sys.exc_info()[2])}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _where(self, tb) -> dict:
        """The student's own line where it happened (the deepest frame in their file)."""
        line, function = None, None
        for frame, lineno in traceback.walk_tb(tb):
            if frame.f_code.co_filename == self.filename:
                line, function = lineno, frame.f_code.co_name
        return {"line": line, "function": function}

    # --- requests ---
    def load(self, code: str, line: int, timeout: float) -> dict:
        """Run the one top-level statement that starts at ``line`` (the parent goes statement by statement,
        so it knows which one hung if it must kill us)."""
        if self._tree is None or self._tree[0] != code:
            self._tree = (code, {node.lineno: node for node in ast.parse(code, self.filename).body})
        node = self._tree[1][line]
        compiled = compile(ast.Module(body=[node], type_ignores=[]), self.filename, "exec")
        outcome = self._run(lambda: exec(compiled, self.namespace), timeout)
        outcome.pop("value", None)
        return outcome

    def defined(self) -> dict:
        """The student's own functions (not the ones they imported)."""
        names = sorted(k for k, v in self.namespace.items()
                       if callable(v) and getattr(getattr(v, "__code__", None), "co_filename", None) == self.filename)
        return {"status": "ok", "defined": names}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, Ref):
            obj = self.objects[value.handle]
            for key in value.path:
                obj = obj[key]
            return obj
        if isinstance(value, list) and any(isinstance(v, Ref) for v in value):  # caches built layer by layer
            return [self.resolve(v) for v in value]
        return value

    def call(self, name: str, args: tuple, arg_names: tuple, overrides: dict[str, str], timeout: float) -> dict:
        from shapecheck.diagnosis import stand_ins

        function = self.namespace.get(name)
        if not callable(function):
            return {"status": "exception", "type": "NameError", "message": f"{name} is not defined", "line": None}
        args = tuple(self.resolve(a) for a in args)
        before = [[(array, array.copy()) for array in _arrays(a)] for a in args]
        saved = {k: self.namespace.get(k, _MISSING) for k in overrides}
        try:
            for k, source in overrides.items():
                self.namespace[k] = stand_ins.lookup(source, k)
            outcome = self._run(lambda: function(*args), timeout)
        finally:
            for k, v in saved.items():
                if v is _MISSING:
                    self.namespace.pop(k, None)
                else:
                    self.namespace[k] = v
        # in place = an array the caller holds changed its numbers; the older notebook's update_parameters
        # rebinds dict entries to new arrays, which leaves the caller's arrays as they were
        outcome["mutated"] = [n for n, pairs in zip(arg_names, before) if any(not _same(a, b) for a, b in pairs)]
        if outcome["status"] == "ok":
            handle = self.next_handle
            self.next_handle += 1
            self.objects[handle] = outcome["value"]
            outcome["handle"] = handle
            outcome["value"] = _portable(outcome["value"])
        return outcome

    def numeric(self, kind: str, names: dict[str, str], args: tuple, timeout: float) -> dict:
        """Centered differences of the student's own forward (and cost), computed here, next to their code."""
        from shapecheck.diagnosis import numeric

        functions = {role: self.namespace[name] for role, name in names.items()}
        args = tuple(self.resolve(a) for a in args)
        check = getattr(numeric, kind)
        outcome = self._run(lambda: check(*functions.values(), *args), timeout)
        if outcome["status"] == "ok":
            outcome["value"] = _portable(outcome["value"])
        return outcome


_MISSING = object()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else ""


def _same(a: Any, b: Any) -> bool:
    import numpy as np

    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype \
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - incomparable objects count as unchanged
        return True


def _arrays(value: Any, depth: int = 0) -> list:
    """Every numpy array reachable from ``value`` (through dicts, lists and tuples)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return [value]
    if depth > 6:
        return []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [array for item in value for array in _arrays(item, depth + 1)]
    return []


def _portable(value: Any, depth: int = 0) -> Any:
    """What can travel back by pickle: arrays, numbers, strings, and containers of them."""
    import numpy as np

    if depth > 6:
        return Opaque(type(value).__name__, "")
    if value is None or isinstance(value, (bool, int, float, complex, str, np.ndarray, np.generic)):
        return value
    if isinstance(value, tuple):
        return tuple(_portable(v, depth + 1) for v in value)
    if isinstance(value, list):
        return [_portable(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k if isinstance(k, (str, int)) else repr(k): _portable(v, depth + 1) for k, v in value.items()}
    return Opaque(type(value).__name__, repr(value)[:80])


def main() -> None:
    from multiprocessing.connection import Connection

    fd, memory, filename = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.signal(signal.SIGALRM, _alarm)
    conn = Connection(fd)
    import numpy  # noqa: F401 - loaded before the student's code, outside its time limit

    from shapecheck.diagnosis import stand_ins

    stand_ins.install_course_modules()
    worker = Worker(filename)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        op, payload = request
        if op == "exit":
            return
        if op == "ping":
            reply = {"status": "ok"}
        elif op == "load":
            reply = worker.load(**payload)
        elif op == "defined":
            reply = worker.defined()
        elif op == "call":
            reply = worker.call(**payload)
        elif op == "numeric":
            reply = worker.numeric(**payload)
        else:  # pragma: no cover - a bug of ours
            reply = {"status": "exception", "type": "ProtocolError", "message": op, "line": None}
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable value slipped through
            conn.send({"status": "exception", "type": type(exc).__name__, "message": _first_line(exc), "line": None})


if __name__ == "__main__":
    # run under the module's real name, so Ref and Opaque are the classes the parent pickles
    from shapecheck.diagnosis.worker import main as _main

    _main()
