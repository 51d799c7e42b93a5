"""Gradient checking (course 2, week 1): the 1-D check of J = θ·x, then the three-layer network's.

A gradient check is judged by what it is for: given a wrong backward_propagation (a course function
standing in for the student's), its difference must be large; a check that never calls the backward
(``grad = x``) does not notice. ``backward_propagation_n`` is compared with the right gradients; when it
still holds the notebook's two planted mistakes (dW2 · 2, db1 with 4./m), the hint says exactly that.
"""

from shapecheck.diagnosis.assignments.gradcheck import contract, evidence
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="gradcheck",
    contracts=contract.GRADCHECK,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    links=contract.LINKS,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
)
