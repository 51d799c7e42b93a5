"""A student's code as we run it: a ``.py`` file as it is, or the code cells of an ``.ipynb``.

From a notebook we keep what defines things (imports, functions, classes, assignments of plain
values) and drop what runs things (magics, shell lines, test calls, training loops), saying what was
dropped. Line numbers map back to "cell N, line k" so findings point where the student looks.
"""

from __future__ import annotations

import ast
import errno
import importlib.util
import json
import os
import re
import stat
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.printable import printable
from shapecheck.core.text_files import decode_utf8, is_utf8, not_utf8


@dataclass(frozen=True)
class Dropped:
    where: str  # "cell 3, line 2"
    text: str  # the first line of what was dropped
    reason: str  # message id: magic, shell, call, statement, syntax


# CPython 3.11's ast checks its recursion depth in shared state: two threads parsing at once can fail
# with "AST constructor recursion depth mismatch" (graders diagnose several files at once)
_PARSING = threading.Lock()


def parse(code: str) -> ast.Module:
    with _PARSING:
        return ast.parse(code)


@dataclass(frozen=True)
class StudentSource:
    path: Path
    code: str
    dropped: tuple[Dropped, ...] = ()
    line_map: tuple[tuple[int, int], ...] = ()  # code line i (1-based, index i-1) -> (cell N, line k); empty for .py

    @property
    def is_notebook(self) -> bool:
        return self.path.suffix == ".ipynb"

    def where(self, line: int | None) -> str:
        """Where a line of ``code`` is, in the student's own terms."""
        name = printable(self.path.name)  # a file name can carry terminal escapes
        if line is None:
            return name
        if self.line_map and 1 <= line <= len(self.line_map):
            cell, k = self.line_map[line - 1]
            return f"{name} {msg('diagnose.cell_line', cell=cell, line=k)}"
        return f"{name}:{line}"

    def valid_line(self, line: object) -> int | None:
        """``line`` when it is a line of ``code`` (a number the sandbox's worker sent is only data), else None."""
        return line if type(line) is int and 1 <= line <= self.code.count("\n") + 1 else None

    def location(self, line: int | None) -> tuple[int | None, int | None]:
        """(cell, line in that cell) in a notebook, (None, line) in a .py file: what the JSON's "cell" and "line" say."""
        line = self.valid_line(line)
        if line is None:
            return None, None
        if self.line_map:
            return self.line_map[line - 1] if line <= len(self.line_map) else (None, None)
        return None, line

    @cached_property
    def tree(self) -> ast.Module | None:
        """The parsed code, once; None when it does not parse."""
        try:
            return parse(self.code)
        except SyntaxError:
            return None

    def line_text(self, line: int | None) -> str:
        lines = self.code.splitlines()
        return lines[line - 1].strip() if line and 1 <= line <= len(lines) else ""


MAX_SOURCE_BYTES = 5 * 2**20  # a course notebook with its outputs is well under this


def read_source_bytes(path: str | Path, *, follow: bool = True) -> bytes:
    """A submission's bytes, read once: a regular file of at most MAX_SOURCE_BYTES. Never blocks (a FIFO is
    opened non-blocking, then refused by its type); with ``follow=False`` a symbolic link is refused
    (a student's link to the grader's key, the course's reference or a classmate's file)."""
    p = Path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise ShapecheckError("diagnose.symlink", path=p) from None
        if exc.errno == errno.ENOENT:
            raise ShapecheckError("diagnose.no_file", path=p) from None
        raise ShapecheckError("diagnose.unreadable", path=p, reason=exc.strerror or exc) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ShapecheckError("diagnose.is_folder", path=p)
        if not stat.S_ISREG(info.st_mode):
            raise ShapecheckError("diagnose.not_regular", path=p)
        chunks, size = [], 0
        while size <= MAX_SOURCE_BYTES:  # st_size can lie (/proc): the read itself is bounded
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        raise ShapecheckError("diagnose.too_big", path=p, limit=MAX_SOURCE_BYTES // 2**20)
    except OSError as exc:
        raise ShapecheckError("diagnose.unreadable", path=p, reason=exc.strerror or exc) from None
    finally:
        os.close(fd)


def load_source(path: str | Path, data: bytes | None = None) -> StudentSource:
    """The student's code from ``path``; ``data``: its bytes, already read (and hashed) by the caller."""
    p = Path(path)
    if data is None and p.is_dir():
        raise ShapecheckError("diagnose.is_folder", path=p)
    if data is None and not p.exists():
        raise ShapecheckError("diagnose.no_file", path=p)
    if p.suffix not in (".py", ".ipynb"):
        raise ShapecheckError("diagnose.not_python", path=p)
    if data is None:
        data = read_source_bytes(p)
    if p.suffix == ".ipynb":
        text = decode_utf8(p, data)
    else:
        try:
            # as Python reads a source file: a BOM or a coding cookie decides the encoding, line ends become \n
            text = importlib.util.decode_source(data)
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError) as exc:
            if not is_utf8(data) and not _coding_cookie(data):  # Python's "invalid or missing encoding declaration"
                raise not_utf8(p, data) from None
            raise ShapecheckError("diagnose.unreadable", path=p, reason=exc) from None
    if p.suffix == ".py":
        return _exported_notebook(p, text) or StudentSource(p, text)
    return _from_notebook(p, text)


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+", re.MULTILINE)  # PEP 263's cookie


def _coding_cookie(data: bytes) -> bool:
    """Whether the file names its encoding (PEP 263) on its first two lines: then Python's own message stands."""
    return bool(_CODING.search(b"\n".join(data.splitlines()[:2])))


def _calls_get_ipython(node: ast.stmt) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "get_ipython" for n in ast.walk(node))


def _exported_notebook(path: Path, text: str) -> StudentSource | None:
    """A .py exported from a notebook (its magics became top-level ``get_ipython()`` calls) is read as the
    notebook: definitions kept, what runs things (the magics, data loading, test calls, training) dropped
    and said so; blank lines keep the line numbers. None for any other file."""
    try:
        tree = parse(text)
    except SyntaxError:
        return None
    if not any(isinstance(node, ast.Expr) and _calls_get_ipython(node) for node in tree.body):
        return None
    lines = text.splitlines()
    dropped: list[Dropped] = []
    unset: set[str] = set()
    for node in tree.body:
        if stays(node, unset):
            continue
        first, last = node.lineno, node.end_lineno or node.lineno
        reason = "magic" if _calls_get_ipython(node) else "call" if isinstance(node, ast.Expr) else "statement"
        dropped.append(Dropped(f"line {first}", lines[first - 1].strip(), reason))
        for k in range(first, last + 1):
            lines[k - 1] = ""
    return StudentSource(path, "\n".join(lines) + "\n", tuple(dropped))


def _stored(node: ast.stmt) -> set[str]:
    """The names a top-level statement binds."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _reads(node: ast.stmt, names: set[str]) -> bool:
    """A kept assignment whose value reads a name only a dropped statement would have bound (``m = X.shape[1]``
    after ``X, Y = load_planar_dataset()``): running it could only raise NameError, so it is dropped too."""
    value = getattr(node, "value", None)
    return bool(names) and value is not None and any(
        isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in names for n in ast.walk(value))


def stays(node: ast.stmt, unset: set[str]) -> bool:
    """Whether a top-level statement runs in the checker; ``unset`` (the names the dropped statements would have
    bound) is updated as the file is read top to bottom."""
    if defines_only(node) and not (isinstance(node, (ast.Assign, ast.AnnAssign)) and _reads(node, unset)):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            unset -= _stored(node) if isinstance(node, (ast.Assign, ast.AnnAssign)) else {getattr(node, "name", "")}
        return True
    unset |= _stored(node)
    return False


def defines_only(node: ast.stmt) -> bool:
    """Statements that define names without running the student's work (no calls in values)."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        # plt.rcParams[...] = ...: changes something else, defines no name of the file's
        names_only = all(isinstance(n, (ast.Name, ast.Tuple, ast.List, ast.Starred, ast.Store)) for t in targets for n in ast.walk(t))
        return names_only and not any(isinstance(n, (ast.Call, ast.Await, ast.Yield)) for n in ast.walk(node.value))
    return False


def _from_notebook(path: Path, text: str) -> StudentSource:
    if not text.strip():  # saved while Jupyter was still writing it, or never saved: json's "Expecting value" says nothing
        raise ShapecheckError("diagnose.bad_notebook", path=path, reason=msg("diagnose.notebook_empty"))
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
    except json.JSONDecodeError as exc:
        raise ShapecheckError("diagnose.bad_notebook", path=path,
                              reason=msg("diagnose.notebook_not_json", line=exc.lineno, column=exc.colno)) from None
    except (KeyError, TypeError, RecursionError) as exc:
        raise ShapecheckError("diagnose.bad_notebook", path=path, reason=exc) from None
    # a hand-edited or foreign file: cells must be a list of objects whose source is text (or a list of text)
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise ShapecheckError("diagnose.bad_notebook", path=path, reason=msg("diagnose.cells_not_list"))
    for cell in cells:
        source = cell.get("source", "")
        if not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(x, str) for x in source))):
            raise ShapecheckError("diagnose.bad_notebook", path=path, reason=msg("diagnose.source_not_text"))
    code_lines: list[str] = []
    line_map: list[tuple[int, int]] = []
    dropped: list[Dropped] = []
    unset: set[str] = set()  # what the dropped cells' statements would have bound (X, Y = load_planar_dataset())
    number = 0
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        number += 1
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else str(source)).splitlines()
        if lines and lines[0].lstrip().startswith("%%"):  # a cell magic owns the whole cell
            dropped.append(Dropped(f"cell {number}, line 1", lines[0].strip(), "magic"))
            continue
        kept: list[str] = []
        for index, line in enumerate(lines, start=1):
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                dropped.append(Dropped(f"cell {number}, line {index}", stripped, "magic" if stripped[0] == "%" else "shell"))
                kept.append("")  # keep line numbers
            else:
                kept.append(line)
        cell_code = "\n".join(kept)
        try:
            tree = parse(cell_code)
        except SyntaxError as exc:
            dropped.append(Dropped(f"cell {number}, line {exc.lineno or 1}", (exc.text or "").strip(), "syntax"))
            continue
        for node in tree.body:
            first, last = node.lineno, node.end_lineno or node.lineno
            if hasattr(node, "decorator_list") and node.decorator_list:
                first = min(d.lineno for d in node.decorator_list)
            if not stays(node, unset):
                dropped.append(Dropped(f"cell {number}, line {first}", kept[first - 1].strip(),
                                       "call" if isinstance(node, ast.Expr) else "statement"))
                continue
            for k in range(first, last + 1):
                code_lines.append(kept[k - 1])
                line_map.append((number, k))
    return StudentSource(path, "\n".join(code_lines) + "\n", tuple(dropped), tuple(line_map))
