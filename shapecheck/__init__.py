"""shapecheck: check the shapes and the gradients of neural networks, the course's way.

    import shapecheck as sc
    spec = sc.dense_net([12288, 20, 7, 5, 1])
    sc.trace(spec, m=209)                  # every tensor's shape, before any math runs

Names load on first use: ``import shapecheck`` imports neither numpy nor rich nor typer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "ShapecheckError": "shapecheck.core.errors",
    "set_language": "shapecheck.core.language",
    "language": "shapecheck.core.messages",
    "ACTIVATIONS": "shapecheck.spec.networks",
    "DenseNet": "shapecheck.spec.networks",
    "dense_net": "shapecheck.spec.networks",
    "Sequential": "shapecheck.engine.sequential",
    "Input": "shapecheck.spec.networks",
    "Dense": "shapecheck.layers.dense.spec",
    "SimpleRNN": "shapecheck.layers.simple_rnn.spec",
    "LSTM": "shapecheck.layers.lstm.spec",
    "GRU": "shapecheck.layers.gru.spec",
    "load_spec": "shapecheck.engine.sequential",
    # Keras layers, one plug-in folder each (shapecheck/layers/)
    "Conv2D": "shapecheck.layers.conv2d.spec",
    "MaxPooling2D": "shapecheck.layers.pooling.spec",
    "AveragePooling2D": "shapecheck.layers.pooling.spec",
    "MaxPool2D": "shapecheck.layers.pooling.spec",
    "AvgPool2D": "shapecheck.layers.pooling.spec",
    "ZeroPadding2D": "shapecheck.layers.zero_padding.spec",
    "Flatten": "shapecheck.layers.flatten.spec",
    "Dropout": "shapecheck.layers.dropout.spec",
    "BatchNormalization": "shapecheck.layers.batch_normalization.spec",
    "ReLU": "shapecheck.layers.activation.spec",
    "Activation": "shapecheck.layers.activation.spec",
    "Embedding": "shapecheck.layers.embedding.spec",
    "trace": "shapecheck.tracer.trace",
    "Trace": "shapecheck.tracer.trace",
    "check_params": "shapecheck.validate.params",
    "check_data": "shapecheck.validate.params",
    "infer_spec": "shapecheck.validate.params",
    "Problem": "shapecheck.validate.params",
    "ParamsReport": "shapecheck.validate.params",
    # numeric engine (numpy)
    "init_params": "shapecheck.engine.dense",
    "forward": "shapecheck.engine.dense",
    "backward": "shapecheck.engine.dense",
    "compute_cost": "shapecheck.engine.dense",
    "update_params": "shapecheck.engine.dense",
    "train": "shapecheck.engine.dense",
    "predict": "shapecheck.engine.dense",
    "rnn_cell_forward": "shapecheck.engine.rnn",
    "rnn_forward": "shapecheck.engine.rnn",
    "rnn_cell_backward": "shapecheck.engine.rnn",
    "rnn_backward": "shapecheck.engine.rnn",
    "lstm_cell_forward": "shapecheck.engine.rnn",
    "lstm_forward": "shapecheck.engine.rnn",
    "lstm_cell_backward": "shapecheck.engine.rnn",
    "lstm_backward": "shapecheck.engine.rnn",
    "zero_pad": "shapecheck.engine.conv",
    "conv_single_step": "shapecheck.engine.conv",
    "conv_forward": "shapecheck.engine.conv",
    "conv_backward": "shapecheck.engine.conv",
    "pool_forward": "shapecheck.engine.conv",
    "pool_backward": "shapecheck.engine.conv",
    "create_mask_from_window": "shapecheck.engine.conv",
    "distribute_value": "shapecheck.engine.conv",
    "SGD": "shapecheck.engine.optimizers",
    "Adam": "shapecheck.engine.optimizers",
    # checks
    "gradcheck": "shapecheck.gradients.gradcheck",
    "gradcheck_network": "shapecheck.gradients.fastcheck",
    "GradcheckReport": "shapecheck.gradients.gradcheck",
    "gradcheck_lstm": "shapecheck.gradients.fastcheck_lstm",
    "gradcheck_model": "shapecheck.gradients.model_check",
    "sweep": "shapecheck.tune.sweep",
    "SweepReport": "shapecheck.tune.report",
    "diagnose": "shapecheck.diagnosis.runner",
    "DiagnoseReport": "shapecheck.diagnosis.report",
    "watch": "shapecheck.validate.watch",
    "unwatch": "shapecheck.validate.watch",
    "watching": "shapecheck.validate.watch",
    "WatchError": "shapecheck.validate.watch",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'shapecheck' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def load_ipython_extension(ip: Any) -> None:
    """``%load_ext shapecheck``: the ``%shapecheck`` magic (watch, unwatch, diagnose)."""
    import_module("shapecheck.notebook").load_ipython_extension(ip)


def unload_ipython_extension(ip: Any) -> None:
    import_module("shapecheck.notebook").unload_ipython_extension(ip)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # for editors and type checkers only
    from shapecheck.validate.params import ParamsReport, Problem, check_data, check_params, infer_spec
    from shapecheck.core.errors import ShapecheckError
    from shapecheck.engine.sequential import Sequential, load_spec
    from shapecheck.layers.dense.spec import Dense
    from shapecheck.layers.gru.spec import GRU
    from shapecheck.layers.lstm.spec import LSTM
    from shapecheck.layers.simple_rnn.spec import SimpleRNN
    from shapecheck.spec.networks import ACTIVATIONS, DenseNet, dense_net
    from shapecheck.tracer.trace import Trace, trace
