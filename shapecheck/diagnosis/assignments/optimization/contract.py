"""The optimization assignment's functions. Parameters and gradients are the course's dicts (W{l}, b{l};
dW{l}, db{l}); v and s have the gradients' keys. ``update_parameters_with_adam`` is the 2021+ edition's
five values (the runner accepts the 2017–20 edition's three: parameters, v, s)."""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import BATCHES, Contract

LAYOUTS = layouts("dense_params", "moments", BATCHES)

_PARAMS = {"parameters": "dense_params", "grads": "moments"}
OPTIMIZATION = (
    Contract("update_parameters_with_gd", "optimization", "update", {**_PARAMS, "learning_rate": "float"}, {"parameters": "dense_params"}),
    Contract("random_mini_batches", "optimization", "forward",
             {"X": ("n_x", "m"), "Y": (1, "m"), "mini_batch_size": "int", "seed": "int"}, {"mini_batches": BATCHES}),
    Contract("initialize_velocity", "optimization", "init", {"parameters": "dense_params"}, {"v": "moments"}),
    Contract("update_parameters_with_momentum", "optimization", "update",
             {**_PARAMS, "v": "moments", "beta": "float", "learning_rate": "float"}, {"parameters": "dense_params", "v": "moments"}),
    Contract("initialize_adam", "optimization", "init", {"parameters": "dense_params"}, {"v": "moments", "s": "moments"}),
    Contract("update_parameters_with_adam", "optimization", "update",
             {**_PARAMS, "v": "moments", "s": "moments", "t": "int", "learning_rate": "float", "beta1": "float", "beta2": "float",
              "epsilon": "float"},
             {"parameters": "dense_params", "v": "moments", "s": "moments", "v_corrected": "moments", "s_corrected": "moments"},
             notes={"older_arity": "3"}),  # the 2017–20 notebook returns parameters, v, s
    # learning-rate decay came with the 2021+ notebook: a 2017–20 file is not scored on it (grade/rubric.py)
    Contract("update_lr", "optimization", "update", {"learning_rate0": "float", "epoch_num": "int", "decay_rate": "float"},
             {"learning_rate": ()}, notes={"since": "2021+"}),
    Contract("schedule_lr_decay", "optimization", "update",
             {"learning_rate0": "float", "epoch_num": "int", "decay_rate": "float", "time_interval": "int"}, {"learning_rate": ()},
             notes={"since": "2021+"}),
)

MODULES = {name: () for name in ("opt_utils", "opt_utils_v1a", "testCases")}
