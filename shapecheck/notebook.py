"""shapecheck inside IPython and Jupyter: cells as places, a watch that follows re-run cells, ``%shapecheck``.

    %load_ext shapecheck
    %shapecheck watch          # sc.watch(globals()), kept up to date after every cell
    %shapecheck diagnose       # the functions this notebook defines now, diagnosed in isolation
    %shapecheck unwatch

The package's entry point for IPython (``load_ipython_extension`` in ``shapecheck/__init__.py``
delegates here). Cells as places and the cell events are ``core/cells.py``; ``sc.watch`` uses them.
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

from shapecheck.core.cells import cell_of
from shapecheck.core.messages import msg

# --- the notebook's code as one file, for diagnose ---------------------------------------------------


def _plain(node: ast.stmt) -> bool:
    """An import, or an assignment of a plain value (no call): what the file version keeps from a notebook too."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return not any(isinstance(n, (ast.Call, ast.Await, ast.Yield)) for n in ast.walk(node.value))
    return False


def _definitions(cells: list[str]) -> list[tuple[int, int, str]]:
    """(execution count, line, text) of each top-level import and plain assignment run so far, in order;
    an import once. ``cells`` is IPython's ``In``: ``In[n]`` is the code of execution count n."""
    seen, out = set(), []
    for count, cell in enumerate(cells):
        try:
            tree = ast.parse(cell)
        except SyntaxError:  # a typo the student fixed in a later run
            continue
        for node in tree.body:
            text = ast.get_source_segment(cell, node)
            if not text or not _plain(node) or "shapecheck" in text or "get_ipython" in text:
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if text in seen:
                    continue
                seen.add(text)
            out.append((count, node.lineno, text))
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
    from shapecheck.validate.watch import original

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
    for count, line, statement in _definitions(cells):
        listing.add(statement, count, line)
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

    from shapecheck.diagnosis.runner import diagnose

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
    from shapecheck.validate.watch import unwatch

    unwatch(ip.user_ns)


def _magic(ip):
    def shapecheck(line: str):
        """%shapecheck watch | unwatch | diagnose [KIND]: check this notebook's functions (KIND: any assignment, as in diagnose --list)."""
        from shapecheck.core.errors import ShapecheckError

        words = line.split()
        command = words[0] if words else ""
        try:
            if command == "watch":
                from shapecheck.validate.watch import watch

                names = watch(ip.user_ns)
                print(msg("watch.watching", names=", ".join(names) or "-"))
                return None
            if command == "unwatch":
                from shapecheck.validate.watch import unwatch

                unwatch(ip.user_ns)
                return None
            from shapecheck.diagnosis.assignments import ASSIGNMENTS

            if command == "diagnose" and len(words) <= 2 and (len(words) == 1 or words[1] in (*ASSIGNMENTS, "auto")):
                kind = words[1] if len(words) == 2 else "auto"
                return diagnose_notebook(ip.user_ns, list(ip.user_ns.get("In", [])), os.getcwd(), kind=kind)
            raise ShapecheckError("watch.magic_usage", line=line.strip() or "-", kinds="|".join(ASSIGNMENTS))
        except ShapecheckError as error:  # one clear line, not a traceback, in the cell's output
            print(str(error), file=sys.stderr)
            return None

    return shapecheck
