"""Optimization methods (course 2, week 2): gradient descent, mini-batches, momentum, Adam, learning-rate decay.

contract.py, cases.py (non-square layers, a last partial batch, Adam at t > 1 and with tiny gradients),
reference.py (the engine's gd, minibatches, momentum, adam, lr_decay), course.py (the course's code
with a switch per classic mistake), mistakes.py. Editions: the 2017–20 notebook's Adam returns
(parameters, v, s) and has no learning-rate decay; the 2021+ one returns five values.
"""

from shapecheck.diagnosis.assignments.optimization import contract, evidence
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="optimization",
    contracts=contract.OPTIMIZATION,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
)
