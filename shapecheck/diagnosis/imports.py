"""What a student's file imports that the checker lacks: the course's environment, not a mistake.

A notebook of the specialization imports its environment: plotting (matplotlib), data files (h5py,
scipy.io), images (PIL), sometimes tensorflow, and the course's own helpers and test modules. In the
sandbox the course's helpers are given (course_utils), its test modules and the plotting and data
packages are stand-ins that do nothing, and every other package the file imports that is not there
(tensorflow, seaborn, a module of the student's own) is *absent*: importing it works, using it raises
``ModuleNotFoundError`` (worker.py). So definitions are checked without them; a function that uses one
when it runs is *not checked*, never blamed; and the report says so in one line.

Read from the file's syntax in the trusted process: nothing here runs the student's code.

    >>> import ast
    >>> tree = ast.parse("import numpy as np\\nimport tensorflow as tf\\nfrom h5py import File\\nimport os.path")
    >>> imported(tree)
    ['numpy', 'tensorflow', 'h5py', 'os.path']
    >>> absent(imported(tree), {"h5py": ["", []]})
    ['tensorflow']
    >>> absent(["tensorflow.keras"], {})
    ['tensorflow', 'tensorflow.keras']

A star import of such a module (``from tensorflow.keras.layers import *``, ``from testCases import *``) brings
names the checker cannot know: a name the file uses and binds nowhere may come from it, so it is the
environment's, not a NameError of the student's (``opaque_stars``, ``star_source``).

    >>> tree = ast.parse("from tensorflow.keras.layers import *\\nfrom dnn_utils import *\\nx = Dense(3)")
    >>> opaque_stars(tree, {"dnn_utils": ["def relu(Z): ...", ["relu"]], "tensorflow.keras.layers": [None, []]})
    ['tensorflow.keras.layers']
    >>> star_source("Dense", ["tensorflow.keras.layers"], bound_names(tree)), star_source("x", ["tensorflow.keras.layers"], bound_names(tree))
    ('tensorflow.keras.layers', None)
"""

from __future__ import annotations

import ast
import re
import sys

ALWAYS_THERE = frozenset({"numpy", "__future__"})  # besides the standard library
_NOT_FOUND = re.compile(r"^No module named '([\w.]+)'")


def imported(tree: ast.Module | None) -> list[str]:
    """Every module the file imports (at any depth: a function may import inside itself), in file order."""
    names: list[str] = []
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return list(dict.fromkeys(names))


def _root(name: str) -> str:
    return name.split(".")[0]


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts) + 1)]


# the specialization's packages and helper modules, never taken for a typo of a module the sandbox has
COURSE_PACKAGES = frozenset({"tensorflow", "keras", "pydot", "graphviz", "pandas", "seaborn", "tqdm", "imageio", "cv2",
                             "torch", "faker", "babel", "emoji", "music21", "pydub", "IPython", "sklearn"})


def _misspelled(root: str, given: dict) -> bool:
    """``import numpyy``: a near miss of a module the sandbox has is the student's typo, not their environment
    (the course's own helpers, ``*_utils`` and ``testCases*``, and its packages are never taken for one)."""
    import difflib

    if root in COURSE_PACKAGES or root.endswith("_utils") or root.startswith(("testCases", "test_", "public_tests")):
        return False

    known = [*ALWAYS_THERE, *sys.stdlib_module_names, *{_root(name) for name in given}]
    return bool(difflib.get_close_matches(root, known, n=1, cutoff=0.8))


def absent(names_imported: list[str], given: dict) -> list[str]:
    """The modules the file imports (``imported``) that the sandbox neither has nor stands in for (``given``: the
    modules the sandbox gives, by name), with the packages above them (``tensorflow``, ``tensorflow.keras``).
    A near miss of a module it has (``numpyy``) is not among them: importing it fails, as it would for the student."""
    names = []
    for name in names_imported:
        if _root(name) in sys.stdlib_module_names or _root(name) in ALWAYS_THERE or _misspelled(_root(name), given):
            continue
        names.extend(prefix for prefix in _prefixes(name) if prefix not in given)
    return list(dict.fromkeys(names))


def stood_in(names_imported: list[str], given: dict) -> list[str]:
    """The packages the file imports (``imported``) that are stand-ins (the course's test modules, plotting, data
    files: given without their code, ``given[name][0] == ""``) or absent; top-level names, in file order."""
    names = []
    for name in names_imported:
        module = given.get(name) or given.get(_root(name))
        if module is None and not (_root(name) in sys.stdlib_module_names or _root(name) in ALWAYS_THERE
                                   or _misspelled(_root(name), given)) \
                or module is not None and not module[0]:
            names.append(_root(name))
    return list(dict.fromkeys(names))


def missing_package(exc_type: str, message: str, absent_names) -> str | None:
    """The absent package an exception says was used (the worker's words, checked against ``absent_names``)."""
    found = _NOT_FOUND.match(message or "") if exc_type == "ModuleNotFoundError" else None
    return found.group(1) if found and _root(found.group(1)) in set(absent_names) else None


def opaque_stars(tree: ast.Module | None, given: dict) -> list[str]:
    """The modules the file star-imports (``from M import *``, at any depth) whose names the checker cannot know:
    absent ones and stand-ins (``given[M][0]`` None or ""). The course's helpers (their names known) are not."""
    names = []
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and any(a.name == "*" for a in node.names):
            module = given.get(node.module)
            if module is None and _root(node.module) in sys.stdlib_module_names | ALWAYS_THERE:
                continue
            if module is None or not module[0]:
                names.append(node.module)
    return list(dict.fromkeys(names))


def bound_names(tree: ast.Module | None) -> frozenset[str]:
    """Every name the file binds anywhere: assignments, definitions, imports, arguments, loop and with targets."""
    names: set[str] = set()
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return frozenset(names)


def _test_module(module: str) -> bool:
    """The course's test modules (testCases_v4a, public_tests, test_utils): they hand out test cases and tests only."""
    return "test" in _root(module).lower()


def star_source(name: str, stars: list[str], bound: frozenset[str]) -> str | None:
    """The star-imported module(s) an undefined ``name`` may come from (``opaque_stars``), when the file binds it
    nowhere; None when it is the student's own undefined name (or no such import). A course's test module gives
    test cases and tests only (``L_model_forward_test_case``, ``compute_cost_test``), never the notebook's data
    (``train_x``): a global of another cell stays the student's fault."""
    import difflib

    near = difflib.get_close_matches(name, bound, n=1, cutoff=0.8)
    if not name or name in bound or (near and near[0].lower() != name.lower()):
        return None  # defined in the file, or a near miss of a name it defines (m_exmaples): the student's own
    # (a name that differs from one of the file's only in case is the environment's class: Activation, activation)
    sources = [module for module in stars if not _test_module(module) or "test" in name.lower()]
    return ", ".join(sources) or None
