"""What the course's helper modules give students, so a student's imports work in the sandbox.

Each assignment's plug-in names its modules (``Assignment.modules``: ``dnn_utils`` -> ``sigmoid``,
``relu``, ...) and holds their code in its course file; a student's file imports them with the course's
signatures (``from dnn_utils import relu``, ``from rnn_utils import softmax``). The course's test
modules (``TEST_MODULES``: testCases, public_tests, ...) are stand-ins whose every attribute is a
callable that does nothing (a notebook's test calls are dropped before anything runs anyway).

``module_sources(kind)`` is what the sandbox's worker gets: each module's source and names, to compile
there. Two assignments may name one module (``dnn_app_utils_v3``: the application's models call its
``L_model_forward``, while in the step-by-step assignment that is the student's answer): the recognised
kind's own version is given, and without a kind the leanest (helpers only, never an answer). In this process, ``course_modules()`` registers them in ``sys.modules`` for a ``with`` block and
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
# the notebooks' environment: plotting, data files, images. Stand-ins whose every name does nothing, so a
# model that plots its costs (plt.plot) runs; the student's numpy code is what is checked
ENVIRONMENT_MODULES = ("matplotlib", "matplotlib.pyplot", "h5py", "scipy", "scipy.io", "scipy.ndimage", "scipy.special",
                       "PIL", "PIL.Image", "sklearn", "sklearn.datasets", "sklearn.linear_model", "IPython", "IPython.display")
HELPER_MODULES: tuple[str, ...] = tuple(name for a in ASSIGNMENTS.values() for name in a.modules)


def course_helper(kind: str, name: str) -> Callable:
    """The course's helper ``name`` for the assignment ``kind``: ``sigmoid`` is dnn_utils' pair-returning
    one for "dnn" and rnn_utils' array-returning one for "rnn"."""
    return getattr(get(kind).course, name)


def _helper_modules(kind: str | None) -> dict[str, tuple]:
    """Module name -> (the assignment that gives it, its names): ``kind``'s own, else the leanest."""
    chosen: dict[str, tuple] = {}
    for assignment in ASSIGNMENTS.values():
        for name, names in assignment.modules.items():
            if name not in chosen or (chosen[name][0].kind != kind and (assignment.kind == kind or len(names) < len(chosen[name][1]))):
                chosen[name] = (assignment, names)
    return chosen


def module_sources(kind: str | None = None) -> dict[str, list]:
    """Module name -> [the code its names need, from the course file (plugin.course_excerpt), the names it
    exports], as the assignment ``kind`` (default: the default assignment) gives them; what the sandbox's
    worker gets. Only ``kind``'s own modules carry code: another assignment's helpers may hold this one's
    answers (dnn_app_utils_v2's L_model_forward, reg_utils' update_parameters), so its modules, like a test
    module, are stand-ins whose every name does nothing (source "")."""
    from shapecheck.diagnosis.assignments import DEFAULT
    from shapecheck.diagnosis.plugin import course_excerpt

    kind = kind or DEFAULT
    # a module none of whose names a graded function calls (init_utils, opt_utils: the notebook's experiments)
    # is a stand-in too
    sources: dict[str, list] = {
        name: [course_excerpt(assignment.course_source, names), list(names)] if names and assignment.kind == kind else ["", []]
        for name, (assignment, names) in _helper_modules(kind).items()}
    for name in TEST_MODULES + ENVIRONMENT_MODULES:
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


def build_course_modules(kind: str | None = None) -> dict[str, types.ModuleType]:
    """Fresh module objects, by name, as the assignment ``kind`` gives them (nothing is registered)."""
    modules: dict[str, types.ModuleType] = {}
    for name, (assignment, names) in _helper_modules(kind).items():
        module = (types.ModuleType if names else _StandIn)(name, f"shapecheck's stand-in for the course's {name}.py")
        for key in names:
            setattr(module, key, getattr(assignment.course, key))
        module.__all__ = list(names)
        modules[name] = module
    for name in TEST_MODULES:
        stand_in = _StandIn(name, f"shapecheck's empty stand-in for {name}.py: its tests are not run")
        stand_in.__all__ = []
        modules[name] = stand_in
    return modules


def install_course_modules(kind: str | None = None) -> list[str]:
    """Register the course's helper modules and test stand-ins in ``sys.modules``; returns their names."""
    modules = build_course_modules(kind)
    sys.modules.update(modules)
    return list(modules)


@contextmanager
def course_modules(kind: str | None = None) -> Iterator[list[str]]:
    """``install_course_modules(kind)`` for the duration of a ``with`` block, then the previous state back."""
    modules = build_course_modules(kind)
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
