"""Which edition of a notebook a file matches: the 2017–20 one or the 2021+ one.

The two editions differ where a student can see it: what a function returns (the older Adam returns
parameters, v, s; the newer also v_corrected, s_corrected; the older application models return
parameters alone), its signature (the older ``gradient_check_n`` has no ``print_msg``; a contract says
so with ``notes["older_inputs"]``), and the keys of L_model_backward's gradients (the older edition keeps
dA[l-1] under "dA{l}"). Each function that shows one of these is evidence; functions that are the same
in both editions say nothing. The file's edition is the one its evidence agrees on, "mixed" when it
does not, and None when no function tells.

    >>> evidence = Evidence()
    >>> evidence.saw("update_parameters_with_adam", OLD)
    >>> evidence.edition, evidence.to_json()
    ('2017-20', {'update_parameters_with_adam': '2017-20'})
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

OLD, CURRENT = "2017-20", "2021+"


@dataclass
class Evidence:
    by_function: dict[str, str] = field(default_factory=dict)  # function -> OLD | CURRENT

    def saw(self, function: str, edition: str) -> None:
        """``function`` behaved as ``edition`` does; the older edition wins a disagreement between two cases."""
        if self.by_function.get(function) != OLD:
            self.by_function[function] = edition

    @property
    def edition(self) -> str | None:
        found = set(self.by_function.values())
        return None if not found else found.pop() if len(found) == 1 else "mixed"

    def to_json(self) -> dict[str, str]:
        return dict(self.by_function)


def from_arity(contract, value) -> str | None:
    """The edition a function's returned tuple shows, where the editions return different numbers of values."""
    older = int(contract.notes.get("older_arity", 0))
    if not older or not contract.returns_tuple:
        return None
    if isinstance(value, (tuple, list)) and len(value) == contract.arity:
        return CURRENT
    if (older > 1 and isinstance(value, (tuple, list)) and len(value) == older) or (older == 1 and not isinstance(value, tuple)):
        return OLD
    return None


def from_signature(contract, function: ast.FunctionDef | None) -> str | None:
    """The edition a definition's parameters show, where the contract names the older edition's. The newer
    edition's are the contract's inputs, or, when the contract is written in the older edition's signature, those
    without the trailing ``optional_inputs`` the newer one leaves out (planar's ``compute_cost(A2, Y)``)."""
    older = contract.notes.get("older_inputs")
    if older is None or function is None:
        return None
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    older_names = [n.strip() for n in older.split(",") if n.strip()]
    if names == older_names:
        return OLD
    inputs, optional = list(contract.inputs), int(contract.notes.get("optional_inputs", 0))
    current = inputs[:len(inputs) - optional] if optional and inputs == older_names else inputs
    return CURRENT if names == current else None
