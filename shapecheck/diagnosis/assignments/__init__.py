"""The assignments ``diagnose`` knows: one folder each, found here by itself (no list to edit).

A folder ``assignments/<kind>/`` whose ``__init__.py`` defines ``ASSIGNMENT`` (plugin.Assignment) is
registered under its kind. ``ASSIGNMENTS`` keeps them in name order; ``by_function`` finds the one a
contract function belongs to.
"""

from __future__ import annotations

import importlib
import pkgutil

from shapecheck.diagnosis.plugin import Assignment, Contract

DEFAULT = "dnn"  # what an empty or ambiguous file is checked as


def _discover() -> dict[str, Assignment]:
    found: dict[str, Assignment] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        assignment = importlib.import_module(f"{__name__}.{info.name}").ASSIGNMENT
        if assignment.kind in found:  # pragma: no cover - a plug-in copied without changing its kind
            raise RuntimeError(f"two assignments have the kind {assignment.kind!r}")
        found[assignment.kind] = assignment
    return found


ASSIGNMENTS: dict[str, Assignment] = _discover()
CONTRACTS: dict[str, Contract] = {c.name: c for a in ASSIGNMENTS.values() for c in a.contracts}


def get(kind: str) -> Assignment:
    return ASSIGNMENTS[kind]


def by_function(name: str) -> Assignment:
    """The assignment whose contract has ``name``; KeyError if none has."""
    return ASSIGNMENTS[CONTRACTS[name].kind]


# Assignments of the specialization without a plug-in yet, by the functions only they define: a file of
# theirs is named for what it is, not misread as an assignment that shares a name (Dinosaurus's optimize
# is not logistic regression's; planar's forward_propagation is not the gradient-checking one's).
NOT_YET = {
    "planar": ("Planar data classification with one hidden layer", ("layer_sizes", "nn_model")),
    "dinos": ("Character-level language model (Dinosaurus)", ("clip", "sample")),
}


def not_yet_checked(defined: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """(notebook, its telling functions) when ``defined`` holds every telling function of an assignment
    ``diagnose`` has no plug-in for yet; else None.

    >>> not_yet_checked(["clip", "sample", "optimize"])[0]
    'Character-level language model (Dinosaurus)'
    >>> not_yet_checked(["linear_forward", "sample"]) is None
    True
    """
    for notebook, telling in NOT_YET.values():
        if all(name in defined for name in telling):
            return notebook, telling
    return None


def recognise(defined: list[str]) -> str:
    """The kind whose contract functions the file defines most of (ties: the default, then by name)."""
    counts = {kind: sum(c.name in defined for c in a.contracts) for kind, a in ASSIGNMENTS.items()}
    return max(counts, key=lambda kind: (counts[kind], kind == DEFAULT))
