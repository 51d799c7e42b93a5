"""The regularization assignment's four functions, on the three-layer net n0 → n1 → n2 → n3 = 1.

The caches are the notebook's tuples (12 items, 14 with the dropout masks): the student's own
business, handed back to the student's backward.
"""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract, Link

LAYOUTS = layouts("dense_params", "three_layer_grads")

REGULARIZATION = (
    Contract("compute_cost_with_regularization", "regularization", "cost",
             {"A3": (1, "m"), "Y": (1, "m"), "parameters": "dense_params", "lambd": "float"}, {"cost": ()}),
    Contract("backward_propagation_with_regularization", "regularization", "backward",
             {"X": ("n0", "m"), "Y": (1, "m"), "cache": None, "lambd": "float"}, {"gradients": "three_layer_grads"}),
    Contract("forward_propagation_with_dropout", "regularization", "forward",
             {"X": ("n0", "m"), "parameters": "dense_params", "keep_prob": "float"}, {"A3": (1, "m"), "cache": None}),
    Contract("backward_propagation_with_dropout", "regularization", "backward",
             {"X": ("n0", "m"), "Y": (1, "m"), "cache": None, "keep_prob": "float"}, {"gradients": "three_layer_grads"}),
)

LINKS = {"backward_propagation_with_dropout": Link("forward_propagation_with_dropout", ((2, 1),))}

# reg_utils: what the notebook imports from it (the contract functions call sigmoid, relu, compute_cost)
HELPERS = ("sigmoid", "relu", "compute_cost")
MODULES = {"reg_utils": ("sigmoid", "relu", "compute_cost", "forward_propagation", "backward_propagation", "initialize_parameters",
                         "update_parameters", "predict", "predict_dec", "load_2D_dataset", "plot_decision_boundary")}
