"""The optimization assignment's classic mistakes: each is a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    Mistake("opt_batches_unpaired", ("random_mini_batches",), "minibatch_unpaired"),
    Mistake("opt_batches_precedence", ("random_mini_batches",), "minibatch_slicing"),
    Mistake("opt_batches_last_from_zero", ("random_mini_batches",), "minibatch_slicing"),
    Mistake("opt_batches_last_dropped", ("random_mini_batches",), "minibatch_last_dropped"),
    Mistake("opt_velocity_b_like_W", ("initialize_velocity",), "wrong_shape"),
    Mistake("opt_momentum_no_one_minus_beta", ("update_parameters_with_momentum",), "momentum_average"),
    Mistake("opt_momentum_raw_gradient", ("update_parameters_with_momentum",), "update_with_wrong_gradient"),
    Mistake("opt_adam_one_plus_beta", ("update_parameters_with_adam",), "adam_bias_correction"),
    Mistake("opt_adam_s_with_beta1", ("update_parameters_with_adam",), "adam_bias_correction"),
    Mistake("opt_adam_uncorrected", ("update_parameters_with_adam",), "adam_bias_correction"),
    Mistake("opt_adam_epsilon_inside", ("update_parameters_with_adam",), "adam_epsilon"),
    Mistake("opt_lr_epoch_outside", ("update_lr",), "wrong_formula"),
    Mistake("opt_schedule_no_floor", ("schedule_lr_decay",), "missing_floor"),
)
