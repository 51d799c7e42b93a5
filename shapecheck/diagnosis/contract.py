"""Every assignment's functions, gathered from the plug-ins (assignments/<kind>/contract.py).

``KINDS`` maps a kind to its contracts, bottom-up; ``CONTRACTS`` a function name to its contract (the
first assignment that has the name: where a kind is known, ask ``assignments.get(kind)``);
``DICT_LAYOUTS`` every layout the contracts name; ``COURSE_HELPERS`` the course's helpers per kind.
"""

from __future__ import annotations

from shapecheck.diagnosis.assignments import ASSIGNMENTS, CONTRACTS
from shapecheck.diagnosis.plugin import BATCHES, Contract, Shape

__all__ = ["BATCHES", "Contract", "Shape", "CONTRACTS", "KINDS", "DICT_LAYOUTS", "COURSE_HELPERS", "bottom_up"]

KINDS: dict[str, tuple[Contract, ...]] = {kind: a.contracts for kind, a in ASSIGNMENTS.items()}
DICT_LAYOUTS: dict[str, dict[str, tuple]] = {name: layout for a in ASSIGNMENTS.values() for name, layout in a.layouts.items()}
COURSE_HELPERS: dict[str, tuple[str, ...]] = {kind: a.helpers for kind, a in ASSIGNMENTS.items()}


def bottom_up(kind: str) -> tuple[Contract, ...]:
    """Helpers before the functions that call them (each plug-in lists them in that order)."""
    return KINDS[kind]
