"""Seeded inputs for every contract function, chosen so that mistakes cannot hide.

    cases = cases_for("linear_backward", seed=0)       # [Case(function, args, label, sizes, forward_args)]
    result = reference.linear_backward(*cases[0].args)

What the sizes guarantee:
- no two of n[l-1], n[l], m are equal (and no two of n_x, n_a, n_y, m, T_x), so a transpose or a
  swapped axis never fits by luck; every function also gets one case with m = 1 (which hides axis
  and 1/m mistakes, so the others use m ≥ 3), nets run from L = 1 to L = 4, sequences from T_x = 1 to 6;
- ReLU inputs are at least 0.05 away from the kink at 0, with both signs in every layer, and
  sigmoid and tanh inputs stay within ±3 (out of saturation), so a wrong derivative always shows;
- biases, a0 and c_prev are not zero, so a forgotten bias or initial state shows;
- both activations for linear_activation_forward and linear_activation_backward.

Functions that take caches (linear_backward, L_model_backward, rnn_backward, ...): ``case.args`` already
holds the caches the reference forward made, and ``case.forward_args`` the inputs of that forward;
``forward_for(name)`` says which forward and which of its outputs go where. Caches are the student's own
format, so the runner rebuilds them with the student's own forward whenever it runs
(``runner.Diagnosis._args``).
"""

from __future__ import annotations

from typing import Any

from shapecheck.diagnosis.assignments import ASSIGNMENTS, by_function
from shapecheck.diagnosis.plugin import KINK_MARGIN, SATURATION, Case, Link, given

__all__ = ["Case", "Link", "LINKS", "KINK_MARGIN", "SATURATION", "cases_for", "forward_for", "reference_result"]

LINKS: dict[tuple[str, str], Link] = {(kind, name): link for kind, a in ASSIGNMENTS.items() for name, link in a.links.items()}


def forward_for(function: str, kind: str | None = None) -> Link | None:
    """The forward whose outputs ``function`` takes (its caches), or None if it takes none."""
    return by_function(function, kind).links.get(function)


def reference_result(case: Case) -> Any:
    """The reference's output on the case."""
    assignment = by_function(case.function, case.kind or None)
    # the reference runs with the same course functions standing in (plugin.given)
    return given(assignment.reference[case.function], assignment.stand_ins(case))(*case.fresh_args())


def cases_for(function_name: str, seed: int = 0, kind: str | None = None) -> list[Case]:
    """The seeded cases of one contract function (the same seed gives the same numbers); ``kind`` is needed
    for a name that several assignments grade (compute_cost, predict, ...)."""
    assignment = by_function(function_name, kind)  # KeyError: not a contract function, or several kinds have it
    return assignment.cases[function_name](seed)
