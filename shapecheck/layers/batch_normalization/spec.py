"""Keras's ``BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001)``: per channel (the last axis),
y = γ·(x − μ)/√(σ² + ε) + β, with μ and σ² of the batch in training and the moving statistics
otherwise. Weights, in Keras's order: gamma, beta (trainable), moving_mean, moving_variance (not).

>>> BatchNormalization().param_counts((32, 32, 16))
(32, 32)
"""

from __future__ import annotations

from dataclasses import dataclass

from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.base import KerasLayerSpec, Weight, _whole, check_flag, check_rate
from shapecheck.core.messages import msg


@dataclass(repr=False)
class BatchNormalization(KerasLayerSpec):
    axis: int = -1
    momentum: float = 0.99
    epsilon: float = 0.001
    center: bool = True
    scale: bool = True

    kind = "BatchNormalization"
    snake = "batch_normalization"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not _whole(self.axis):
            raise ShapecheckError("layers.bn_axis", value=self.axis)
        self.momentum = check_rate(self.momentum, "momentum", self.kind)
        ok = isinstance(self.epsilon, (int, float)) and not isinstance(self.epsilon, bool) and self.epsilon > 0
        if not ok:
            raise ShapecheckError("layers.bad_epsilon", layer=self.kind, value=self.epsilon)
        self.epsilon = float(self.epsilon)
        self.center = check_flag(self.center, "center", self.kind)
        self.scale = check_flag(self.scale, "scale", self.kind)

    def output_shape(self, inp):
        if self.axis not in (-1, len(inp)):  # axis=3 on (batch, n_H, n_W, n_C) is the last axis too
            raise ShapecheckError("layers.bn_axis", value=self.axis)
        return inp

    def weights(self, inp):
        n_C = (inp[-1],)
        weights = []
        if self.scale:
            weights.append(Weight("gamma", n_C, ("n_C",), msg("layers.rule_bn_gamma")))
        if self.center:
            weights.append(Weight("beta", n_C, ("n_C",), msg("layers.rule_bn_beta")))
        weights.append(Weight("moving_mean", n_C, ("n_C",), msg("layers.rule_bn_moving_mean"), trainable=False))
        weights.append(Weight("moving_variance", n_C, ("n_C",), msg("layers.rule_bn_moving_variance"), trainable=False))
        return weights

    def formula(self, inp):
        per = len(self.weights(inp))
        trainable, frozen = self.param_counts(inp)
        return msg("layers.count_bn", per=per, n_C=inp[-1], count=trainable + frozen, trainable=trainable, non_trainable=frozen)

    def output_rule(self, inp, out):
        return msg("layers.rule_bn", n_C=inp[-1])
