"""Logistic regression's classic mistakes: each is a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

_ALL = ("sigmoid", "propagate", "optimize", "predict", "model")
MISTAKES: tuple[Mistake, ...] = (
    Mistake("lr_sigmoid_sign", ("sigmoid",), "wrong_activation"),
    Mistake("lr_init_rank1", ("initialize_with_zeros",), "rank_1_array", "rank_1_array"),
    Mistake("lr_init_row", ("initialize_with_zeros",), "transposed", "transposed"),
    Mistake("lr_bias_outside_sigmoid", ("propagate",), "bias_outside_activation"),
    Mistake("lr_cost_no_minus", ("propagate",), "wrong_sign", "lr_cost_no_minus"),
    Mistake("lr_dw_no_1_over_m", ("propagate",), "missing_1_over_m", "lr_dw_no_1_over_m"),
    Mistake("lr_update_sign", ("optimize",), "wrong_update_sign", "lr_update_sign"),
    Mistake("lr_b_with_dw", ("optimize",), "update_with_wrong_gradient"),
    Mistake("lr_w_with_db", ("optimize",), "update_with_wrong_gradient"),
    Mistake("lr_costs_every_iteration", ("optimize",), "costs_every_100"),
    Mistake("lr_threshold_on_z", ("predict",), "threshold_before_activation"),
    Mistake("lr_model_notebook_numbers", ("model",), "ignored_argument"),
)
