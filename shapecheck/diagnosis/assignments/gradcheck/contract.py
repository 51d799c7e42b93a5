"""The gradient-checking assignment's functions. The N-D network is gc_utils' [4, 5, 3, 1] (its
vector_to_dictionary fixes those sizes); its cache is the notebook's 12-tuple."""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract, Link

LAYOUTS = layouts("dense_params", "three_layer_grads")

_VERDICT = {"verdict_below": "2e-7"}  # two differences below the notebook's bar are the same answer
GRADCHECK = (
    Contract("forward_propagation", "gradcheck", "forward", {"x": (), "theta": ()}, {"J": ()}),
    Contract("backward_propagation", "gradcheck", "backward", {"x": (), "theta": ()}, {"dtheta": ()}),
    Contract("gradient_check", "gradcheck", "backward", {"x": (), "theta": (), "epsilon": "float", "print_msg": "bool"},
             {"difference": ()}, callees=("forward_propagation", "backward_propagation"),
             notes={**_VERDICT, "older_inputs": "x, theta, epsilon"}),  # the 2017–20 notebook had no print_msg
    Contract("forward_propagation_n", "gradcheck", "forward", {"X": ("n0", "m"), "Y": (1, "m"), "parameters": "dense_params"},
             {"cost": (), "cache": None}),
    Contract("backward_propagation_n", "gradcheck", "backward", {"X": ("n0", "m"), "Y": (1, "m"), "cache": None},
             {"gradients": "three_layer_grads"}),
    Contract("gradient_check_n", "gradcheck", "backward",
             {"parameters": "dense_params", "gradients": "three_layer_grads", "X": ("n0", "m"), "Y": (1, "m"), "epsilon": "float", "print_msg": "bool"},
             {"difference": ()}, callees=("forward_propagation_n",), notes={**_VERDICT, "older_inputs": "parameters, gradients, X, Y, epsilon"}),
)

LINKS = {"backward_propagation_n": Link("forward_propagation_n", ((2, 1),))}

HELPERS = ("sigmoid", "relu", "dictionary_to_vector", "vector_to_dictionary", "gradients_to_vector")
MODULES = {"gc_utils": HELPERS}
