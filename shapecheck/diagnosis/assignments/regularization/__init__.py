"""Regularization (course 2, week 1): L2 and inverted dropout on the notebook's three-layer network.

contract.py, cases.py (λ and keep_prob that are not the notebook's 0.7 and 0.86), reference.py (the
engine's regularization and dropout), course.py (reg_utils and the course's code with a switch per
classic mistake), mistakes.py.
"""

from shapecheck.diagnosis.assignments.regularization import contract, evidence
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="regularization",
    contracts=contract.REGULARIZATION,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    links=contract.LINKS,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
)
