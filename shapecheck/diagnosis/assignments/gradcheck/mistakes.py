"""Gradient checking's classic mistakes, and the notebook's planted ones: each a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    Mistake("gc_forward_plus", ("forward_propagation",), "wrong_formula"),
    Mistake("gc_backward_theta", ("backward_propagation",), "wrong_variable"),
    Mistake("gc_grad_is_x", ("gradient_check",), "backward_not_called"),
    Mistake("gc_one_epsilon", ("gradient_check",), "two_epsilon"),
    Mistake("gc_denominator", ("gradient_check",), "difference_formula"),
    Mistake("gc_cost_no_1_over_m", ("forward_propagation_n",), "missing_1_over_m", "missing_1_over_m_cost"),
    Mistake("gc_planted", ("backward_propagation_n",), "planted_mistakes"),
    Mistake("gc_planted_dW2", ("backward_propagation_n",), "planted_mistakes", "gc_planted"),
    Mistake("gc_planted_db1", ("backward_propagation_n",), "planted_mistakes", "gc_planted"),
    Mistake("gc_relu_mask_ge", ("backward_propagation_n",), "wrong_activation_derivative", "gc_relu_mask_ge"),
    Mistake("gc_n_one_epsilon", ("gradient_check_n",), "two_epsilon", "gc_one_epsilon"),
    Mistake("gc_n_no_copy", ("gradient_check_n",), "perturbation_not_reset", "gc_perturbation"),
    Mistake("gc_n_minus_from_plus", ("gradient_check_n",), "perturbation_not_reset", "gc_perturbation"),
)
