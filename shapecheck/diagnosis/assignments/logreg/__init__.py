"""Logistic regression with a neural-network mindset (course 1, week 2): one sigmoid unit.

contract.py, cases.py (n_x ≠ m, learning rates and iteration counts that are not the notebook's),
reference.py (the engine's logistic.py), course.py (lr_utils and the course's code with a switch per
classic mistake), mistakes.py.
"""

from shapecheck.diagnosis.assignments.logreg import contract, evidence
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="logreg",
    contracts=contract.LOGREG,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
)
