"""The deep-network assignment's functions: names, arguments, outputs, shapes, and who calls whom.

Single-layer functions use ``n_prev`` (= n[l-1]), ``n`` (= n[l]) and ``m``; the network's ``n0``, ``nL``.
``None`` marks what is the student's own business (caches): never compared, only handed back to the
student's functions. Dict-valued arguments and outputs name a layout of ``core/tensors.py`` ({l} runs over 1..L).
"""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract, Link

LAYOUTS = layouts("dense_params", "dense_grads")

DNN = (
    Contract("initialize_parameters_deep", "dnn", "init", {"layer_dims": "list"}, {"parameters": "dense_params"}),
    Contract("linear_forward", "dnn", "forward",
             {"A": ("n_prev", "m"), "W": ("n", "n_prev"), "b": ("n", 1)}, {"Z": ("n", "m"), "cache": None}),
    Contract("linear_activation_forward", "dnn", "forward",
             {"A_prev": ("n_prev", "m"), "W": ("n", "n_prev"), "b": ("n", 1), "activation": "str"},
             {"A": ("n", "m"), "cache": None}, callees=("linear_forward",)),
    Contract("L_model_forward", "dnn", "forward", {"X": ("n0", "m"), "parameters": "dense_params"},
             {"AL": ("nL", "m"), "caches": None}, callees=("linear_activation_forward",)),
    Contract("compute_cost", "dnn", "cost", {"AL": (1, "m"), "Y": (1, "m")}, {"cost": ()}),
    Contract("linear_backward", "dnn", "backward", {"dZ": ("n", "m"), "cache": None},
             {"dA_prev": ("n_prev", "m"), "dW": ("n", "n_prev"), "db": ("n", 1)}),
    Contract("linear_activation_backward", "dnn", "backward", {"dA": ("n", "m"), "cache": None, "activation": "str"},
             {"dA_prev": ("n_prev", "m"), "dW": ("n", "n_prev"), "db": ("n", 1)}, callees=("linear_backward",)),
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
