"""``sc.Sequential``: a spec that also summarises itself (tracer) and trains (engine), like Keras's.

The description (layers, shapes, parameter counts) is ``spec.networks.Sequential``; this facade adds
``summary`` and, loaded on first use, the numpy runtime of ``engine/model.py``: compile, fit,
predict, evaluate, get_weights, set_weights. Importing it imports no numpy.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

from shapecheck.layers.base import KerasLayerSpec
from shapecheck.spec import networks
from shapecheck.tracer.trace import trace


class Sequential(networks.Sequential):
    """A Keras-like stack of layers: shapes and counts with no numpy; ``compile``/``fit`` run it in numpy.

    >>> from shapecheck.layers.dense.spec import Dense
    >>> from shapecheck.layers.lstm.spec import LSTM
    >>> model = Sequential([LSTM(10, input_shape=(1, 1)), Dense(1, activation="linear")])
    >>> model.count_params()
    491
    """

    def __init__(self, layers: Sequence[KerasLayerSpec] = (), name: str = "sequential", seed: int | None = 0) -> None:
        self._runtime: Any = None
        super().__init__(layers, name=name, seed=seed)

    def add(self, layer: KerasLayerSpec) -> None:
        super().add(layer)
        self._runtime = None  # the weights are rebuilt for the new stack

    def summary(self, *, print_fn=None) -> None:
        """Print a Keras-style summary: Layer (type), Output Shape, Param #, totals."""
        report = trace(self).summary()
        from shapecheck.views.base import in_notebook

        if print_fn is not None:
            print_fn(report.to_text())
        elif in_notebook():  # displayed as a report that is a cell's value is: HTML, and plain text without ANSI codes
            from IPython.display import display

            display(report)
        else:
            from rich import print as rich_print

            rich_print(report)

    # --- training: the numpy engine, loaded only when used ---
    def _engine(self) -> Any:
        if self._runtime is None:
            from shapecheck.engine.model import ModelRuntime

            self._runtime = ModelRuntime(self)
        return self._runtime

    def build(self, input_shape: Sequence[int | None]) -> None:
        self._engine().build(tuple(input_shape))

    def compile(self, loss: str = "mse", optimizer: Any = "adam", **kwargs: Any) -> None:
        self._engine().compile(loss=loss, optimizer=optimizer, **kwargs)

    # positional arguments in Keras's order too: fit(X, y, 32, 300) is how some lessons call it
    def fit(self, x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
        return self._engine().fit(x, y, *args, **kwargs)

    def predict(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        return self._engine().predict(x, *args, **kwargs)

    def evaluate(self, x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
        return self._engine().evaluate(x, y, *args, **kwargs)

    def get_weights(self) -> list[Any]:
        return self._engine().get_weights()

    def set_weights(self, weights: Sequence[Any]) -> None:
        self._engine().set_weights(weights)


def load_spec(path: str | os.PathLike) -> networks.Spec:
    """``sc.load_spec``: a network from TOML or JSON; a Sequential comes back able to summarise and train."""
    spec = networks.load_spec(path)
    if isinstance(spec, networks.Sequential):
        return Sequential(spec.layers, name=spec.name, seed=spec.seed)
    return spec
