"""Dinosaurus Island's classic mistakes: each is a ``bug`` switch of course.py."""

from shapecheck.diagnosis.plugin import Mistake

MISTAKES: tuple[Mistake, ...] = (
    Mistake("dinos_clip_weights_only", ("clip",), "clip_incomplete"),
    Mistake("dinos_clip_result_discarded", ("clip",), "result_discarded"),
    Mistake("dinos_clip_notebook_bound", ("clip",), "ignored_argument"),
    Mistake("dinos_clip_bounds_swapped", ("clip",), "clip_bounds"),
    Mistake("dinos_sample_state_not_carried", ("sample",), "state_not_carried"),
    Mistake("dinos_sample_x_not_reset", ("sample",), "one_hot_not_reset"),
    Mistake("dinos_sample_x_index_value", ("sample",), "one_hot_not_reset"),  # x[idx] = idx: not a one-hot either
    Mistake("dinos_sample_uniform", ("sample",), "sampling_ignores_probabilities"),
    Mistake("dinos_sample_argmax", ("sample",), "sampling_greedy"),
    Mistake("dinos_sample_seed_not_advanced", ("sample",), "sampling_seed"),
    Mistake("dinos_sample_seed_counter_only", ("sample",), "sampling_seed"),
    Mistake("dinos_sample_seed_constant", ("sample",), "sampling_seed"),
    Mistake("dinos_sample_seeded_once", ("sample",), "sampling_seed"),
    Mistake("dinos_sample_unseeded", ("sample",), "missing_seed"),
    Mistake("dinos_sample_no_final_newline", ("sample",), "missing_final_newline"),
    Mistake("dinos_optimize_no_clip", ("optimize",), "clip_missing"),
    Mistake("dinos_optimize_notebook_rate", ("optimize",), "ignored_argument"),
)
