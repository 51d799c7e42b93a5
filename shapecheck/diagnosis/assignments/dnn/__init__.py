"""Building your Deep Neural Network: Step by Step (course 1, week 4): the plug-in to copy.

contract.py (the functions), cases.py (seeded inputs), reference.py (right answers, trusted),
course.py (the course's own code, self-contained: it is also compiled inside the sandbox),
mistakes.py (the course's code with one classic mistake each, for the hints).
"""

from shapecheck.diagnosis.assignments.dnn import cases, contract, course, mistakes, reference
from shapecheck.diagnosis.plugin import Assignment, GradientCheck


def _gradient_inputs(case):
    """numeric_objective's inputs after the student's forward and cost: X, Y, parameters."""
    X, parameters = case.forward_args
    return X, case.args[1], parameters


ASSIGNMENT = Assignment(
    kind="dnn",
    contracts=contract.DNN,
    cases=cases.CASES,
    reference=reference.FUNCTIONS,
    course=course,
    layouts=contract.LAYOUTS,
    links=contract.LINKS,
    mistakes=mistakes.MISTAKES,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
    gradient_checks=(GradientCheck("L_model_backward", ("L_model_forward", "compute_cost"), _gradient_inputs),),
)
