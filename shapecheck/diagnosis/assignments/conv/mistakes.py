"""The convolution assignment's classic mistakes: each is a ``bug`` switch of the course's code (course.py),
where it is written, and the hint id it stands for (hints.toml, tests/gallery/HINTS.md). Order matters:
the first that explains an output wins."""

from shapecheck.diagnosis.plugin import Mistake

_WINDOWED = ("conv_forward", "pool_forward", "conv_backward", "pool_backward")

MISTAKES: tuple[Mistake, ...] = (
    # padding: np.pad(X, pad) pads every axis, the examples and the channels too
    Mistake("pad_all_axes", ("zero_pad",), "pad_wrong_axes"),
    Mistake("pad_height_only", ("zero_pad",), "pad_wrong_axes"),
    # one step
    Mistake("single_step_no_bias", ("conv_single_step",), "missing_term"),
    Mistake("single_step_mean", ("conv_single_step",), "wrong_reduction"),
    # the windows: vert_start = h instead of h * stride; vert_end = vert_start + stride instead of + f
    Mistake("stride_ignored", _WINDOWED, "stride_ignored"),
    # in a convolution a stride-wide window cannot meet W: exceptions.py reads that error
    Mistake("window_stride_wide", ("pool_forward", "pool_backward"), "window_size"),
    Mistake("bias_twice", ("conv_forward",), "wrong_bias"),
    Mistake("pool_mode_ignored", ("pool_forward",), "pool_mode"),
    Mistake("pool_all_channels", ("pool_forward",), "pool_channels"),
    # the backward pass: = instead of +=, and where the padding comes off
    Mistake("dA_prev_overwritten", ("conv_backward",), "not_accumulated"),
    Mistake("dW_overwritten", ("conv_backward",), "not_accumulated"),
    Mistake("db_overwritten", ("conv_backward",), "not_accumulated"),
    Mistake("unpad_outside_loop", ("conv_backward",), "unpad_outside_loop"),
    Mistake("unpad_minus_zero", ("conv_backward",), "unpad_minus_zero"),
    Mistake("pool_dA_overwritten", ("pool_backward",), "not_accumulated"),
    # pooling's helpers
    Mistake("mask_returns_max", ("create_mask_from_window",), "mask_not_mask"),
    Mistake("mask_times_x", ("create_mask_from_window",), "mask_not_mask"),
    Mistake("average_not_divided", ("distribute_value",), "average_not_divided"),
    Mistake("average_precedence", ("distribute_value",), "average_not_divided"),
)
