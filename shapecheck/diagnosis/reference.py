"""The right answer for every contract function of every assignment, gathered from the plug-ins
(assignments/<kind>/reference.py, built on the engine). ``FUNCTIONS`` maps a name to its reference;
each is also an attribute here (``reference.L_model_forward``) for tests and examples.

    >>> AL, caches = L_model_forward(np.ones((3, 2)), initialize_parameters_deep([3, 4, 1]))
    >>> sorted(L_model_backward(AL, np.array([[1.0, 0.0]]), caches))
    ['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']
"""

from __future__ import annotations

from typing import Callable

import numpy as np  # noqa: F401 - for the example above

from shapecheck.diagnosis.assignments import ASSIGNMENTS

FUNCTIONS: dict[str, Callable] = {}
for _assignment in ASSIGNMENTS.values():
    for _name, _function in _assignment.reference.items():
        FUNCTIONS.setdefault(_name, _function)
globals().update(FUNCTIONS)
