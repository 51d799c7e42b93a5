"""Building a Recurrent Neural Network: Step by Step (course 5, week 1): RNN and LSTM cells, through time,
forward and backward. Laid out as assignments/dnn/ (the example to copy)."""

from shapecheck.diagnosis.assignments.rnn import cases, contract, course, mistakes, reference
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="rnn",
    contracts=contract.RNN,
    cases=cases.CASES,
    reference=reference.FUNCTIONS,
    course=course,
    layouts=contract.LAYOUTS,
    links=contract.LINKS,
    mistakes=mistakes.MISTAKES,
    helpers=contract.HELPERS,
    modules=contract.MODULES,
)
