"""Convolutional Model: step by step (course 4, week 1): padding, one convolution step, the convolution
and pooling forward passes, and their backward passes (the notebook's optional part). Laid out as
assignments/dnn/ (the example to copy); exceptions.py reads the errors only convolutions raise
(a size computed with /, a window as wide as the stride, [pad:-pad] with pad = 0)."""

from shapecheck.diagnosis.assignments.conv import contract, exceptions
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="conv",
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    contracts=contract.CONV,
    links=contract.LINKS,
    modules=contract.MODULES,
    exception_rules=(exceptions.read,),
)
