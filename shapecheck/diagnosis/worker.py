"""The sandbox's worker: the only process that runs a student's code. Self-contained on purpose.

This file imports the standard library and numpy, never the shapecheck package: it runs as a script
(``python -I -S worker.py template FD``) in a process that has never imported the checker, and the
package is not on its path. The trusted side (sandbox.py) imports the same file for the wire format,
so both ends speak one format written once.

The wire format (both directions): a frame is a header (magic, JSON length, number of buffers), a
JSON document, then raw array buffers, each with its length. Values are JSON with tagged objects for
what JSON lacks: ``{"$t": [...]}`` a tuple, ``{"$d": [[key, value], ...]}`` a dict (str or int keys),
``{"$a": i, "dtype", "shape"}`` an array in buffer i (dtype from ``DTYPES`` only), ``{"$s": i, "dtype"}``
a numpy scalar, ``{"$c": [re, im]}`` a complex, ``{"$o": type, "text"}`` what cannot travel (a
generator, a module), ``{"$r": handle, "path"}`` an object that stays in the worker. Nothing is ever
unpickled; a frame that breaks a rule or a limit is a ``ProtocolError``, never an object.

The template (``template`` mode) imports numpy and a few standard modules once, then forks one
worker per request: the child confines itself (confine.py, loaded by path) and serves one student.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import socket
import struct
import sys
import traceback
from dataclasses import dataclass
from typing import Any

MAGIC = b"SCW1"
HEADER = struct.Struct("<4sII")  # magic, JSON length, number of buffers
LENGTH = struct.Struct("<Q")
MAX_JSON = 8 * 2**20  # bytes of JSON in one frame
MAX_BUFFERS = 10_000
MAX_BYTES = 256 * 2**20  # bytes of array data in one frame (the course's arrays are a few kB)
MAX_DEPTH = 12
MAX_DIM = 2**31 - 1  # one dimension of an array (numpy's own limit is far past any course array)
DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                    "float16", "float32", "float64", "complex64", "complex128"})


class ProtocolError(Exception):
    """A frame that is not what the format allows (too large, a bad tag, a dtype not on the list)."""


@dataclass(frozen=True)
class Ref:
    """An object that stays in the worker (a student's cache): handle, then indexes into it."""

    handle: int
    path: tuple = ()


@dataclass(frozen=True)
class Opaque:
    """A value that cannot travel (a generator, a module, an object of the student's own class)."""

    type: str
    text: str


# --- the wire format -------------------------------------------------------------------------------------


def encode(value: Any) -> tuple[bytes, list[bytes]]:
    buffers: list[bytes] = []
    return json.dumps(_to_tree(value, buffers, 0)).encode(), buffers


def _to_tree(value: Any, buffers: list, depth: int) -> Any:
    np = sys.modules.get("numpy")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if depth > MAX_DEPTH:
        return {"$o": "deep", "text": ""}
    if np is not None and isinstance(value, (np.ndarray, np.generic)):
        dtype = value.dtype
        if dtype.name in DTYPES and dtype.isnative:
            buffers.append(np.ascontiguousarray(value).tobytes())
            if isinstance(value, np.generic):
                return {"$s": len(buffers) - 1, "dtype": dtype.name}
            return {"$a": len(buffers) - 1, "dtype": dtype.name, "shape": [int(n) for n in value.shape]}
        return {"$o": f"ndarray[{dtype.name}]", "text": ""}
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, complex):
        return {"$c": [complex.__complex__(value).real, complex.__complex__(value).imag]}
    if isinstance(value, tuple):
        return {"$t": [_to_tree(v, buffers, depth + 1) for v in tuple.__iter__(value)]}
    if isinstance(value, list):
        return [_to_tree(v, buffers, depth + 1) for v in list.__iter__(value)]
    if isinstance(value, dict):
        items = []
        for key, item in dict.items(value):
            key = _to_tree(key, buffers, depth + 1) if type(key) in (str, int) else _safe_repr(key)
            items.append([key, _to_tree(item, buffers, depth + 1)])
        return {"$d": items}
    if isinstance(value, Ref):
        return {"$r": value.handle, "path": [_to_tree(p, buffers, depth + 1) for p in value.path]}
    return {"$o": type(value).__name__ if isinstance(type(value).__name__, str) else "?", "text": _safe_repr(value)}


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
        return str.__str__(text)[:80] if isinstance(text, str) else ""
    except BaseException:  # noqa: BLE001 - a student's __repr__ may do anything
        return ""


def decode(document: bytes, buffers: list[bytes]) -> Any:
    """The value a frame holds: plain data only, checked against the format as it is read."""
    try:
        tree = json.loads(document)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    try:
        return _from_tree(tree, buffers, 0)
    except ProtocolError:
        raise
    except (ValueError, OverflowError, TypeError, MemoryError, RecursionError, IndexError, KeyError) as exc:
        # a crafted frame (a 400-digit int in a complex, a 1e30 dimension): the protocol's error, never ours
        raise ProtocolError(f"bad value: {type(exc).__name__}") from None


def _from_tree(tree: Any, buffers: list[bytes], depth: int) -> Any:
    if tree is None or type(tree) in (bool, int, float, str):
        return tree
    if depth > MAX_DEPTH + 2:
        raise ProtocolError("too deep")
    if type(tree) is list:
        return [_from_tree(v, buffers, depth + 1) for v in tree]
    if type(tree) is not dict or not tree:
        raise ProtocolError(f"unexpected {type(tree).__name__}")
    tag = next(iter(tree))
    if tag == "$t" and len(tree) == 1 and type(tree[tag]) is list:
        return tuple(_from_tree(v, buffers, depth + 1) for v in tree[tag])
    if tag == "$d" and len(tree) == 1 and type(tree[tag]) is list:
        out = {}
        for pair in tree[tag]:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) not in (str, int):
                raise ProtocolError("bad dict item")
            out[pair[0]] = _from_tree(pair[1], buffers, depth + 1)
        return out
    if tag in ("$a", "$s") and set(tree) <= {tag, "dtype", "shape"}:
        return _array(tree, tag, buffers)
    if tag == "$c" and len(tree) == 1 and type(tree[tag]) is list and len(tree[tag]) == 2 \
            and all(type(x) in (int, float) for x in tree[tag]):
        re, im = (float(x) for x in tree[tag])  # OverflowError past float's range: the protocol's error
        return complex(re, im)
    if tag == "$o" and set(tree) == {"$o", "text"} and type(tree["$o"]) is str and type(tree["text"]) is str:
        return Opaque(tree["$o"][:80], tree["text"][:80])
    if tag == "$r" and set(tree) == {"$r", "path"} and type(tree["$r"]) is int and type(tree["path"]) is list:
        return Ref(tree["$r"], tuple(_from_tree(p, buffers, depth + 1) for p in tree["path"]))
    raise ProtocolError(f"unknown tag {str(tag)[:20]!r}")


def _array(tree: dict, tag: str, buffers: list[bytes]) -> Any:
    import numpy as np

    index, name = tree[tag], tree.get("dtype")
    if type(index) is not int or not 0 <= index < len(buffers) or name not in DTYPES:
        raise ProtocolError("bad array")
    dtype = np.dtype(name)
    shape = tree.get("shape", []) if tag == "$a" else []
    if type(shape) is not list or len(shape) > 32 or any(type(n) is not int or not 0 <= n <= MAX_DIM for n in shape):
        raise ProtocolError("bad shape")
    count = 1
    for n in shape:
        count *= n
    if count * dtype.itemsize != len(buffers[index]):
        raise ProtocolError("array size does not match its buffer")
    array = np.frombuffer(buffers[index], dtype=dtype).reshape(shape).copy()
    return array[()] if tag == "$s" else array


def send(sock: socket.socket, value: Any) -> None:
    document, buffers = encode(value)
    if len(document) > MAX_JSON or len(buffers) > MAX_BUFFERS or sum(map(len, buffers)) > MAX_BYTES:
        document, buffers = json.dumps({"$d": [["status", "exception"], ["type", "TooLarge"],
                                               ["message", "the value is too large to check"], ["line", None],
                                               ["rid", value.get("rid") if isinstance(value, dict) else None]]}).encode(), []
    parts = [HEADER.pack(MAGIC, len(document), len(buffers)), document]
    for buffer in buffers:
        parts += [LENGTH.pack(len(buffer)), buffer]
    sock.sendall(b"".join(parts))


def receive(sock: socket.socket, limit: float | None = None) -> Any:
    """One frame's value. EOFError when the other end closed; TimeoutError past ``limit`` seconds."""
    import time

    deadline = None if limit is None else time.monotonic() + limit

    def exactly(n: int) -> bytes:
        chunks, got = [], 0
        while got < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                sock.settimeout(left)
            try:
                chunk = sock.recv(min(n - got, 2**20))
            except socket.timeout:
                raise TimeoutError from None
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    magic, size, count = HEADER.unpack(exactly(HEADER.size))
    if magic != MAGIC or size > MAX_JSON or count > MAX_BUFFERS:
        raise ProtocolError("bad frame header")
    document = exactly(size)
    buffers, total = [], 0
    for _ in range(count):
        (length,) = LENGTH.unpack(exactly(LENGTH.size))
        total += length
        if total > MAX_BYTES:
            raise ProtocolError("frame too large")
        buffers.append(exactly(length))
    return decode(document, buffers)


# --- running the student's code --------------------------------------------------------------------------


# numpy 1's spellings that numpy 2 removed (the course's notebooks ran numpy 1): name -> (the numpy-2 spelling
# a student is told, the value the worker restores it to). A function is judged on its mathematics; the trusted
# side reads each use from the source and reports it apart, as a numpy-2 warning (numpy2.py)
NUMPY1 = {
    "float": ("float", "builtins.float"), "int": ("int", "builtins.int"), "object": ("object", "builtins.object"),
    "str": ("str", "builtins.str"), "complex": ("complex", "builtins.complex"), "long": ("int", "builtins.int"),
    "unicode": ("str", "builtins.str"), "asscalar": ("a.item()", "lambda a: numpy.asarray(a).item()"),
    "product": ("np.prod", "numpy.prod"), "cumproduct": ("np.cumprod", "numpy.cumprod"),
    "alltrue": ("np.all", "numpy.all"), "sometrue": ("np.any", "numpy.any"), "round_": ("np.round", "numpy.round"),
    "NaN": ("np.nan", "numpy.nan"), "NAN": ("np.nan", "numpy.nan"), "Inf": ("np.inf", "numpy.inf"),
    "Infinity": ("np.inf", "numpy.inf"), "PINF": ("np.inf", "numpy.inf"), "infty": ("np.inf", "numpy.inf"),
    "NINF": ("-np.inf", "-numpy.inf"), "float_": ("np.float64", "numpy.float64"),
    "complex_": ("np.complex128", "numpy.complex128"), "string_": ("np.bytes_", "numpy.bytes_"),
    "unicode_": ("np.str_", "numpy.str_"), "int0": ("np.intp", "numpy.intp"), "bool8": ("np.bool_", "numpy.bool_"),
    "asfarray": ("np.asarray(a, dtype=float)", "lambda a, dtype=numpy.float64: numpy.asarray(a, dtype=dtype)"),
    "msort": ("np.sort(a, axis=0)", "lambda a: numpy.sort(a, axis=0)"), "trapz": ("np.trapezoid", "numpy.trapezoid"),
    "in1d": ("np.isin", "lambda a, b, *args, **kwargs: numpy.isin(numpy.ravel(a), b, *args, **kwargs)"),
    "mat": ("np.asmatrix", "numpy.asmatrix"),
}
SCALAR_CALLS = ("float", "int")  # float(x) of a one-element array with dimensions: numpy 1 took its value
NUMPY1_SCALAR = "__shapecheck_numpy1_scalar__"  # float(x), int(x), np.float(x), np.int(x)
NUMPY1_ITEM = "__shapecheck_numpy1_item__"  # costs[i] = a (1, 1) array: numpy 1 stored its value
NUMPY1_AUGMENTED = "__shapecheck_numpy1_augmented__"  # costs[i] += a (1, 1) array: the same store
NUMPY1_MATH = "__shapecheck_numpy1_math__"  # math.sqrt(np.dot(d.T, d)): numpy 1 gave math the (1, 1) array's value
# x[i] op= v, by the operator module's name (ours: the name is never the student's text)
AUGMENTED = {ast.Add: "iadd", ast.Sub: "isub", ast.Mult: "imul", ast.Div: "itruediv", ast.FloorDiv: "ifloordiv",
             ast.Mod: "imod", ast.Pow: "ipow", ast.MatMult: "imatmul", ast.BitAnd: "iand", ast.BitOr: "ior",
             ast.BitXor: "ixor", ast.LShift: "ilshift", ast.RShift: "irshift"}
# on the exception float()/int() or a one-element store raised: how many values the array held (numpy 1 refused
# several too, so that is a shape mistake, not numpy 2; hints.exception_hint reads it)
ELEMENTS = "__shapecheck_elements__"


def _mark_elements(exc: BaseException, value: Any) -> None:
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        setattr(exc, ELEMENTS, int(value.size))
    elif isinstance(value, (list, tuple)):
        setattr(exc, ELEMENTS, len(value))


def restore_numpy1(np) -> list[str]:
    """Put numpy 1's removed spellings back on this worker's numpy (only those this numpy lacks)."""
    import builtins

    restored = []
    for name, (_, value) in NUMPY1.items():
        if name not in vars(np) and not _has(np, name):
            try:
                setattr(np, name, eval(value, {"numpy": np, "builtins": builtins}))  # our own constants above
                restored.append(name)
            except AttributeError:
                pass
    if not getattr(np.array, "numpy1", False):  # np.array(x, copy=False): numpy 1 copied when it had to, numpy 2 raises
        strict = np.array

        def array(*args, copy=True, **kwargs):
            return strict(*args, copy=None if copy is False else copy, **kwargs)

        array.numpy1 = True
        np.array = array
        restored.append("array")
    return restored


def _has(module, name: str) -> bool:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            getattr(module, name)
            return True
        except AttributeError:
            return False


def module_names(body: list, module: str) -> tuple[set[str], set[str]]:
    """The names a file binds to ``module`` (``import numpy as np``) and to its functions (``from math import exp``)."""
    modules, functions = set(), set()
    for node in body:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import):
                modules.update(a.asname or a.name for a in inner.names if a.name == module)
            elif isinstance(inner, ast.ImportFrom) and inner.module == module and not inner.level:
                functions.update(a.asname or a.name for a in inner.names if a.name != "*")
    return modules, functions


class _ScalarCalls(ast.NodeTransformer):
    """One number taken from an array as numpy 1 took it: float(x) and int(x) (``builtins``: the file does not
    bind those names itself) and np.float(x), np.int(x) through NUMPY1_SCALAR; a call of the math module through
    NUMPY1_MATH. Both take a one-element array's value where numpy 2 raises, and remember the line. Only plain
    calls: one argument for float and int, no unpacking."""

    def __init__(self, builtins: bool, numpy: set[str], math: set[str], math_functions: set[str]) -> None:
        self.builtins, self.numpy, self.math, self.math_functions = builtins, numpy, math, math_functions

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return node
        scalar = func.id if isinstance(func, ast.Name) and self.builtins and func.id in SCALAR_CALLS else \
            func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id in self.numpy and func.attr in SCALAR_CALLS else None
        if scalar and len(node.args) == 1 and not node.keywords:
            call = ast.Call(ast.Name(NUMPY1_SCALAR, ast.Load()), [ast.Constant(scalar), node.args[0]], [])
            return ast.copy_location(call, node)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in self.math \
                or isinstance(func, ast.Name) and func.id in self.math_functions:
            call = ast.Call(ast.Name(NUMPY1_MATH, ast.Load()), [func, *node.args], node.keywords)
            return ast.copy_location(call, node)
        return node


class _ItemStores(ast.NodeTransformer):
    """``x[i] = value`` as numpy 1 ran it: through NUMPY1_ITEM, which stores a one-element array's value into
    an element when numpy 2 refuses (and remembers the line); every other store is the same store."""

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Subscript):
            return node
        target = node.targets[0]
        index = _as_value(target.slice)
        if index is None:
            return node
        call = ast.Call(ast.Name(NUMPY1_ITEM, ast.Load()), [target.value, index, node.value], [])
        return ast.copy_location(ast.Expr(call), node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        """``x[i] += value``: Python reads x[i], applies the in-place operator, then stores; so does NUMPY1_AUGMENTED."""
        self.generic_visit(node)
        index = _as_value(node.target.slice) if isinstance(node.target, ast.Subscript) else None
        if index is None or type(node.op) not in AUGMENTED:
            return node
        call = ast.Call(ast.Name(NUMPY1_AUGMENTED, ast.Load()),
                        [node.target.value, index, ast.Constant(AUGMENTED[type(node.op)]), node.value], [])
        return ast.copy_location(ast.Expr(call), node)


def _as_value(index: ast.AST) -> ast.AST | None:
    """A subscript's index as an expression that can be passed on (``a:b`` becomes ``slice(a, b)``)."""
    if isinstance(index, ast.Slice):
        parts = [part if part is not None else ast.Constant(None) for part in (index.lower, index.upper, index.step)]
        return ast.copy_location(ast.Call(ast.Name("slice", ast.Load()), parts, []), index)
    if isinstance(index, ast.Tuple):
        elements = [_as_value(e) for e in index.elts]
        return None if any(e is None for e in elements) else ast.copy_location(ast.Tuple(elements, ast.Load()), index)
    if isinstance(index, ast.Starred):
        return None
    return index


def _shadows_scalars(body: list) -> bool:
    """The student's file binds float or int itself: leave its calls alone."""
    return any(isinstance(n, ast.Name) and n.id in SCALAR_CALLS and isinstance(n.ctx, ast.Store)
               or isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in SCALAR_CALLS
               for node in body for n in ast.walk(node))


class StudentTimeout(BaseException):
    """BaseException, so a student's ``except Exception`` cannot swallow it."""


def _alarm(signum, frame):
    raise StudentTimeout()


class Worker:
    """One student's namespace. Requests: setup, load, defined, call, numeric."""

    def __init__(self) -> None:
        self.filename = "student.py"
        self.namespace: dict[str, Any] = {}
        self.body: list[ast.stmt] = []
        self.course: Any = None  # the assignment's course code (stand-ins, numeric loops), compiled on request
        self.objects: dict[int, Any] = {}
        self.next_handle = 1
        self.numpy1: set[int] = set()  # the student's lines where float()/int() took a one-element array's value
        self.numpy1_ndims: set[tuple[int, int]] = set()  # (line, that array's ndim): its shape is (1,) * ndim
        self.numpy1_items: set[int] = set()  # ... and where an element took a one-element array's value

    def _one_number(self, value: Any, frame) -> Any:
        """A one-element array with dimensions as numpy 1 read it where one number was meant (a 0-d array); the
        student's line (``frame``) is remembered. Anything else is returned as it is."""
        np = sys.modules.get("numpy")
        if np is not None and isinstance(value, np.ndarray) and value.ndim and value.size == 1:
            if frame.f_code.co_filename == self.filename and len(self.numpy1) < 100:
                self.numpy1.add(frame.f_lineno)
                self.numpy1_ndims.add((frame.f_lineno, min(int(value.ndim), 32)))
            return value.reshape(())
        return value

    def _scalar(self, kind: str, value: Any) -> Any:
        value = self._one_number(value, sys._getframe(1))
        try:
            return float(value) if kind == "float" else int(value)
        except (TypeError, ValueError) as exc:
            _mark_elements(exc, value)
            raise

    def _math(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        frame = sys._getframe(1)
        args = tuple(self._one_number(a, frame) for a in args)
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError) as exc:  # several values where math takes one number: a shape mistake
            np = sys.modules.get("numpy")
            several = next((a for a in args if np is not None and isinstance(a, np.ndarray) and a.size != 1), None)
            if several is not None:
                _mark_elements(exc, several)
            raise

    def _item(self, array: Any, index: Any, value: Any, frame=None) -> None:
        try:
            array[index] = value
        except ValueError as exc:
            np = sys.modules.get("numpy")
            if not (np is not None and isinstance(array, np.ndarray) and isinstance(value, np.ndarray)
                    and value.ndim and value.size == 1):
                _mark_elements(exc, value)
                raise
            frame = frame or sys._getframe(1)
            if frame.f_code.co_filename == self.filename and len(self.numpy1_items) < 100:
                self.numpy1_items.add(frame.f_lineno)
            array[index] = value.reshape(())

    def _augmented(self, array: Any, index: Any, operation: str, value: Any) -> None:
        import operator

        self._item(array, index, getattr(operator, operation)(array[index], value), sys._getframe(1))

    def _run(self, thunk, timeout: float) -> dict:
        # CPU seconds, not wall-clock ones: a loaded grader must not turn a slow correct function into a timeout
        signal.setitimer(signal.ITIMER_PROF, timeout)
        try:
            return {"status": "ok", "value": thunk()}
        except StudentTimeout:
            return {"status": "timeout", **self._where(sys.exc_info()[2])}
        except MemoryError:
            return {"status": "exception", "type": "MemoryError", "message": "", **self._where(sys.exc_info()[2])}
        except SystemExit as exc:
            return {"status": "exception", "type": "SystemExit", "message": _text(exc.code), **self._where(sys.exc_info()[2])}
        except BaseException as exc:  # noqa: BLE001 - anything the student raises is a finding
            elements = getattr(exc, ELEMENTS, None)
            return {"status": "exception", "type": _text(type(exc).__name__), "message": _first_line(exc),
                    **self._where(sys.exc_info()[2]), **({"elements": elements} if type(elements) is int else {})}
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)

    def _where(self, tb) -> dict:
        """The student's own line where it happened (the deepest frame in their file)."""
        line, function = None, None
        try:
            for frame, lineno in traceback.walk_tb(tb):
                if frame.f_code.co_filename == self.filename:
                    line, function = lineno, frame.f_code.co_name
        except BaseException:  # noqa: BLE001
            pass
        return {"line": line if type(line) is int else None, "function": _text(function) if function else None}

    # --- requests ---
    def setup(self, code: str, filename: str, modules: dict) -> dict:
        """The student's code (parsed here, run statement by statement by ``load``) and the course's helper
        modules as source (name -> [the code they need, exported names])."""
        import types

        self.filename = filename
        self.namespace = {"__name__": "student", "__file__": filename, "__builtins__": __builtins__}
        try:
            self.body = ast.parse(code, filename).body
        except SyntaxError:  # the parent has it as a finding already: nothing loads
            self.body = []
        # numpy 1's semantics where numpy 2 only removed a spelling (the course ran numpy 1; see NUMPY1)
        np = sys.modules.get("numpy")
        if np is not None:
            restore_numpy1(np)
            numpy_modules, _ = module_names(self.body, "numpy")
            math_modules, math_functions = module_names(self.body, "math")
            builtins_ok = any(f"{name}(" in code for name in SCALAR_CALLS) and not _shadows_scalars(self.body)
            if builtins_ok or numpy_modules or math_modules or math_functions:
                calls = _ScalarCalls(builtins_ok, numpy_modules, math_modules, math_functions)
                self.body = [ast.fix_missing_locations(calls.visit(node)) for node in self.body]
                self.namespace[NUMPY1_SCALAR] = self._scalar
                self.namespace[NUMPY1_MATH] = self._math
            self.body = [ast.fix_missing_locations(_ItemStores().visit(node)) for node in self.body]
            self.namespace[NUMPY1_ITEM] = self._item
            self.namespace[NUMPY1_AUGMENTED] = self._augmented
        for name, (source, names) in modules.items():
            module = types.ModuleType(name, f"shapecheck's stand-in for the course's {name}.py")
            if source is None:  # a package the checker lacks (tensorflow): it imports; using it raises
                module.__getattr__ = _Absent(name).__getattr__
                module.__all__ = []
            elif source:  # each helper alone: nothing it carries leads to the course's other functions
                for key in names:
                    setattr(module, key, only_what_it_calls(source, key))
                module.__all__ = list(names)
            else:  # a test module of the course: every name is a callable that does nothing
                module.__getattr__ = _nothing_getattr
                module.__all__ = []
            sys.modules[name] = module
        for name in modules:  # import matplotlib.pyplot as plt: the parent hands out the child module
            parent, _, child = name.rpartition(".")
            if parent in sys.modules and name in sys.modules:
                setattr(sys.modules[parent], child, sys.modules[name])
        return {"status": "ok", "statements": len(self.body)}

    def load(self, index: int, timeout: float) -> dict:
        """Run the top-level statement ``index`` (the parent goes one by one, so it knows which one hung)."""
        node = self.body[index]
        compiled = compile(ast.Module(body=[node], type_ignores=[]), self.filename, "exec")
        outcome = self._run(lambda: exec(compiled, self.namespace), timeout)
        outcome.pop("value", None)
        return outcome

    def defined(self) -> dict:
        """The student's own functions (not the ones they imported)."""
        names = []
        for key, value in list(self.namespace.items()):
            code = getattr(value, "__code__", None) if type(key) is str else None
            if code is not None and getattr(code, "co_filename", None) == self.filename and callable(value):
                names.append(key)
        return {"status": "ok", "defined": sorted(names)}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, Ref):
            obj = self.objects[value.handle]
            for key in value.path:
                obj = obj[key]
            return obj
        if isinstance(value, list) and any(isinstance(v, Ref) for v in value):  # caches built layer by layer
            return [self.resolve(v) for v in value]
        return value

    def call(self, name: str, args: tuple, arg_names: tuple, overrides: dict, course: str, timeout: float,
             seed: int | None = None, keep: int | None = None) -> dict:
        """``overrides``: the student's names the course's code stands in for (their name -> the course's
        name), compiled from ``course``, the part of the course file they need. ``seed``: the global
        ``np.random.seed`` a notebook's test cell sets before the call. ``keep``: the position of an argument the
        function updates in place (Dinosaurus' optimize and the caller's parameters), sent back as ``kept``."""
        function = self.namespace.get(name)
        if not callable(function):
            return {"status": "exception", "type": "NameError", "message": f"{name} is not defined", "line": None}
        args = tuple(self.resolve(a) for a in args)
        before = [[(array, array.copy()) for array in _arrays(a)] for a in args]
        saved = {k: self.namespace.get(k, _MISSING) for k in overrides}
        try:
            for k in overrides:
                self.namespace[k] = only_what_it_calls(course, overrides[k], self.filename, "student")
            if seed is not None:
                import numpy

                numpy.random.seed(int(seed))
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
        if outcome["status"] == "ok" and keep is not None and 0 <= keep < len(args):
            outcome["kept"] = args[keep]
        outcome["numpy1"] = sorted(self.numpy1)
        outcome["numpy1_ndims"] = [list(pair) for pair in sorted(self.numpy1_ndims)]
        outcome["numpy1_items"] = sorted(self.numpy1_items)
        if outcome["status"] == "ok":
            handle = self.next_handle
            self.next_handle += 1
            self.objects[handle] = outcome["value"]
            outcome["handle"] = handle
        return outcome

    def numeric(self, names: list, args: tuple, course: str, eps: float, timeout: float) -> dict:
        """Centered differences of J made of the student's own functions (the course file's
        ``numeric_objective``, in ``course``), computed here, next to their code."""
        objective = only_what_it_calls(course, "numeric_objective")
        functions = [self.namespace[name] for name in names]
        args = tuple(self.resolve(a) for a in args)
        return self._run(lambda: centered_differences(*objective(*functions, *args), eps), timeout)


_MISSING = object()


_COMPILED: dict[tuple, Any] = {}  # (course source, file name) -> its code object, compiled once per worker


def only_what_it_calls(source: str, name: str, filename: str = "<course>", module: str = "course") -> Any:
    """``name`` from the course's code compiled here, in a namespace of its own that holds only what it calls:
    its globals lead to the code it needs and nothing more (not the course's other functions).
    A stand-in is compiled under the student's own file and module name: no ``co_filename == "<course>"``
    tells the student's code that a root-cause run is under way (SECURITY.md says what still can)."""
    import types

    if (source, filename) not in _COMPILED:
        _COMPILED[(source, filename)] = compile(source, filename, "exec")
    full: dict[str, Any] = {"__name__": module}
    exec(_COMPILED[(source, filename)], full)
    needed, queue = set(), [name]
    while queue:
        key = queue.pop()
        if key in needed or key not in full:
            continue
        needed.add(key)
        value = full[key]
        codes = [value.__code__] if isinstance(value, types.FunctionType) else []
        while codes:
            code = codes.pop()
            queue.extend(code.co_names)
            codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    own: dict[str, Any] = {"__name__": module, "__builtins__": __builtins__}
    for key in needed:
        value = full[key]
        if isinstance(value, types.FunctionType):
            value = types.FunctionType(value.__code__, own, value.__name__, value.__defaults__, value.__closure__)
        own[key] = value
    return own[name]


def centered_differences(J, theta: dict, names: list, eps: float) -> dict:
    """{"d" + name: (J(θ + ε) − J(θ − ε)) / 2ε, entry by entry} for each name; θ is restored after each.

    The loop is the gradient check's own (``gradients/centered.py``), J(θ + ε) taken first as always here."""
    import numpy as np

    loop = _centered()
    grads = {}
    for name in names:
        value = theta[name]
        values, _ = loop.evaluations(lambda: J(theta), value, range(value.size), eps, offsets=(1, -1))
        grad = np.zeros_like(value)
        grad.flat[:] = loop.quotients(values, (1, -1), eps)
        grads["d" + name] = grad
    return grads


def _centered():
    """``gradients/centered.py``, the one centered-difference loop, loaded by its path: it imports nothing,
    and the package is not importable in a worker (the template loads it before it forks, and confines)."""
    module = sys.modules.get("_shapecheck_centered")
    if module is None:
        import importlib.util

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        spec = importlib.util.spec_from_file_location("_shapecheck_centered", os.path.join(package, "gradients", "centered.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["_shapecheck_centered"] = module
    return module


class _Absent:
    """What a package the checker lacks gives (tensorflow.keras.layers.Dense): any name may be taken from it,
    at import or in a definition; using one raises ModuleNotFoundError naming the package."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr: str) -> "_Absent":
        if attr.startswith("__"):  # the import machinery asks for __path__, __spec__, ...: say no
            raise AttributeError(attr)
        return _Absent(f"{object.__getattribute__(self, '_name')}.{attr}")

    def _used(self, *args, **kwargs):
        raise ModuleNotFoundError(f"No module named '{object.__getattribute__(self, '_name').split('.')[0]}'")

    __call__ = __getitem__ = __iter__ = __enter__ = _used

    def __mro_entries__(self, bases):  # class Model(tf.keras.Model): defined; using the package still raises
        return ()

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_name')}: not installed where shapecheck checks>"


class _Nothing:
    """A name of a stand-in module (plt.plot, plt.rcParams["figure.figsize"], testCases.x_test_case): calling
    it does nothing and returns None; setting or reading an entry or an attribute of it does nothing too."""

    def __call__(self, *args, **kwargs) -> None:
        return None

    def __getattr__(self, name: str) -> "_Nothing":
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key: Any) -> "_Nothing":
        return self

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def __setattr__(self, name: str, value: Any) -> None:
        pass


_nothing = _Nothing()


def _nothing_getattr(name: str):
    if name.startswith("__"):  # the import machinery asks for __path__, __spec__, ...: say no
        raise AttributeError(name)
    return _nothing


def _text(value: Any) -> str:
    try:
        text = str(value)
        return str.__str__(text) if isinstance(text, str) else ""
    except BaseException:  # noqa: BLE001
        return ""


def _first_line(exc: BaseException) -> str:
    text = _text(exc).strip().splitlines()
    return text[0][:300] if text else ""


def _same(a: Any, b: Any) -> bool:
    import numpy as np

    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype \
                and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
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


def _confined() -> dict:
    """What confine.py put in force for this worker (asked before any student code runs)."""
    module = sys.modules.get("confine")
    return dict(module.IN_FORCE) if module is not None else {}


def serve(sock: socket.socket) -> None:
    """Answer requests until the socket closes. Replies are plain data; a value that cannot be sent is
    reported, not raised."""
    signal.signal(signal.SIGPROF, _alarm)
    worker = Worker()
    handlers = {"setup": worker.setup, "load": worker.load, "defined": worker.defined, "call": worker.call,
                "numeric": worker.numeric}
    while True:
        try:
            op, payload, *rest = receive(sock)
        except (EOFError, OSError, ProtocolError, ValueError, TypeError):
            return
        rid = rest[0] if rest else None  # echoed: the coordinator takes only the reply to what it asked
        if op == "exit":
            return
        try:
            reply = {"status": "ok", "confined": _confined()} if op == "ping" else handlers[op](**(payload or {}))
        except BaseException as exc:  # noqa: BLE001 - e.g. a SyntaxError in setup, or a student's trick
            reply = {"status": "exception", "type": _text(type(exc).__name__), "message": _first_line(exc), "line": None}
        try:
            send(sock, {**reply, "rid": rid})
        except BaseException as exc:  # noqa: BLE001 - a value that cannot be encoded
            try:
                send(sock, {"status": "exception", "type": _text(type(exc).__name__), "message": _first_line(exc), "line": None,
                            "rid": rid})
            except BaseException:  # noqa: BLE001
                return


# --- the template: numpy once, then one forked worker per request ----------------------------------------

# standard modules a student's file may import: loaded before the worker forks, as the worker may not
# be able to read the standard library's files afterwards (an unprivileged user, Landlock)
PRELOAD = ("copy", "math", "random", "functools", "itertools", "collections", "typing", "time", "re",
           "warnings", "dataclasses", "operator", "string", "numbers", "abc", "enum", "types", "statistics",
           "fractions", "decimal", "heapq", "bisect", "contextlib", "pprint", "textwrap", "inspect", "tempfile",
           "io", "pathlib", "glob", "datetime", "csv", "pickle", "struct", "hashlib", "timeit", "unittest", "secrets")


def _warm(np) -> None:
    """What numpy imports lazily on first use (np.random.seed imports secrets, printing imports more)."""
    np.random.seed(3)
    np.random.randn(2, 2)
    np.random.default_rng(0).normal(size=2)
    repr(np.zeros((2, 2)))
    str(np.float64(1.0))
    np.linalg.norm(np.ones(2))
    np.einsum("ij->i", np.ones((2, 2)))
    np.random.seed(None)


def _clean_imports() -> None:
    """Only the standard library and numpy stay importable: no site-packages on the path, no finders
    but the interpreter's own (an editable install adds one that leads to the checker)."""
    import importlib.machinery

    keep = (importlib.machinery.BuiltinImporter, importlib.machinery.FrozenImporter, importlib.machinery.PathFinder)
    sys.meta_path[:] = [f for f in sys.meta_path if f in keep or isinstance(f, type) and issubclass(f, keep)]
    sys.path[:] = [p for p in sys.path if p and "site-packages" not in p and "dist-packages" not in p]
    sys.path_importer_cache.clear()
    sys.path_hooks[:] = [h for h in sys.path_hooks if "zipimport" in repr(h) or "FileFinder" in repr(h)]
    for name in [n for n in sys.modules if n == "shapecheck" or n.startswith("shapecheck.")]:
        del sys.modules[name]


def template(control: socket.socket, numpy_path: str) -> None:
    """Import numpy, then fork a confined worker for every request on ``control``.

    A request is a frame ``["spawn", options]`` with two file descriptors attached (the worker's socket
    and its output file); the reply is ``{"pid": ...}``. ``["status", {"pid"}]`` answers how a worker
    ended: ``{"running": true}`` or ``{"code": n}`` / ``{"signal": n}``."""
    sys.path.insert(0, numpy_path)
    import numpy  # noqa: F401

    sys.path.remove(numpy_path)
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    _warm(numpy)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import confine  # noqa: F401 - this file's neighbour: loaded now, while its folder is on the path

    sys.path.remove(here)
    _centered()  # the centered-difference loop, read now: a confined worker may not read the package's files
    _clean_imports()
    ended: dict[int, dict] = {}
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 65536, 4)
        except OSError:
            os._exit(0)
        if not message:  # the checker closed its end: nothing to flush, and numpy's teardown is time a student waits for
            os._exit(0)
        request = json.loads(message)
        op, options = request[0], request[1]
        if op == "spawn":
            pid = os.fork()
            if pid == 0:
                _child(control, fds, options)  # never returns
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"pid": pid}).encode())
        elif op == "status":
            control.sendall(json.dumps(_status(int(options["pid"]), ended)).encode())


def _status(pid: int, ended: dict) -> dict:
    import time

    for _ in range(200):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return ended.get(pid, {"code": None})
        if done:
            ended[pid] = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"code": os.WEXITSTATUS(status)}
            return ended[pid]
        time.sleep(0.005)
    return {"running": True}


def _child(control: socket.socket, fds: list[int], options: dict) -> None:
    code = 70
    try:
        control.close()
        sock_fd, out_fd = fds
        import confine

        confine.confine(options, keep={sock_fd: 3, out_fd: None})  # sock_fd becomes 3; output on 1 and 2
        serve(socket.socket(fileno=3))
        code = 0
    except BaseException:  # noqa: BLE001 - a child must never return into the template's loop
        try:
            traceback.print_exc()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


def main() -> None:
    mode = sys.argv[1]
    if mode == "template":
        template(socket.socket(fileno=int(sys.argv[2])), sys.argv[3])


if __name__ == "__main__":
    main()
