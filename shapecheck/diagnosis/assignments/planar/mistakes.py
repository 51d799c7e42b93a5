"""Planar data classification's classic mistakes: each is a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    Mistake("planar_sizes_hard_coded", ("layer_sizes",), "hard_coded_size"),
    Mistake("planar_init_no_scale", ("initialize_parameters",), "init_scale"),
    Mistake("planar_forward_sigmoid_hidden", ("forward_propagation",), "wrong_activation"),
    Mistake("planar_forward_no_b1", ("forward_propagation",), "missing_term", "planar_forward_no_bias"),
    Mistake("planar_forward_no_b2", ("forward_propagation",), "missing_term", "planar_forward_no_bias"),
    Mistake("planar_cost_first_term_only", ("compute_cost",), "missing_term"),
    Mistake("planar_tanh_derivative_linear", ("backward_propagation",), "wrong_activation_derivative"),
    Mistake("planar_tanh_derivative_sigmoid", ("backward_propagation",), "wrong_activation_derivative"),
    Mistake("planar_update_notebook_rate", ("update_parameters",), "ignored_argument"),
    Mistake("planar_update_sign", ("update_parameters",), "wrong_update_sign"),
    Mistake("planar_model_n_h_from_layer_sizes", ("nn_model",), "ignored_argument"),
    # the 2017–20 nn_model (its initialize_parameters re-seeds with 2): course.nn_model reads the name's ending
    Mistake("planar_model_n_h_from_layer_sizes_2017", ("nn_model",), "ignored_argument", "planar_model_n_h_from_layer_sizes"),
    Mistake("planar_predict_probabilities", ("predict",), "threshold_missing"),
)
