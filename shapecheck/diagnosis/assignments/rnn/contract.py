"""The recurrent assignment's functions: names, arguments, outputs, shapes, and who calls whom.

Shapes use ``n_x``, ``n_a``, ``n_y``, ``m``, ``T_x``. ``None`` marks what is the student's own business
(caches). Dict-valued arguments and outputs name a layout of ``LAYOUTS``.
"""

from shapecheck.diagnosis.plugin import Contract, Link

LAYOUTS: dict[str, dict[str, tuple]] = {
    "rnn_params": {"Wax": ("n_a", "n_x"), "Waa": ("n_a", "n_a"), "Wya": ("n_y", "n_a"), "ba": ("n_a", 1), "by": ("n_y", 1)},
    "lstm_params": {
        **{f"W{g}": ("n_a", "n_a + n_x") for g in "fico"},
        **{f"b{g}": ("n_a", 1) for g in "fico"},
        "Wy": ("n_y", "n_a"),
        "by": ("n_y", 1),
    },
    "rnn_cell_grads": {"dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dWax": ("n_a", "n_x"), "dWaa": ("n_a", "n_a"), "dba": ("n_a", 1)},
    "rnn_grads": {"dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"), "dWax": ("n_a", "n_x"), "dWaa": ("n_a", "n_a"), "dba": ("n_a", 1)},
    "lstm_cell_grads": {
        "dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dc_prev": ("n_a", "m"),
        **{f"dW{g}": ("n_a", "n_a + n_x") for g in "fico"},
        **{f"db{g}": ("n_a", 1) for g in "fico"},
    },
    "lstm_grads": {
        "dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"),
        **{f"dW{g}": ("n_a", "n_a + n_x") for g in "fico"},
        **{f"db{g}": ("n_a", 1) for g in "fico"},
    },
}

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


LINKS: dict[str, Link] = {
    "rnn_cell_backward": Link("rnn_cell_forward", ((1, 2),)),
    "rnn_backward": Link("rnn_forward", ((1, 2),)),
    "lstm_cell_backward": Link("lstm_cell_forward", ((2, 3),)),
    "lstm_backward": Link("lstm_forward", ((1, 3),)),
}

# the course's rnn_utils: a student's file may define these itself, or import them
HELPERS = ("softmax", "sigmoid")
MODULES = {"rnn_utils": HELPERS}
