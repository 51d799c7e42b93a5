"""Building a Recurrent Neural Network: Step by Step (course 5, week 1): RNN and LSTM cells, through time,
forward and backward. Laid out as assignments/dnn/ (the example to copy)."""

from shapecheck.diagnosis.assignments.rnn import contract
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="rnn",
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    contracts=contract.RNN,
    layouts=contract.LAYOUTS,
    links=contract.LINKS,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
)
