"""The regularization assignment's classic mistakes: each is a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    Mistake("reg_cost_lambda_over_m", ("compute_cost_with_regularization",), "l2_factor"),
    Mistake("reg_cost_missing_W3", ("compute_cost_with_regularization",), "missing_term"),
    Mistake("reg_cost_not_squared", ("compute_cost_with_regularization",), "l2_not_squared"),
    Mistake("reg_notebook_lambd", ("compute_cost_with_regularization", "backward_propagation_with_regularization"), "ignored_argument"),
    Mistake("reg_backward_lambda_over_2m", ("backward_propagation_with_regularization",), "l2_factor"),
    Mistake("reg_backward_missing_l2_dW1", ("backward_propagation_with_regularization",), "missing_term"),
    Mistake("reg_dropout_randn", ("forward_propagation_with_dropout",), "mask_distribution", "reg_dropout_randn"),
    Mistake("reg_dropout_randn_1", ("forward_propagation_with_dropout",), "mask_distribution", "reg_dropout_randn"),
    Mistake("reg_dropout_randn_2", ("forward_propagation_with_dropout",), "mask_distribution", "reg_dropout_randn"),
    Mistake("reg_dropout_mask_inverted", ("forward_propagation_with_dropout",), "mask_inverted", "reg_dropout_mask_inverted"),
    Mistake("reg_dropout_mask_inverted_1", ("forward_propagation_with_dropout",), "mask_inverted", "reg_dropout_mask_inverted"),
    Mistake("reg_dropout_mask_inverted_2", ("forward_propagation_with_dropout",), "mask_inverted", "reg_dropout_mask_inverted"),
    Mistake("reg_dropout_reseeded", ("forward_propagation_with_dropout",), "mask_reseeded"),
    Mistake("reg_dropout_no_rescale", ("forward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_no_rescale"),
    Mistake("reg_dropout_no_rescale_1", ("forward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_no_rescale"),
    Mistake("reg_dropout_no_rescale_2", ("forward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_no_rescale"),
    Mistake("reg_dropout_multiplies", ("forward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_multiplies"),
    Mistake("reg_dropout_multiplies_1", ("forward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_multiplies"),
    Mistake("reg_dropout_multiplies_2", ("forward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_multiplies"),
    Mistake("reg_dropout_backward_no_rescale", ("backward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_backward_no_rescale"),
    Mistake("reg_dropout_backward_no_rescale_1", ("backward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_backward_no_rescale"),
    Mistake("reg_dropout_backward_no_rescale_2", ("backward_propagation_with_dropout",), "missing_keep_prob_scale", "reg_dropout_backward_no_rescale"),
)
