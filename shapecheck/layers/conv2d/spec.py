"""Keras's ``Conv2D(filters, kernel_size, strides=(1, 1), padding="valid", activation=None)``, channels last.

The course's rule, with Keras's padding: n_H = ⌊(n_H_prev + pad_top + pad_bottom − f_H)/stride_H⌋ + 1.
``padding`` is "valid" (no padding), "same" (n_H = ⌈n_H_prev/stride⌉, the odd row at the bottom), or,
for the course's notation, a whole number pad (zeros on every side; Keras itself takes only the words).
Kernel (f_H, f_W, n_C_prev, filters), the course's W; bias (filters,), the course's b flattened.

>>> Conv2D(6, 5, padding="same", activation="relu").output_shape((28, 28, 1))
(28, 28, 6)
>>> Conv2D(6, 5).param_counts((28, 28, 1))
(156, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapecheck.spec.conv_rules import arithmetic, check_window, dropped_notes, keras_padding, output_size
from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import KerasLayerSpec, Weight, check_activation, check_count, check_flag, pair, padding_mode
from shapecheck.core.messages import msg


def looks_channels_first(inp: tuple[int, ...]) -> bool:
    """(3, 64, 64): a few channels first, then a square image; channels last would be (64, 64, 3)."""
    return len(inp) == 3 and inp[0] <= 4 < inp[1] == inp[2]


@dataclass(repr=False)
class Conv2D(KerasLayerSpec):
    filters: int
    kernel_size: Any
    strides: Any = (1, 1)
    padding: Any = "valid"
    activation: str | None = None
    use_bias: bool = True

    kind = "Conv2D"
    snake = "conv2d"
    input_rank = 3

    def __post_init__(self) -> None:
        super().__post_init__()
        self.filters = check_count(self.filters, "filters", self.kind)
        self.kernel_size = pair(self.kernel_size, "kernel_size", self.kind)
        self.strides = pair(self.strides, "strides", self.kind)
        self.padding = padding_mode(self.padding, self.kind, numeric=True)
        self.activation = check_activation(self.activation, self.kind)
        self.use_bias = check_flag(self.use_bias, "use_bias", self.kind)

    def pads(self, inp: tuple[int, ...]) -> tuple[tuple[int, int], tuple[int, int]]:
        """((top, bottom), (left, right))."""
        if isinstance(self.padding, int):
            return (self.padding, self.padding), (self.padding, self.padding)
        return tuple(keras_padding(self.padding, n, f, s) for n, f, s in zip(inp[:2], self.kernel_size, self.strides))

    def output_shape(self, inp):
        self.check_input(inp)
        if looks_channels_first(inp):
            raise ShapecheckError("layers.channels_first", layer=self.label(), shape=inp, fixed=(inp[1], inp[2], inp[0]))
        pads = self.pads(inp)
        check_window(self.kernel_size, inp[0], inp[1], pads, self.label())
        n_H, n_W = (output_size(n, f, s, p) for n, f, s, p in zip(inp[:2], self.kernel_size, self.strides, pads))
        return n_H, n_W, self.filters

    def weights(self, inp):
        f_H, f_W = self.kernel_size
        kernel = Weight("kernel", (f_H, f_W, inp[2], self.filters), ("f", "f", "n_C_prev", "n_C"), msg("layers.rule_conv_kernel"))
        bias = Weight("bias", (self.filters,), ("n_C",), msg("layers.rule_conv_bias"))
        return [kernel, bias] if self.use_bias else [kernel]

    def formula(self, inp):
        f_H, f_W = self.kernel_size
        count = f_H * f_W * inp[2] * self.filters + (self.filters if self.use_bias else 0)
        return msg("layers.count_conv" if self.use_bias else "layers.count_conv_no_bias",
                   f_H=f_H, f_W=f_W, n_C_prev=inp[2], n_C=self.filters, count=count)

    def output_rule(self, inp, out):
        return window_rule(inp, out, self.kernel_size, self.strides, self.pads(inp), self.padding,
                           msg("layers.channels_filters", n_C=self.filters))


def window_rule(inp, out, f, strides, pads, padding, channels: str) -> str:
    """n_H and n_W with the numbers substituted, what n_C is, and the rows/columns a stride drops."""
    arithmetic_H, arithmetic_W = (arithmetic(n, f_axis, s, p) for n, f_axis, s, p in zip(inp[:2], f, strides, pads))
    text = msg("layers.rule_window", arithmetic_H=arithmetic_H, arithmetic_W=arithmetic_W, channels=channels)
    if padding == "same":
        text += ". " + msg("layers.same_note", pads=pads)
    return text + "".join(". " + note for note in dropped_notes(inp[:2], f, strides, pads))
