"""Dinosaurus Island's functions (course 5, week 1): a character-level RNN over 27 characters (a-z and "\\n").

Parameters Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1), with n_x = n_y = the
vocabulary's size. ``optimize`` trains one step through the course's utils (rnn_forward, rnn_backward, the
student's clip, update_parameters), and utils' update_parameters changes the caller's parameters in place:
that is how the notebook's model sees them, so it is checked as an output (``notes["updates"]``) and is
no fault (``notes["in_place"]``); the 2017–20 ``clip`` clips the caller's arrays in place with ``out=``.
X and Y (lists of character indices, X[0] None) and char_to_ix are plain Python data: ``None``, nothing to
check their shapes against.
"""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract

LAYOUTS = layouts("char_rnn_params", "char_rnn_grads")  # core/tensors.py holds them

DINOS = (
    Contract("clip", "dinos", "backward", {"gradients": "char_rnn_grads", "maxValue": "float"}, {"gradients": "char_rnn_grads"},
             notes={"in_place": "gradients"}),
    Contract("sample", "dinos", "forward", {"parameters": "char_rnn_params", "char_to_ix": None, "seed": "int"},
             {"indices": ("k",)}),
    Contract("optimize", "dinos", "update",
             {"X": None, "Y": None, "a_prev": ("n_a", 1), "parameters": "char_rnn_params", "learning_rate": "float"},
             {"loss": (), "gradients": "char_rnn_grads", "a_last": ("n_a", 1)}, callees=("clip",),
             notes={"in_place": "parameters", "updates": "parameters"}),
)

# utils.py, imported with *: the RNN the notebook trains, and its small helpers (a student may copy some)
UTILS = ("softmax", "smooth", "print_sample", "get_sample", "get_initial_loss", "initialize_parameters", "rnn_step_forward",
         "rnn_step_backward", "update_parameters", "rnn_forward", "rnn_backward")
HELPERS = ("softmax", "rnn_forward", "rnn_backward", "update_parameters")
MODULES = {"utils": UTILS, "shakespeare_utils": ()}
