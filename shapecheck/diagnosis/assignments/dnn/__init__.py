"""Building your Deep Neural Network: Step by Step (course 1, week 4): the plug-in to copy.

contract.py (the functions), cases.py (seeded inputs), reference.py (right answers, trusted),
course.py (the course's own code, self-contained: it is also compiled inside the sandbox),
mistakes.py (the course's code with one classic mistake each, for the hints).
"""

from shapecheck.diagnosis.assignments.dnn import contract, evidence
from shapecheck.diagnosis.plugin import Assignment, GradientCheck


def _gradient_inputs(case):
    """numeric_objective's inputs after the student's forward and cost: X, Y, parameters."""
    X, parameters = case.forward_args
    return X, case.args[1], parameters


ASSIGNMENT = Assignment(
    kind="dnn",
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    contracts=contract.DNN,
    layouts=contract.LAYOUTS,
    links=contract.LINKS,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
    gradient_checks=(GradientCheck("L_model_backward", ("L_model_forward", "compute_cost"), _gradient_inputs),),
)
