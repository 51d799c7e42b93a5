"""The initialization assignment's classic mistakes: each is a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    Mistake("init_b_rank1", ("initialize_parameters_zeros",), "rank_1_array", "rank_1_array"),
    Mistake("init_skip_last_layer", ("initialize_parameters_random", "initialize_parameters_he"), "off_by_one_layer"),
    Mistake("init_W_transposed", ("initialize_parameters_random", "initialize_parameters_he"), "transposed", "transposed"),
    Mistake("random_scale_001", ("initialize_parameters_random",), "init_scale"),
    Mistake("he_fan_out", ("initialize_parameters_he",), "init_scale"),
    Mistake("he_no_sqrt", ("initialize_parameters_he",), "init_scale"),
    Mistake("he_xavier", ("initialize_parameters_he",), "init_scale"),
)
