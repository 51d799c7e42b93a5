"""The deep-network assignment's classic mistakes: each is a ``bug`` switch of the course's code
(course.py), where it is written, and the hint id it stands for (hints.toml, tests/gallery/HINTS.md)."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    # the two-layer network's initializer
    Mistake("two_layer_no_seed", ("initialize_parameters",), "missing_seed", "dnn_init_missing_seed"),
    Mistake("two_layer_no_scale", ("initialize_parameters",), "init_scale", "init_scale"),
    # deep network, forward
    Mistake("missing_bias", ("linear_forward",), "missing_term"),
    Mistake("activation_swapped", ("linear_activation_forward",), "wrong_activation"),
    Mistake("no_activation", ("linear_activation_forward",), "wrong_activation"),
    Mistake("output_relu", ("L_model_forward",), "wrong_activation"),
    Mistake("hidden_sigmoid", ("L_model_forward",), "wrong_activation"),
    Mistake("skip_last_layer", ("L_model_forward", "update_parameters"), "off_by_one_layer"),
    Mistake("skip_first_layer", ("update_parameters",), "off_by_one_layer"),
    # cost
    Mistake("broadcast_outer", ("compute_cost",), "silent_broadcast"),
    Mistake("cost_sum_axis0", ("compute_cost",), "wrong_axis"),
    Mistake("cost_missing_negative_class", ("compute_cost",), "missing_term"),
    Mistake("cost_log_AL_for_negative_class", ("compute_cost",), "wrong_variable"),
    # deep network, backward
    Mistake("db_wrong_axis", ("linear_backward",), "wrong_axis"),
    Mistake("db_wrong_axis_rank1", ("linear_backward",), "wrong_axis"),
    Mistake("db_sum_all", ("linear_backward",), "wrong_axis"),
    Mistake("dA_prev_1_over_m", ("linear_backward",), "extra_1_over_m"),
    Mistake("relu_gets_sigmoid_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("sigmoid_gets_relu_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("relu_no_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("sigmoid_no_derivative", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("sigmoid_derivative_from_Z", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("relu_derivative_from_dA", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("relu_derivative_precedence", ("linear_activation_backward",), "wrong_activation_derivative"),
    Mistake("dAL_wrong_sign", ("L_model_backward",), "wrong_sign"),
    Mistake("dAL_inner_sign", ("L_model_backward",), "wrong_dAL"),
    Mistake("dAL_as_AL_minus_Y", ("L_model_backward",), "wrong_dAL"),
    Mistake("backward_activations_swapped", ("L_model_backward",), "wrong_activation_derivative"),
    Mistake("backward_output_relu", ("L_model_backward",), "wrong_activation_derivative"),
    Mistake("backward_hidden_sigmoid", ("L_model_backward",), "wrong_activation_derivative"),
    # update
    Mistake("wrong_update_sign", ("update_parameters",), "wrong_update_sign"),
    Mistake("missing_learning_rate", ("update_parameters",), "missing_learning_rate"),
    Mistake("bias_not_updated", ("update_parameters",), "not_updated"),
    Mistake("b_updated_with_dW", ("update_parameters",), "update_with_wrong_gradient"),  # HINTS.md: b -= α·dW
)
