"""Planar data classification's functions: one hidden tanh layer of n_h units, a sigmoid output.

X is (n_x, m), Y (n_y, m); W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1). The two editions differ
in signatures: the 2017–20 ``compute_cost(A2, Y, parameters)`` takes the parameters it never uses
(``optional_inputs``: a file whose definition leaves them out is called without them), and its
``initialize_parameters`` re-seeds with ``np.random.seed(2)`` where the 2021+ one draws from the stream the
notebook's test cell seeded with 2 (the cases seed it so: both editions give the same draw).
"""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract

LAYOUTS = layouts("planar_params", "planar_cache", "planar_grads")  # core/tensors.py holds them

_DATA = {"X": ("n_x", "m"), "Y": ("n_y", "m")}
PLANAR = (
    Contract("layer_sizes", "planar", "init", _DATA, {"n_x": (), "n_h": (), "n_y": ()}),
    Contract("initialize_parameters", "planar", "init", {"n_x": "int", "n_h": "int", "n_y": "int"}, {"parameters": "planar_params"}),
    Contract("forward_propagation", "planar", "forward", {"X": ("n_x", "m"), "parameters": "planar_params"},
             {"A2": ("n_y", "m"), "cache": "planar_cache"}),
    Contract("compute_cost", "planar", "cost", {"A2": ("n_y", "m"), "Y": ("n_y", "m"), "parameters": "planar_params"}, {"cost": ()},
             notes={"optional_inputs": "1", "older_inputs": "A2, Y, parameters"}),  # the 2021+ edition has compute_cost(A2, Y)
    Contract("backward_propagation", "planar", "backward",
             {"parameters": "planar_params", "cache": "planar_cache", **_DATA}, {"grads": "planar_grads"}),
    Contract("update_parameters", "planar", "update", {"parameters": "planar_params", "grads": "planar_grads", "learning_rate": "float"},
             {"parameters": "planar_params"}),
    Contract("nn_model", "planar", "update", {**_DATA, "n_h": "int", "num_iterations": "int", "print_cost": "bool"},
             {"parameters": "planar_params"},
             callees=("layer_sizes", "initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
                      "update_parameters")),
    Contract("predict", "planar", "forward", {"parameters": "planar_params", "X": ("n_x", "m")}, {"predictions": (1, "m")},
             callees=("forward_propagation",)),
)

# planar_utils: the notebook imports sigmoid from it (and its data loaders and plotting)
HELPERS = ("sigmoid",)
MODULES = {"planar_utils": ("sigmoid", "load_planar_dataset", "load_extra_datasets", "plot_decision_boundary")}
