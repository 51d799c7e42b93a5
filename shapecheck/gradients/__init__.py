"""Gradient checks: analytic gradients against centered differences, the course's measure.

``gradcheck`` (any cost function, black box; the report and its verdict), ``fastcheck`` (a dense
network's cost, batched), ``fastcheck_lstm`` (the recurrent one), ``model_check`` (a Keras-like
model), ``kinks`` (ReLU's non-differentiable points) and ``bugs`` (injected classic mistakes).
"""
