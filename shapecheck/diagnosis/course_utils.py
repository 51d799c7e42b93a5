"""What the course's helper modules give students, so a student's imports work in the sandbox.

Each assignment's plug-in names its modules (``Assignment.modules``: ``dnn_utils`` -> ``sigmoid``,
``relu``, ...) and holds their code in its course file; a student's file imports them with the course's
signatures (``from dnn_utils import relu``, ``from rnn_utils import softmax``). The course's test
modules (``TEST_MODULES``: testCases, public_tests, ...) are stand-ins whose every attribute is a
callable that does nothing (a notebook's test calls are dropped before anything runs anyway).

``module_sources()`` is what the sandbox's worker gets: each module's source and names, to compile
there. In this process, ``course_modules()`` registers them in ``sys.modules`` for a ``with`` block and
puts back what was there; ``install_course_modules()`` registers them for good;
``course_helper(kind, name)`` is one helper (``sigmoid`` differs between the two assignments).

    >>> with course_modules():
    ...     from dnn_utils import relu
    ...     relu(np.array([[-1.0, 2.0]]))[0]
    array([[0., 2.]])
"""

from __future__ import annotations

import sys
import types
from contextlib import contextmanager
from typing import Callable, Iterator

import numpy as np  # noqa: F401 - for the example above

from shapecheck.diagnosis.assignments import ASSIGNMENTS, get

TEST_MODULES = ("testCases", "testCases_v2", "testCases_v3", "testCases_v4", "testCases_v4a",
                "public_tests", "test_utils", "lr_utils")
HELPER_MODULES: tuple[str, ...] = tuple(name for a in ASSIGNMENTS.values() for name in a.modules)


def course_helper(kind: str, name: str) -> Callable:
    """The course's helper ``name`` for the assignment ``kind``: ``sigmoid`` is dnn_utils' pair-returning
    one for "dnn" and rnn_utils' array-returning one for "rnn"."""
    return getattr(get(kind).course, name)


def module_sources() -> dict[str, list]:
    """Module name -> [the code its names need, from the course file (plugin.course_excerpt), the names it
    exports]; a test module has no source ("")."""
    from shapecheck.diagnosis.plugin import course_excerpt

    sources: dict[str, list] = {}
    for assignment in ASSIGNMENTS.values():
        for name, names in assignment.modules.items():
            sources.setdefault(name, [course_excerpt(assignment.course_source, names), list(names)])
    for name in TEST_MODULES:
        sources.setdefault(name, ["", []])
    return sources


def _nothing(*args, **kwargs) -> None:
    """A notebook's test call, made harmless."""
    return None


class _StandIn(types.ModuleType):
    """A module where every public name is a callable that does nothing."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import machinery asks for __path__, __spec__, ...: say no
            raise AttributeError(name)
        return _nothing


def build_course_modules() -> dict[str, types.ModuleType]:
    """Fresh module objects, by name (nothing is registered)."""
    modules: dict[str, types.ModuleType] = {}
    for assignment in ASSIGNMENTS.values():
        for name, names in assignment.modules.items():
            module = types.ModuleType(name, f"shapecheck's stand-in for the course's {name}.py")
            for key in names:
                setattr(module, key, getattr(assignment.course, key))
            module.__all__ = list(names)
            modules.setdefault(name, module)
    for name in TEST_MODULES:
        stand_in = _StandIn(name, f"shapecheck's empty stand-in for {name}.py: its tests are not run")
        stand_in.__all__ = []
        modules[name] = stand_in
    return modules


def install_course_modules() -> list[str]:
    """Register the course's helper modules and test stand-ins in ``sys.modules``; returns their names."""
    modules = build_course_modules()
    sys.modules.update(modules)
    return list(modules)


@contextmanager
def course_modules() -> Iterator[list[str]]:
    """``install_course_modules()`` for the duration of a ``with`` block, then the previous state back."""
    modules = build_course_modules()
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield list(modules)
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
