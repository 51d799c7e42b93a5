"""The deep-network assignment's functions: names, arguments, outputs, shapes, and who calls whom.

Single-layer functions use ``n_prev`` (= n[l-1]), ``n`` (= n[l]) and ``m``; the network's ``n0``, ``nL``.
``None`` marks what is the student's own business (caches): never compared, only handed back to the
student's functions. Dict-valued arguments and outputs name a layout of ``core/tensors.py`` ({l} runs over 1..L).
"""

from shapecheck.core.tensors import DENSE, layouts, one_layer
from shapecheck.diagnosis.plugin import Contract, Link

LAYOUTS = layouts("planar_params", "dense_params", "dense_grads")  # planar_params: the two-layer W1, b1, W2, b2

at_l = one_layer  # a layer's tensors in the one-layer functions' own symbols n, n_prev (core/tensors.py)
DNN = (
    # the two-layer network of the notebook's first exercise: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1)
    Contract("initialize_parameters", "dnn", "init", {"n_x": "int", "n_h": "int", "n_y": "int"}, {"parameters": "planar_params"},
             notes={"optional": "1"}),  # the deep network never calls it: a file without it is not short of a function
    Contract("initialize_parameters_deep", "dnn", "init", {"layer_dims": "list"}, {"parameters": "dense_params"}),
    Contract("linear_forward", "dnn", "forward", {"A": at_l("A_prev"), "W": at_l("W"), "b": at_l("b")}, {"Z": at_l("Z"), "cache": None}),
    Contract("linear_activation_forward", "dnn", "forward",
             {"A_prev": at_l("A_prev"), "W": at_l("W"), "b": at_l("b"), "activation": "str"},
             {"A": at_l("A"), "cache": None}, callees=("linear_forward",)),
    Contract("L_model_forward", "dnn", "forward", {"X": DENSE["X"].shape, "parameters": "dense_params"},
             {"AL": ("nL", "m"), "caches": None}, callees=("linear_activation_forward",)),
    Contract("compute_cost", "dnn", "cost", {"AL": (1, "m"), "Y": (1, "m")}, {"cost": ()}),
    Contract("linear_backward", "dnn", "backward", {"dZ": at_l("dZ"), "cache": None},
             {"dA_prev": at_l("dA_prev"), "dW": at_l("dW"), "db": at_l("db")}),
    Contract("linear_activation_backward", "dnn", "backward", {"dA": at_l("A"), "cache": None, "activation": "str"},
             {"dA_prev": at_l("dA_prev"), "dW": at_l("dW"), "db": at_l("db")}, callees=("linear_backward",)),
    Contract("L_model_backward", "dnn", "backward", {"AL": ("nL", "m"), "Y": ("nL", "m"), "caches": None},
             {"grads": "dense_grads"}, callees=("linear_activation_backward",)),
    Contract("update_parameters", "dnn", "update",
             {"parameters": "dense_params", "grads": "dense_grads", "learning_rate": "float"}, {"parameters": "dense_params"}),
)


LINKS: dict[str, Link] = {
    "linear_backward": Link("linear_forward", ((1, 1),)),  # cache = linear_forward(A_prev, W, b)[1]
    "linear_activation_backward": Link("linear_activation_forward", ((1, 1),)),
    "L_model_backward": Link("L_model_forward", ((0, 0), (2, 1))),  # AL and caches
}

# the course's dnn_utils: a student's file may define these itself, or import them
HELPERS = ("sigmoid", "relu", "sigmoid_backward", "relu_backward")
MODULES = {name: HELPERS for name in ("dnn_utils", "dnn_utils_v2", "dnn_app_utils_v3")}
