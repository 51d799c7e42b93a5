"""The right answer for every contract function of every assignment, gathered from the plug-ins
(assignments/<kind>/reference.py, built on the engine). ``FUNCTIONS`` maps a name that one assignment
alone grades to its reference, each also an attribute here (``reference.L_model_forward``) for tests
and examples; a name several assignments grade (compute_cost, predict, ...) is asked of its kind:
``of(name, kind)``.

    >>> AL, caches = L_model_forward(np.ones((3, 2)), initialize_parameters_deep([3, 4, 1]))
    >>> sorted(L_model_backward(AL, np.array([[1.0, 0.0]]), caches))
    ['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']
"""

from __future__ import annotations

from typing import Callable

import numpy as np  # noqa: F401 - for the example above

from shapecheck.diagnosis.assignments import ASSIGNMENTS, by_function, owners

FUNCTIONS: dict[str, Callable] = {name: function for assignment in ASSIGNMENTS.values()
                                   for name, function in assignment.reference.items() if len(owners(name)) == 1}
globals().update(FUNCTIONS)


def of(name: str, kind: str | None = None) -> Callable:
    """The reference of ``name`` in ``kind`` (or in the one assignment that grades it); KeyError otherwise."""
    return by_function(name, kind).reference[name]
