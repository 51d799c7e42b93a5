"""Logistic regression's six functions: w is (n_x, 1), b a number, X (n_x, m), Y (1, m)."""

from shapecheck.core import tensors
from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract

LAYOUTS = layouts("logreg_grads", "logreg_params", "logreg_model")

_W = tensors.LOGREG["w"].shape  # (n_x, 1): the registry's
_DATA = {"w": _W, "b": "float", "X": ("n_x", "m")}
LOGREG = (
    Contract("sigmoid", "logreg", "forward", {"z": ("n", "m")}, {"s": ("n", "m")}),
    Contract("initialize_with_zeros", "logreg", "init", {"dim": "int"}, {"w": _W, "b": tensors.LOGREG["b"].shape}),
    Contract("propagate", "logreg", "backward", {**_DATA, "Y": (1, "m")}, {"grads": "logreg_grads", "cost": ()}, callees=("sigmoid",)),
    Contract("optimize", "logreg", "update",
             {**_DATA, "Y": (1, "m"), "num_iterations": "int", "learning_rate": "float", "print_cost": "bool"},
             {"params": "logreg_params", "grads": "logreg_grads", "costs": ("k",)}, callees=("propagate",)),
    Contract("predict", "logreg", "forward", _DATA, {"Y_prediction": (1, "m")}, callees=("sigmoid",)),
    Contract("model", "logreg", "update",
             {"X_train": ("n_x", "m"), "Y_train": (1, "m"), "X_test": ("n_x", "m_test"), "Y_test": (1, "m_test"),
              "num_iterations": "int", "learning_rate": "float", "print_cost": "bool"},
             {"d": "logreg_model"}, callees=("initialize_with_zeros", "optimize", "predict")),
)

MODULES = {"lr_utils": ("load_dataset",)}
