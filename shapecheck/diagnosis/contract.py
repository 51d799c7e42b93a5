"""Every assignment's functions, gathered from the plug-ins (assignments/<kind>/contract.py).

A contract is found by kind and name: ``contract_of(name, kind)`` (several assignments grade a
``compute_cost`` or a ``predict``, with different signatures). ``ALL`` is every contract, ``NAMES``
every function name once, ``KINDS`` a kind's contracts bottom-up; ``DICT_LAYOUTS`` every layout the
contracts name; ``COURSE_HELPERS`` the course's helpers per kind.
"""

from __future__ import annotations

from shapecheck.diagnosis.assignments import ALL, ASSIGNMENTS, NAMES, answers, owners
from shapecheck.diagnosis.assignments import contract as contract_of
from shapecheck.diagnosis.plugin import BATCHES, Contract, Shape

__all__ = ["BATCHES", "Contract", "Shape", "ALL", "NAMES", "KINDS", "DICT_LAYOUTS", "COURSE_HELPERS", "answers", "bottom_up", "contract_of",
           "owners"]

KINDS: dict[str, tuple[Contract, ...]] = {kind: a.contracts for kind, a in ASSIGNMENTS.items()}
DICT_LAYOUTS: dict[str, dict[str, tuple]] = {name: layout for a in ASSIGNMENTS.values() for name, layout in a.layouts.items()}
COURSE_HELPERS: dict[str, tuple[str, ...]] = {kind: a.helpers for kind, a in ASSIGNMENTS.items()}


def bottom_up(kind: str) -> tuple[Contract, ...]:
    """Helpers before the functions that call them (each plug-in lists them in that order)."""
    return KINDS[kind]
