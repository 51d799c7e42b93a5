"""The recurrent assignment's functions: names, arguments, outputs, shapes, and who calls whom.

Shapes use ``n_x``, ``n_a``, ``n_y``, ``m``, ``T_x``. ``None`` marks what is the student's own business
(caches). Dict-valued arguments and outputs name a layout of ``core/tensors.py``.
"""

from shapecheck.core import tensors
from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract, Link

LAYOUTS = layouts("rnn_params", "lstm_params", "rnn_cell_grads", "rnn_grads", "lstm_cell_grads", "lstm_grads")

_RNN, _LSTM = {**tensors.RNN, **tensors.ARGUMENTS}, {**tensors.LSTM, **tensors.ARGUMENTS}


def _of(table: dict, *names: str) -> dict[str, tuple]:
    return {name: table[name].shape for name in names}


RNN = (
    Contract("rnn_cell_forward", "rnn", "forward", {**_of(_RNN, "xt", "a_prev"), "parameters": "rnn_params"},
             {**_of(_RNN, "a_next", "yt_pred"), "cache": None}),
    Contract("rnn_forward", "rnn", "forward", {**_of(_RNN, "x", "a0"), "parameters": "rnn_params"},
             {**_of(_RNN, "a", "y_pred"), "caches": None}, callees=("rnn_cell_forward",)),
    Contract("lstm_cell_forward", "rnn", "forward", {**_of(_LSTM, "xt", "a_prev", "c_prev"), "parameters": "lstm_params"},
             {**_of(_LSTM, "a_next", "c_next", "yt_pred"), "cache": None}),
    Contract("lstm_forward", "rnn", "forward", {**_of(_LSTM, "x", "a0"), "parameters": "lstm_params"},
             {**_of(_LSTM, "a", "y", "c"), "caches": None}, callees=("lstm_cell_forward",)),
    Contract("rnn_cell_backward", "rnn", "backward", {**_of(_RNN, "da_next"), "cache": None}, {"gradients": "rnn_cell_grads"}),
    Contract("rnn_backward", "rnn", "backward", {**_of(_RNN, "da"), "caches": None}, {"gradients": "rnn_grads"},
             callees=("rnn_cell_backward",)),
    Contract("lstm_cell_backward", "rnn", "backward", {**_of(_LSTM, "da_next", "dc_next"), "cache": None},
             {"gradients": "lstm_cell_grads"}),
    Contract("lstm_backward", "rnn", "backward", {**_of(_LSTM, "da"), "caches": None}, {"gradients": "lstm_grads"},
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
