"""Deep Neural Network - Application (course 1, week 4): two_layer_model and L_layer_model.

The student's models call the functions of dnn_app_utils_v3 (course.py carries them). contract.py,
cases.py (a small net trained 201 iterations at a learning rate that is not the notebook's),
reference.py (the engine's dnn_app.py), mistakes.py. Editions: the 2021+ models return
(parameters, costs), the 2017–20 ones parameters alone.
"""

from shapecheck.diagnosis.assignments.dnn_app import contract, exceptions
from shapecheck.diagnosis.plugin import Assignment

ASSIGNMENT = Assignment(
    kind="dnn_app",
    contracts=contract.DNN_APP,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    helpers=contract.HELPERS,  # the models' collaborators, when the file defines its own
    modules=contract.MODULES,
    exception_rules=(exceptions.read,),  # sizes of neighbouring layers meeting: a cache or W of the wrong layer
)
