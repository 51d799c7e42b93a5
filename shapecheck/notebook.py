"""shapecheck inside IPython and Jupyter: cells as places, a watch that follows re-run cells, ``%shapecheck``.

    %load_ext shapecheck
    %shapecheck watch          # sc.watch(globals()), kept up to date after every cell
    %shapecheck diagnose       # the functions this notebook defines now, diagnosed in isolation
    %shapecheck unwatch

Nothing here imports IPython at module level: ``sc.watch`` asks ``in_ipython`` and runs the same in
a plain script. A place in a notebook is the cell's execution count and the line in that cell,
which is what the notebook shows beside the cell (``In [5]``).
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import sys
import tempfile
import types
from pathlib import Path
from typing import Any, MutableMapping

from shapecheck.messages import msg

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


def follow(namespace: MutableMapping) -> None:
    """After every cell, watch again: a definition cell run again, or a new function, is wrapped at once."""
    ip = shell()
    if ip is None or id(namespace) in _FOLLOWED or not hasattr(ip, "events"):
        return

    def rewatch(result=None) -> None:
        from shapecheck.watch import rewatch as wrap_new

        wrap_new(namespace)

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


# --- the notebook's code as one file, for diagnose ---------------------------------------------------


def _imports(cells: list[str]) -> list[str]:
    """The top-level imports of every cell run so far, in order, once each."""
    seen, out = set(), []
    for cell in cells:
        try:
            tree = ast.parse(cell)
        except SyntaxError:  # a cell with a magic IPython has not transformed, or a typo the student fixed later
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                text = ast.get_source_segment(cell, node)
                if text and text not in seen and "shapecheck" not in text:
                    seen.add(text)
                    out.append(text)
    return out


class Listing:
    """The generated file, line by line, remembering which cell and line each line came from."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: dict[int, tuple[int, int]] = {}  # file line -> (execution count, line in the cell)

    def add(self, text: str, cell: int | None = None, first: int = 1) -> None:
        for offset, line in enumerate(text.rstrip("\n").splitlines()):
            self.lines.append(line)
            if cell is not None:
                self.places[len(self.lines)] = (cell, first + offset)

    def place(self, line: int) -> str | None:
        found = self.places.get(line)
        return None if found is None else msg("watch.cell_place", count=found[0], line=found[1])

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def notebook_source(namespace: MutableMapping, cells: list[str], folder: str | None = None) -> tuple[Listing, dict[str, str]]:
    """The notebook's functions as they are defined now (the last run of each cell), after its imports;
    and where each function was defined (``cell [5], line 1``). ``folder`` (the notebook's working
    directory) stays importable, as it is for the notebook: the course's helper modules live there."""
    from shapecheck.watch import original

    functions = []
    for name, value in list(namespace.items()):
        value = original(value)
        if not isinstance(value, types.FunctionType) or name.startswith("_"):
            continue
        code = value.__code__
        count = cell_of(code.co_filename)
        if count is None:
            continue  # imported from a file (the course's helpers): the imports bring it
        try:
            lines, start = inspect.getsourcelines(value)
        except (OSError, TypeError):
            continue
        functions.append((count, start, name, value.__name__, "".join(lines)))
    functions.sort()
    listing = Listing()
    listing.add("# the functions of a notebook, as defined when it was diagnosed")
    if folder is not None:
        listing.add(f"import sys as _sys\n_sys.path.insert(0, {folder!r})")
    for statement in _imports(cells):
        listing.add(statement)
    places, written = {}, set()
    for count, start, name, own_name, text in functions:
        if own_name not in written:
            listing.add("")
            listing.add(text if not text.startswith((" ", "\t")) else inspect.cleandoc(text), count, start)
            written.add(own_name)
        if name != own_name:
            listing.add(f"{name} = {own_name}")
        places[name] = msg("watch.cell_place", count=count, line=start)
    return listing, places


def _in_cells(text: str, listing: Listing) -> str:
    """``notebook.py:12`` in a message becomes the cell and line it came from."""
    def cell(found: re.Match) -> str:
        return listing.place(int(found.group(1))) or found.group()

    return re.sub(r"notebook\.py:(\d+)", cell, text)


def diagnose_notebook(namespace: MutableMapping, cells: list[str], folder: str | None = None, **options: Any):
    """``sc.diagnose`` on the notebook's current functions: the same isolation as a file; findings name their cells."""
    from dataclasses import replace

    from shapecheck import diagnose

    listing, places = notebook_source(namespace, cells, folder)
    with tempfile.TemporaryDirectory(prefix="shapecheck-notebook-") as temporary:
        path = Path(temporary) / "notebook.py"
        path.write_text(listing.text, encoding="utf-8")
        report = diagnose(path, **options)

    def located(problem):
        return replace(problem, message=_in_cells(problem.message, listing), hint=_in_cells(problem.hint, listing))

    for result in report.functions:
        result.problems = [located(p) for p in result.problems]
    notes = [msg("watch.defined_in", function=r.name, place=places[r.name])
             for r in report.root_causes if r.name in places]
    return replace(report, path=msg("watch.this_notebook"), findings=[located(p) for p in report.findings],
                   notes=[_in_cells(n, listing) for n in report.notes] + notes)


# --- the extension --------------------------------------------------------------------------------


def load_ipython_extension(ip) -> None:
    """``%load_ext shapecheck``: the ``%shapecheck`` line magic."""
    ip.register_magic_function(_magic(ip), magic_kind="line", magic_name="shapecheck")


def unload_ipython_extension(ip) -> None:
    from shapecheck.watch import unwatch

    unwatch(ip.user_ns)


def _magic(ip):
    def shapecheck(line: str):
        """%shapecheck watch | unwatch | diagnose [dnn|rnn]: check this notebook's functions."""
        from shapecheck.errors import ShapecheckError

        words = line.split()
        command = words[0] if words else ""
        try:
            if command == "watch":
                from shapecheck.watch import watch

                names = watch(ip.user_ns)
                print(msg("watch.watching", names=", ".join(names) or "-"))
                return None
            if command == "unwatch":
                from shapecheck.watch import unwatch

                unwatch(ip.user_ns)
                return None
            if command == "diagnose" and len(words) <= 2 and (len(words) == 1 or words[1] in ("dnn", "rnn")):
                kind = words[1] if len(words) == 2 else "auto"
                return diagnose_notebook(ip.user_ns, list(ip.user_ns.get("In", [])), os.getcwd(), kind=kind)
            raise ShapecheckError("watch.magic_usage", line=line.strip() or "-")
        except ShapecheckError as error:  # one clear line, not a traceback, in the cell's output
            print(str(error), file=sys.stderr)
            return None

    return shapecheck
