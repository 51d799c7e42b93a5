"""The gradient check of a compiled Keras-like Sequential: its own forward pass and loss, coordinate by coordinate."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import numpy as np

from shapecheck.gradients import kinks as kink_tests
from shapecheck.gradients.gradcheck import EPS, THRESHOLD, GradcheckReport, check_options


def gradcheck_model(
    model,
    x: Any,
    y: Any,
    *,
    weights: Any = None,
    eps: float = EPS,
    mode: str = "full",
    k: int = 10,
    seed: int = 0,
    threshold: float = THRESHOLD,
    progress: Callable[[int, int], None] | bool | None = None,
) -> GradcheckReport:
    """Gradient-check a compiled Sequential's backward: its compiled loss on (x, y) against centered differences.

    Every weight, in ``get_weights()`` order and Keras's layout (``lstm/kernel``, ...). The full
    check evaluates the model's own forward pass and loss twice per coordinate (the layers share
    their weights across the batch, so perturbations are not batched here); with ReLU layers the
    black-box kink test sets kinks aside. ``weights`` (Keras order) are checked instead of the
    model's own, which are put back afterwards either way.

    >>> import numpy as np, shapecheck as sc
    >>> model = sc.Sequential([sc.LSTM(3, input_shape=(2, 1)), sc.Dense(1)], seed=0)
    >>> model.compile(loss="mse")
    >>> gradcheck_model(model, np.ones((4, 2, 1)), np.zeros(4)).passed
    True
    """
    from shapecheck.gradients.gradcheck import gradcheck

    check_options(mode, eps, k, threshold)
    if hasattr(model, "_engine"):  # sc.Sequential keeps its runtime (compiled, trained weights)
        runtime = model._engine()
    else:  # a bare description (spec.networks.Sequential) has none: it says "compile first" below
        from shapecheck.engine.model import ModelRuntime

        runtime = ModelRuntime(model)
    runtime._require_compiled("gradcheck")
    if not runtime.built:
        runtime.build((None, *np.shape(x)[1:]))
    saved = runtime.theta.copy()
    try:
        if weights is not None:
            runtime.set_weights(weights)
        names = runtime.weight_names()
        J0, analytic = runtime.loss_and_gradients(x, y)
        params = dict(zip(names, runtime.get_weights()))
        scale = abs(J0) + float(sum(np.sum(np.abs(params[n] * g)) for n, g in zip(names, analytic)))

        def f(p):
            runtime.set_weights([p[n] for n in names])
            return runtime.loss_and_gradients(x, y)[0]

        kinked = any(getattr(layer, "activation", None) in kink_tests.KINKED for layer in model.layers)
        report = gradcheck(f, params, dict(zip(names, analytic)), eps=eps, mode=mode, k=k, seed=seed,
                           threshold=threshold, detect_kinks=kinked, noise_scale=scale, progress=progress)
    finally:
        runtime.theta[...] = saved  # the model's weights, exactly as they were
    return replace(report, network=repr(model))
