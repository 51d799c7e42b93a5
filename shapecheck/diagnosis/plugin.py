"""What an assignment plug-in is made of: the one interface between the diagnosis and an assignment.

An assignment is one folder under ``assignments/`` whose ``__init__.py`` defines ``ASSIGNMENT``, an
``Assignment``. Its parts, and which side of the trust boundary each lives on:

- trusted (this process; the student's code never sees them): the ``contracts`` (names, arguments,
  outputs, who calls whom, bottom-up), the seeded ``cases``, the ``reference`` (the right answers,
  on the engine), the ``mistakes`` (mutants, read by the hint rules), extra ``hint_rules``;
- shipped as source into the sandbox: ``course``, ONE self-contained file (numpy only, no import of
  shapecheck) with the course's own code: the helper modules students import (``modules``), the
  course's functions with a switch per mistake (``bug=None`` is the right one; they stand in for a
  student's function when a root cause is sought), and, for a gradient check, ``numeric_objective``.

See ARCHITECTURE.md, "How to add an assignment", and assignments/dnn/ as the example to copy.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Mapping

Shape = tuple | None

# an output that is a list of (X, Y) pairs (random_mini_batches): compared pair by pair, by length first
BATCHES = "mini_batches"

KINK_MARGIN = 0.05  # |Z| of every ReLU input is at least this (ε = 1e-7 steps never cross 0)
SATURATION = 3.0  # |z| of every sigmoid or tanh input is at most this where we can choose it


@dataclass(frozen=True)
class Contract:
    """One function students write: its arguments and outputs with their shapes (the tracer's symbols,
    ``None`` for what is the student's own business, like caches, or a layout name from ``layouts``)."""

    name: str
    kind: str  # the assignment's kind: "dnn", "rnn", ...
    role: str  # "init" | "forward" | "cost" | "backward" | "update"
    inputs: dict[str, Shape | str]  # argument -> shape, or a layout name, or a literal type name
    outputs: dict[str, Shape | str]  # output -> shape (a 1-tuple of outputs is returned bare, not as a tuple)
    callees: tuple[str, ...] = ()  # contract functions it is meant to call (for the root cause)
    # "older_arity": how many values the 2017–20 edition returns; "older_inputs": its parameters ("x, theta,
    # epsilon"), where they differ (edition.py reads both to say which edition a file matches); "since": "2021+" for
    # a function only the newer notebook has (not scored for a 2017–20 file); "optional": a function of the notebook a
    # file may leave out because nothing else calls it (the deep network's two-layer initialize_parameters): scored
    # only when the file defines it
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def arity(self) -> int:
        return len(self.outputs)

    @property
    def returns_tuple(self) -> bool:
        return len(self.outputs) > 1


@dataclass(frozen=True, eq=False)
class Case:
    """One call: the function's arguments, a label for reports, the sizes behind them."""

    function: str
    args: tuple
    label: str
    sizes: dict = field(default_factory=dict)
    forward_args: tuple | None = None  # inputs of the linked forward, when the function takes caches
    # the student's functions the course's code replaces for this case (their name -> the course file's name),
    # e.g. gradient_check with a wrong backward_propagation: does it notice? The reference gets them too
    stand_ins: dict = field(default_factory=dict)
    # outside the course's domain (a network with L = 1): the message id saying so. Such a case runs after the
    # others, and failing it is a warning, never a failure (code right for the course's networks is right)
    outside: str | None = None
    kind: str = ""  # the assignment the case belongs to (set by Assignment.cases: plug-ins need not write it)
    # np.random.seed(global_seed) just before the call, as a notebook's test cell does (planar's 2021+
    # initialize_parameters draws from the caller's stream); the student's function, the course's and the
    # mutants all run after it
    global_seed: int | None = None

    def fresh_args(self) -> tuple:
        """A deep copy of the arguments: nothing that runs on them can change the case."""
        return copy.deepcopy(self.args)


@dataclass(frozen=True)
class Link:
    """Where a backward function's caches come from: ``forward``'s outputs, (argument, output) pairs."""

    forward: str
    outputs: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Mistake:
    """One classic mistake: where it is written, and the hint id it stands for."""

    name: str
    where: tuple[str, ...]  # the contract functions whose own code holds it
    hint: str
    message: str | None = None  # its sentence in hints.toml; None: "hints.<name>" (several mistakes may share one)

    @property
    def message_id(self) -> str:
        return f"hints.{self.message or self.name}"


@dataclass(frozen=True)
class GradientCheck:
    """A backward checked against centered differences of the student's own forward (and cost): the
    course file's ``numeric_objective(*uses, *inputs(case))`` returns (J, θ, names to differentiate)."""

    backward: str
    uses: tuple[str, ...]  # the student's functions J is made of, all passing
    inputs: Callable[[Case], tuple]  # from the backward's first case


@dataclass(frozen=True)
class Assignment:
    """One assignment. What needs no numpy is given here (the contracts: the tracer, ``watch`` and the
    rubric read them without loading numpy); the rest is read from the plug-in's modules on first use:
    ``cases.CASES`` (name -> seed -> [Case]), ``reference.FUNCTIONS`` (name -> the right answer),
    ``course`` (the self-contained course file), ``mistakes.MISTAKES``."""

    kind: str  # "dnn": --kind, the JSON's "kind", the rubric's kind
    package: str  # the plug-in's package: its cases, reference, course and mistakes modules live there
    contracts: tuple[Contract, ...]  # bottom-up: helpers before the functions that call them
    layouts: Mapping[str, dict[str, tuple]] = field(default_factory=dict)  # dict layouts, "W{l}": ("n{l}", "n{l-1}")
    links: Mapping[str, Link] = field(default_factory=dict)  # backward -> the forward that makes its caches
    helpers: tuple[str, ...] = ()  # course helpers a student may define themselves (sigmoid, relu_backward ...)
    modules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # importable module -> names from course
    gradient_checks: tuple[GradientCheck, ...] = ()
    hint_rules: tuple = ()  # hints.HintRule, tried before the shared relations
    # (function, exception type, message, case) -> (hint id, sentence) | None: read before the shared rules
    exception_rules: tuple[Callable, ...] = ()

    def _part(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")

    @cached_property
    def cases(self) -> Mapping[str, Callable[[int], list[Case]]]:
        """name -> seed -> the cases, each stamped with this assignment's kind (a name alone is ambiguous)."""
        def stamped(make: Callable[[int], list[Case]]) -> Callable[[int], list[Case]]:
            return lambda seed: [dataclasses.replace(case, kind=self.kind) for case in make(seed)]

        return {name: stamped(make) for name, make in self._part("cases").CASES.items()}

    @cached_property
    def reference(self) -> Mapping[str, Callable]:
        return self._part("reference").FUNCTIONS

    def stand_ins(self, case: Case) -> dict[str, Callable]:
        """The case's stand-ins as the course file's functions, by the name they replace."""
        return {name: getattr(self.course, course_name) for name, course_name in case.stand_ins.items()}

    @cached_property
    def editions(self) -> Mapping[str, Mapping[str, Callable]]:
        """name -> {edition: its right answer}, where an older notebook's answer differs (reference.EDITIONS)."""
        return getattr(self._part("reference"), "EDITIONS", {})

    @cached_property
    def course(self) -> ModuleType:
        return self._part("course")

    @cached_property
    def mistakes(self) -> tuple[Mistake, ...]:
        return self._part("mistakes").MISTAKES

    @cached_property
    def course_source(self) -> str:
        """The course file's text, as the sandbox's worker compiles it (read without importing it)."""
        return Path(importlib.util.find_spec(f"{self.package}.course").origin).read_text(encoding="utf-8")

    def contract(self, name: str) -> Contract:
        return next(c for c in self.contracts if c.name == name)


def given(function: Callable, replacements: Mapping[str, Callable]) -> Callable:
    """A copy of the plain function ``function`` that finds ``replacements`` under their names among its
    globals (a case's stand-ins: the reference, the course's code and a student's function alike)."""
    import types

    if not replacements or not isinstance(function, types.FunctionType):
        return function
    copy_ = types.FunctionType(function.__code__, {**function.__globals__, **replacements}, function.__name__,
                               function.__defaults__, function.__closure__)
    copy_.__kwdefaults__ = function.__kwdefaults__
    return copy_


def fit_arguments(contract: Contract, args: tuple, accepted: int | None) -> tuple:
    """``args`` cut to a definition that takes ``accepted`` positional arguments, where the contract lets an
    edition leave its last ones out (``notes["optional_inputs"]``: planar's 2021+ ``compute_cost(A2, Y)``
    next to 2017–20's ``compute_cost(A2, Y, parameters)``); otherwise ``args`` as they are."""
    optional = int(contract.notes.get("optional_inputs", 0))
    if optional and accepted is not None and len(args) - optional <= accepted < len(args):
        return args[:accepted]
    return args


def course_excerpt(source: str, names) -> str:
    """Only what ``names`` need of a course file: its imports, and the top-level statements that define
    ``names`` and whatever those use, in the file's order. What a sandbox worker is sent, so it never holds
    the course's other functions (a student's code there could find them, and pass with them)."""
    return _excerpt(source, frozenset(names))


@functools.lru_cache(maxsize=256)
def _excerpt(source: str, names: frozenset) -> str:
    import ast

    from shapecheck.diagnosis.source import parse  # one parse at a time: graders diagnose in threads

    tree = parse(source)
    lines = source.splitlines()
    defines: dict[str, int] = {}
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defines[node.name] = index
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    defines[target.id] = index
    keep = {i for i, node in enumerate(tree.body) if isinstance(node, (ast.Import, ast.ImportFrom))}
    queue = [defines[n] for n in names if n in defines]
    while queue:
        index = queue.pop()
        if index in keep:
            continue
        keep.add(index)
        used = {n.id for n in ast.walk(tree.body[index]) if isinstance(n, ast.Name)}
        queue.extend(defines[n] for n in used if n in defines)
    chunks = []
    for index in sorted(keep):
        node = tree.body[index]
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        chunks.append("\n".join(lines[first - 1:node.end_lineno]))
    return "\n\n\n".join(chunks) + "\n"


def rng(seed: int, function: str, k: int):
    """The generator of a function's k-th case: the same seed gives the same numbers."""
    import numpy as np

    return np.random.default_rng([seed, sum(map(ord, function)), k])


def arrays(layout_name: str, sizes: Mapping, draw: Callable[[str, tuple], Any], L: int = 1) -> dict:  # noqa: N803
    """One array per key of the dict layout ``layout_name`` of ``core/tensors.py`` ({l} over 1..L), in its
    order: ``draw(key, shape)`` makes each, its shape the layout's under ``sizes`` (n0, n1, ..., n_a, ...)."""
    from shapecheck.core.tensors import layout, sizes as numbers

    return {key: draw(key, numbers(shape, sizes)) for key, shape in layout(layout_name, L).items()}


def relu_ok(Z) -> bool:
    """Away from the kink, and both signs in each layer (so a missing derivative shows)."""
    import numpy as np

    return bool(np.all(np.abs(Z) >= KINK_MARGIN) and (Z > 0).any() and (Z < 0).any())


def sigmoid_ok(Z) -> bool:
    import numpy as np

    return bool(np.all(np.abs(Z) <= SATURATION))


def label(sizes: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items())

