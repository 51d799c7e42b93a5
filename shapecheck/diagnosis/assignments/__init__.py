"""The assignments ``diagnose`` knows: one folder each, found here by itself (no list to edit).

A folder ``assignments/<kind>/`` whose ``__init__.py`` defines ``ASSIGNMENT`` (plugin.Assignment) is
registered under its kind. ``ASSIGNMENTS`` keeps them in name order.

A function name is not an address: ``compute_cost``, ``predict``, ``update_parameters``, ``optimize`` ...
are graded in several assignments with different signatures. A contract is found by its kind and name
(``contract(name, kind)``); without a kind only a name that one assignment alone has is found
(``owners`` lists who has a name). ``recognise`` reads the kind off a file's definitions.
"""

from __future__ import annotations

import importlib
import pkgutil

from shapecheck.core.messages import msg
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
ALL: tuple[Contract, ...] = tuple(c for a in ASSIGNMENTS.values() for c in a.contracts)  # every (kind, name)
NAMES: tuple[str, ...] = tuple(dict.fromkeys(c.name for c in ALL))  # every function name, once


def get(kind: str) -> Assignment:
    return ASSIGNMENTS[kind]


def owners(name: str) -> tuple[str, ...]:
    """The kinds whose contracts have a function called ``name`` (several for compute_cost, predict, ...).

    >>> owners("linear_forward")
    ('dnn',)
    """
    return tuple(kind for kind, a in ASSIGNMENTS.items() if any(c.name == name for c in a.contracts))


def by_function(name: str, kind: str | None = None) -> Assignment:
    """The assignment of contract function ``name``: ``kind``'s, or the one assignment that has the name.
    KeyError when none has it, or when several do and no kind says which."""
    if kind is not None:
        assignment = ASSIGNMENTS[kind]
        if not any(c.name == name for c in assignment.contracts):
            raise KeyError(msg("diagnose.not_in_assignment", name=name, kind=kind))
        return assignment
    kinds = owners(name)
    if len(kinds) != 1:
        raise KeyError(msg("diagnose.not_contract", name=name) if not kinds
                       else msg("diagnose.several_kinds", name=name, kinds=", ".join(kinds), first=kinds[0]))
    return ASSIGNMENTS[kinds[0]]


def contract(name: str, kind: str | None = None) -> Contract:
    """The contract of ``name`` in ``kind`` (or in the one assignment that has it); KeyError otherwise."""
    return by_function(name, kind).contract(name)


# Assignments of the specialization without a plug-in yet, by the functions only they define: a file of
# theirs is named for what it is, not misread as an assignment that shares a name (Dinosaurus's optimize
# is not logistic regression's; planar's forward_propagation is not the gradient-checking one's).
NOT_YET = {
}


def not_yet_checked(defined: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """(notebook, its telling functions) when ``defined`` holds every telling function of an assignment
    ``diagnose`` has no plug-in for yet; else None.

    >>> not_yet_checked(["clip", "sample", "optimize"]) is None  # Dinosaurus has its plug-in
    True
    >>> not_yet_checked(["linear_forward", "sample"]) is None
    True
    """
    for notebook, telling in NOT_YET.values():
        if all(name in defined for name in telling):
            return notebook, telling
    return None


def recognise(defined, signatures: dict[str, tuple[str, ...]] | None = None) -> str:
    """The kind whose contract functions the file defines most of; among equals, the one whose arguments
    the file's definitions match best (``signatures``: name -> argument names, read from the syntax),
    then the default, then by name.

    >>> recognise(["linear_forward", "predict"], {"predict": ("w", "b", "X")})
    'logreg'
    """
    signatures = signatures or {}

    def score(kind: str) -> tuple:
        ours = answers(kind, defined)
        fitting = sum(_fits(signatures.get(c.name), c) for c in ours)
        return len(ours), fitting, kind == DEFAULT

    return max(ASSIGNMENTS, key=score)


def answers(kind: str, defined) -> list[Contract]:
    """The contract functions of ``kind`` a file defines as its answers. Fewer than half of them, next to another
    assignment's graded functions that call them, are that assignment's collaborators, not answers: the
    application notebook's models calling the file's own pasted L_model_forward (a file holding most of the
    step-by-step notebook holds that notebook too).

    >>> [c.name for c in answers("dnn", ["two_layer_model", "L_layer_model", "L_model_forward"])]
    []
    >>> [c.name for c in answers("dnn", ["linear_forward", "L_model_forward"])]
    ['linear_forward', 'L_model_forward']
    """
    defined = set(defined)
    contracts = ASSIGNMENTS[kind].contracts
    ours = [c for c in contracts if c.name in defined]
    if 2 * len(ours) >= len(contracts):
        return ours
    names = {c.name for c in contracts}
    borrowed = {helper for other, a in ASSIGNMENTS.items() if other != kind
                and any(c.name in defined and c.name not in names for c in a.contracts) for helper in a.helpers}
    return [c for c in ours if c.name not in borrowed]


def _fits(arguments: tuple[str, ...] | None, contract: Contract) -> bool:
    """The definition's arguments are the contract's (its first ones: an edition may leave trailing ones out)."""
    if arguments is None:
        return False
    inputs = tuple(contract.inputs)
    return len(arguments) > 0 and inputs[:len(arguments)] == tuple(arguments)


def recognise_all(defined, signatures: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Every assignment a file holds functions of, the one ``recognise`` picks first: another assignment
    counts when the file defines at least two of the functions only it grades (one, if it grades just one),
    with that assignment's arguments (planar's forward_propagation(X, parameters) is not gradient checking's
    forward_propagation(x, theta)).

    >>> recognise_all(["linear_forward", "linear_backward", "rnn_cell_forward", "rnn_forward"])
    ['dnn', 'rnn']
    >>> recognise_all(["linear_forward", "rnn_cell_forward"])
    ['dnn']
    """
    signatures = signatures or {}
    first = recognise(defined, signatures)
    others = []
    for kind, assignment in ASSIGNMENTS.items():
        own = [c for c in assignment.contracts if not any(c.name in (d.name for d in a.contracts)
                                                           for k, a in ASSIGNMENTS.items() if k != kind)]
        answered = {c.name for c in answers(kind, defined)}
        held = [c for c in own if c.name in answered and (c.name not in signatures or _fits(signatures[c.name], c))]
        if kind != first and held and len(held) >= min(2, len(own)):
            others.append((len(held), kind))
    return [first] + [kind for _, kind in sorted(others, key=lambda pair: (-pair[0], pair[1]))]
