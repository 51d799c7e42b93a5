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
    "ShapecheckError": "shapecheck.errors",
    "set_language": "shapecheck.messages",
    "language": "shapecheck.messages",
    "ACTIVATIONS": "shapecheck.spec",
    "DenseNet": "shapecheck.spec",
    "dense_net": "shapecheck.spec",
    "Sequential": "shapecheck.spec",
    "Dense": "shapecheck.spec",
    "SimpleRNN": "shapecheck.spec",
    "LSTM": "shapecheck.spec",
    "load_spec": "shapecheck.spec",
    "trace": "shapecheck.tracer",
    "Trace": "shapecheck.tracer",
    "check_params": "shapecheck.check",
    "check_data": "shapecheck.check",
    "infer_spec": "shapecheck.check",
    "Problem": "shapecheck.check",
    "ParamsReport": "shapecheck.check",
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
    "gradcheck": "shapecheck.checks.gradcheck",
    "gradcheck_network": "shapecheck.checks.fastcheck",
    "GradcheckReport": "shapecheck.checks.gradcheck",
    "gradcheck_lstm": "shapecheck.checks.fastcheck_lstm",
    "gradcheck_model": "shapecheck.checks.model_check",
    "sweep": "shapecheck.tune.sweep",
    "SweepReport": "shapecheck.tune.report",
    "diagnose": "shapecheck.checks.diagnosis.runner",
    "DiagnoseReport": "shapecheck.checks.diagnosis.report",
    "watch": "shapecheck.watch",
    "unwatch": "shapecheck.watch",
    "watching": "shapecheck.watch",
    "WatchError": "shapecheck.watch",
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
    from shapecheck.check import ParamsReport, Problem, check_data, check_params, infer_spec
    from shapecheck.errors import ShapecheckError
    from shapecheck.spec import ACTIVATIONS, LSTM, Dense, DenseNet, Sequential, SimpleRNN, dense_net, load_spec
    from shapecheck.tracer import Trace, trace
