"""The two classic assignments' functions: names, arguments, outputs, shapes, and who calls whom.

Shapes use the tracer's symbols. Single-layer dense functions use ``n_prev`` (= n[l-1]), ``n`` (= n[l])
and ``m``; recurrent ones ``n_x``, ``n_a``, ``n_y``, ``m``, ``T_x``. ``None`` marks what is the
student's own business (caches): never compared, only handed back to the student's functions.
Dict-valued arguments and outputs name a layout from ``DICT_LAYOUTS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapecheck.core.tensors import DICT_LAYOUTS  # noqa: F401 - the layouts of the dicts the assignments pass around

Shape = tuple | None


@dataclass(frozen=True)
class Contract:
    name: str
    kind: str  # "dnn" | "rnn"
    role: str  # "init" | "forward" | "cost" | "backward" | "update"
    inputs: dict[str, Shape | str]  # argument -> shape, or a DICT_LAYOUTS name, or a literal type name
    outputs: dict[str, Shape | str]  # output -> shape (a 1-tuple of outputs is returned bare, not as a tuple)
    callees: tuple[str, ...] = ()  # contract functions it is meant to call (for the root cause)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def arity(self) -> int:
        return len(self.outputs)

    @property
    def returns_tuple(self) -> bool:
        return len(self.outputs) > 1


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

RNN = (
    Contract("rnn_cell_forward", "rnn", "forward", {"xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "parameters": "rnn_params"},
             {"a_next": ("n_a", "m"), "yt_pred": ("n_y", "m"), "cache": None}),
    Contract("rnn_forward", "rnn", "forward", {"x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"), "parameters": "rnn_params"},
             {"a": ("n_a", "m", "T_x"), "y_pred": ("n_y", "m", "T_x"), "caches": None}, callees=("rnn_cell_forward",)),
    Contract("lstm_cell_forward", "rnn", "forward",
             {"xt": ("n_x", "m"), "a_prev": ("n_a", "m"), "c_prev": ("n_a", "m"), "parameters": "lstm_params"},
             {"a_next": ("n_a", "m"), "c_next": ("n_a", "m"), "yt_pred": ("n_y", "m"), "cache": None}),
    Contract("lstm_forward", "rnn", "forward", {"x": ("n_x", "m", "T_x"), "a0": ("n_a", "m"), "parameters": "lstm_params"},
             {"a": ("n_a", "m", "T_x"), "y": ("n_y", "m", "T_x"), "c": ("n_a", "m", "T_x"), "caches": None},
             callees=("lstm_cell_forward",)),
    Contract("rnn_cell_backward", "rnn", "backward", {"da_next": ("n_a", "m"), "cache": None}, {"gradients": "rnn_cell_grads"}),
    Contract("rnn_backward", "rnn", "backward", {"da": ("n_a", "m", "T_x"), "caches": None}, {"gradients": "rnn_grads"},
             callees=("rnn_cell_backward",)),
    Contract("lstm_cell_backward", "rnn", "backward", {"da_next": ("n_a", "m"), "dc_next": ("n_a", "m"), "cache": None},
             {"gradients": "lstm_cell_grads"}),
    Contract("lstm_backward", "rnn", "backward", {"da": ("n_a", "m", "T_x"), "caches": None}, {"gradients": "lstm_grads"},
             callees=("lstm_cell_backward",)),
)

CONTRACTS: dict[str, Contract] = {c.name: c for c in DNN + RNN}
KINDS = {"dnn": DNN, "rnn": RNN}

# Helpers the course gives students (dnn_utils, rnn_utils); a student file may define or import them.
COURSE_HELPERS = {
    "dnn": ("sigmoid", "relu", "sigmoid_backward", "relu_backward"),
    "rnn": ("softmax", "sigmoid"),
}


def bottom_up(kind: str) -> tuple[Contract, ...]:
    """Helpers before the functions that call them (the table above is already in that order)."""
    return KINDS[kind]
