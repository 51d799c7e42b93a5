"""The application notebook's two models; parameters are W1, b1, ..., costs one per 100 iterations."""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract

LAYOUTS = layouts("dense_params")

_INPUTS = {"X": ("n0", "m"), "Y": (1, "m"), "layers_dims": "list", "learning_rate": "float", "num_iterations": "int", "print_cost": "bool"}
_OLDER = {"older_arity": "1"}  # the 2017–20 notebook returns parameters alone
DNN_APP = (
    Contract("two_layer_model", "dnn_app", "update", _INPUTS, {"parameters": "dense_params", "costs": ("k",)}, notes=_OLDER),
    Contract("L_layer_model", "dnn_app", "update", _INPUTS, {"parameters": "dense_params", "costs": ("k",)}, notes=_OLDER),
)

UTILS = ("sigmoid", "relu", "relu_backward", "sigmoid_backward", "load_data", "initialize_parameters", "initialize_parameters_deep",
         "linear_forward", "linear_activation_forward", "L_model_forward", "compute_cost", "linear_backward",
         "linear_activation_backward", "L_model_backward", "update_parameters", "predict", "print_mislabeled_images")
MODULES = {"dnn_app_utils_v3": UTILS, "dnn_app_utils_v2": UTILS}
# the models' collaborators: what they call (and what those call), which a student may paste in from the step-by-step
# notebook instead of importing. Deepest first, so a fault is traced to the helper that holds it (runner's
# _locate_in_helper tries each one the file defines in this order, with the course's in its place)
HELPERS = ("sigmoid", "relu", "sigmoid_backward", "relu_backward", "linear_forward", "linear_backward",
           "linear_activation_forward", "linear_activation_backward", "initialize_parameters", "initialize_parameters_deep",
           "L_model_forward", "compute_cost", "L_model_backward", "update_parameters")
