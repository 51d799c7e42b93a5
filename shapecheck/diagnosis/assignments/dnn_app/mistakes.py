"""The application notebook's classic mistakes: each a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

_BOTH = ("two_layer_model", "L_layer_model")
MISTAKES: tuple[Mistake, ...] = (
    Mistake("app_dA2_sign", ("two_layer_model",), "wrong_sign", "app_dA2_sign"),
    Mistake("app_hidden_sigmoid", ("two_layer_model",), "wrong_activation", "app_hidden_sigmoid"),
    Mistake("app_stale_weights", ("two_layer_model",), "stale_parameters"),
    Mistake("app_relu_derivative_skipped", ("two_layer_model",), "wrong_activation_derivative"),
    Mistake("app_L_relu_derivative_skipped", ("L_layer_model",), "wrong_activation_derivative"),
    Mistake("app_hidden_size_7", ("two_layer_model",), "hard_coded_size"),
    Mistake("app_notebook_rate", _BOTH, "ignored_argument"),
    Mistake("app_two_layer_initializer", ("L_layer_model",), "wrong_initializer"),
    Mistake("app_backward_arguments_swapped", ("L_layer_model",), "argument_order"),
    Mistake("app_one_iteration_short", ("L_layer_model",), "off_by_one_iteration"),
    Mistake("app_costs_every_iteration", ("L_layer_model",), "costs_every_100", "lr_costs_every_iteration"),
)
