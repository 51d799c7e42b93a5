"""Planar data classification with one hidden layer (course 1, week 3): LINEAR→TANH→LINEAR→SIGMOID.

contract.py (the eight functions, both editions' signatures), cases.py (n_x ≠ 2, n_h ≠ 4, the notebook's
seeds), reference.py (the engine's planar.py, and the older edition's nn_model), course.py (planar_utils
and the course's code with a switch per classic mistake), mistakes.py.
"""

from shapecheck.diagnosis.assignments.planar import contract, evidence
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="planar",
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    contracts=contract.PLANAR,
    layouts=contract.LAYOUTS,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
)
