"""Character-level language model, Dinosaurus Island (course 5, week 1): clip, sample, optimize.

contract.py (the functions, utils.py's names), cases.py (the notebook's 27 characters, seeds, bounds that
are not 5, learning rates that are not 0.01), reference.py (the engine's clipping, sampling and char_rnn),
course.py (utils.py and the course's code with a switch per classic mistake), mistakes.py.
"""

from shapecheck.diagnosis.assignments.dinos import contract, evidence
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="dinos",
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    contracts=contract.DINOS,
    layouts=contract.LAYOUTS,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
    hint_rules=evidence.HINT_RULES,  # rules that read the numbers (evidence.py), next to the mutants
)
