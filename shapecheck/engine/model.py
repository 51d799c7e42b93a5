"""A Sequential spec, run: Keras's compile / fit / predict / evaluate / get_weights, in float64 numpy.

    model = sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1, activation="linear")])
    model.compile(loss="mse", optimizer="adam")
    model.fit(X, y, epochs=300, shuffle=False, verbose=0).history["loss"]

All weights live in one flat float64 buffer θ, in ``get_weights()`` order (per layer: kernel,
recurrent_kernel, bias); each layer holds views of it, and of the flat gradient buffer that
backward fills. The optimizer updates θ in place: one training step is a fixed, small number of
numpy calls, and allocates nothing once the buffers exist.

Losses and metrics are Keras's (keras_losses.py).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from shapecheck.engine import history as callbacks_
from shapecheck.engine import optimizers
from shapecheck.engine.history import History
from shapecheck.engine.keras_losses import Loss, get_loss, get_metric
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.seeds import check_seed
from shapecheck.core.messages import msg
from shapecheck.layers.runtime import PluginRuntime

# --- the runtime ----------------------------------------------------------------------------------

KERAS_ONLY_COMPILE_OPTIONS = ("run_eagerly", "jit_compile", "steps_per_execution", "auto_scale_loss")


def _whole(value: object, low: int) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= low


class ModelRuntime:
    """The numpy engine behind one ``Sequential``: weights, compile, fit, predict, evaluate."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.seed = seed = check_seed(model.seed)
        # shuffling draws from its own stream, so fitting never changes the initial weights of a rebuild
        self._shuffle_rng = np.random.default_rng(None if seed is None else np.random.SeedSequence(seed, spawn_key=(1,)))
        self.layers: list[PluginRuntime] = []
        self.input_shape: tuple[int, ...] | None = None  # batch excluded
        self.output_shape: tuple[int, ...] | None = None
        self.loss: Loss | None = None
        self.optimizer: optimizers.Optimizer | None = None
        self.metric_names: list[str] = []
        self._metrics: list = []
        self.history: History | None = None
        self._grad_out: dict[tuple, np.ndarray] = {}
        if model.input_shape is not None:  # as in Keras: an input_shape builds the weights at once
            self.build((None, *model.input_shape))

    # --- weights ---------------------------------------------------------------------------------

    @property
    def built(self) -> bool:
        return self.input_shape is not None

    def build(self, input_shape: Sequence[int | None]) -> None:
        """Create the weights for inputs of ``input_shape`` = (batch or None, ...), Keras-initialised from the seed."""
        if not self.model.layers:
            raise ShapecheckError("spec.empty_sequential")
        shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
        if shape is None or len(shape) < 2 or not all(_whole(d, 1) for d in shape[1:]):
            raise ShapecheckError("model.build_shape", value=input_shape)
        features = tuple(int(d) for d in shape[1:])
        declared = self.model.input_shape
        if declared is not None and features != tuple(declared):
            raise ShapecheckError(
                "model.build_mismatch", value=input_shape, expected=tuple(declared),
                expected_text=", ".join(map(str, declared)),
            )
        if self.built:
            if features != self.input_shape:
                raise ShapecheckError("model.already_built", built=self.input_shape, value=input_shape)
            return
        shapes = self.model.layer_shapes(features)  # the spec's rule: a recurrent layer needs (batch, T, features)
        self.layers = [spec.runtime(inp) for spec, (inp, _) in zip(self.model.layers, shapes)]  # each layer's engine.py
        self._switched = [layer for layer in self.layers if layer.reads_training]  # Dropout, BatchNormalization, ...
        weight_shapes = [s for layer in self.layers for s in layer.weight_shapes()]
        sizes = [math.prod(s) for s in weight_shapes]
        self.theta = np.zeros(sum(sizes))  # every weight, in get_weights() order
        self.grad = np.zeros(sum(sizes))  # ∂loss/∂θ, same layout
        offsets = np.cumsum([0, *sizes])
        self._weights = [self.theta[a:b].reshape(s) for a, b, s in zip(offsets, offsets[1:], weight_shapes)]
        grads = [self.grad[a:b].reshape(s) for a, b, s in zip(offsets, offsets[1:], weight_shapes)]
        rng = np.random.default_rng(self.seed)
        k = 0
        for layer in self.layers:
            n = len(layer.weight_names)
            layer.bind(self._weights[k : k + n], grads[k : k + n])
            layer.initialize(rng)
            k += n
        self.input_shape = features
        self.output_shape = shapes[-1][1]

    def _require_built(self) -> None:
        if not self.built:
            raise ShapecheckError("model.not_built")

    def weight_names(self) -> list[str]:
        """``["lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "dense/kernel", "dense/bias"]``, get_weights() order."""
        self._require_built()
        return [f"{layer.name}/{w}" for layer in self.layers for w in layer.weight_names]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight in Keras's order and layout."""
        self._require_built()
        return [w.copy() for w in self._weights]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Load weights in Keras's order and layout (e.g. from a Keras model's get_weights()); all or nothing."""
        self._require_built()
        names = self.weight_names()
        weights = list(weights)
        if len(weights) != len(names):
            raise ShapecheckError("model.weights_count", actual=len(weights), expected=len(names), names=", ".join(names))
        arrays = []
        for name, w, current, rule in zip(names, weights, self._weights, self._weight_rules()):
            try:
                array = np.asarray(w, dtype=np.float64)
            except (TypeError, ValueError):
                raise ShapecheckError("model.weight_not_numeric", name=name) from None
            if array.shape != current.shape:
                raise ShapecheckError("model.weight_shape", name=name, actual=array.shape, expected=current.shape, rule=rule)
            arrays.append(array)
        for current, array in zip(self._weights, arrays):
            current[...] = array  # copies into θ: the caller's arrays stay theirs

    def _weight_rules(self) -> list[str]:
        """The rule sentence of every weight, get_weights() order (each layer states its own)."""
        return [rule for layer in self.layers for rule in layer.weight_rules()]

    def _training(self, flag: bool) -> None:
        """Dropout drops and BatchNormalization uses (and moves) batch statistics only while training."""
        for layer in self._switched:
            layer.training = flag

    def count_params(self) -> int:
        self._require_built()
        return int(self.theta.size)

    # --- data --------------------------------------------------------------------------------------

    def _inputs(self, x: Any) -> np.ndarray:
        """X as a float64 copy, checked against the model (the tracer explains a wrong rank)."""
        x = _as_float(x, "X")
        if x.ndim == 1 and self.model.layers and not self.model.layers[0].recurrent:  # recurrent: the tracer says it below
            raise ShapecheckError("model.needs_features_axis", actual=x.shape)
        if not self.built:
            self.build((None, *x.shape[1:]))
        elif x.shape[1:] != self.input_shape:
            self.model.layer_shapes(x.shape[1:])  # raises the spec's rule if the rank is wrong
            if x.ndim - 1 != len(self.input_shape):
                detail = msg("model.input_mismatch_rank", expected=len(self.input_shape), actual=x.ndim - 1)
            elif x.shape[-1] != self.input_shape[-1]:
                detail = msg("model.input_mismatch_features", expected=self.input_shape[-1], actual=x.shape[-1])
            else:
                detail = msg("model.input_mismatch_steps", expected=self.input_shape[0], actual=x.shape[1])
            raise ShapecheckError(
                "model.input_mismatch", actual=x.shape, expected=self.input_shape,
                expected_text=", ".join(map(str, self.input_shape)), detail=detail,
            )
        return x

    def _data(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        x = self._inputs(x)
        y = _as_float(y, "y")
        if len(y) != len(x):
            raise ShapecheckError("model.batch_mismatch", x_count=len(x), y_count=len(y), x_shape=x.shape, y_shape=y.shape)
        return x, self.loss.targets(y, (len(x), *self.output_shape))

    # --- compile, forward, backward -----------------------------------------------------------------

    def compile(self, loss: Any = "mse", optimizer: Any = "adam", metrics: Sequence[Any] | None = None, **options: Any) -> None:
        """Keras's compile: a loss by name, "sgd"/"adam" or an optimizer object, metrics by name."""
        for option in options:
            if option not in KERAS_ONLY_COMPILE_OPTIONS:  # accepted for Keras scripts, meaningless here
                raise ShapecheckError("model.unknown_compile_option", option=option)
        self.loss = get_loss(loss)
        self.optimizer = optimizers.get(optimizer)
        names = [] if metrics is None else list(metrics)
        self._metrics = [get_metric(name) for name in names]
        self.metric_names = [str(name) for name in names]

    def _require_compiled(self, method: str) -> None:
        if self.loss is None:
            raise ShapecheckError("model.not_compiled", method=method)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def _backward(self, grad_out: np.ndarray) -> None:
        d = grad_out
        for layer in self.layers[:0:-1]:
            d = layer.backward(d)
        self.layers[0].backward(d, need_dx=False)  # nobody needs ∂loss/∂X

    def _grad_buffer(self, shape: tuple[int, ...]) -> np.ndarray:
        buffer = self._grad_out.get(shape)
        if buffer is None:
            buffer = self._grad_out[shape] = np.empty(shape)
        return buffer

    def _train_step(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """One gradient step on one batch; the loss and the predictions are those before the update."""
        self._training(True)
        try:
            y_pred = self._forward(x)
        finally:
            self._training(False)
        grad_out = self._grad_buffer(y_pred.shape)
        loss = self.loss(y_pred, y, grad_out)
        self._backward(grad_out)
        self.optimizer.apply(self.theta, self.grad)
        return loss, y_pred

    def loss_and_gradients(self, x: Any, y: Any) -> tuple[float, list[np.ndarray]]:
        """The compiled loss on (x, y) and ∂loss/∂w for every weight, in get_weights() order (nothing is updated)."""
        self._require_compiled("loss_and_gradients")
        x, y = self._data(x, y)
        y_pred = self._forward(x)
        grad_out = self._grad_buffer(y_pred.shape)
        loss = self.loss(y_pred, y, grad_out)
        self._backward(grad_out)
        return loss, [g.copy() for g in _split(self.grad, self._weights)]

    # --- Keras's API ---------------------------------------------------------------------------------

    def fit(
        self,
        x: Any,
        y: Any,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Sequence[Any] | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        initial_epoch: int = 0,
    ) -> History:
        """Keras's fit: mini-batch training; ``history.history["loss"]`` holds each epoch's mean batch loss.

        An epoch's loss is the mean of its batches' losses weighted by batch size, each taken before
        that batch's update (what Keras reports). ``shuffle=False`` keeps the order: the lesson's setting.
        """
        self._require_compiled("fit")
        batch_size = 32 if batch_size is None else batch_size
        _option("epochs", epochs, _whole(epochs, 0), "model.expected_epochs")
        _option("initial_epoch", initial_epoch, _whole(initial_epoch, 0), "model.expected_epochs")
        _option("batch_size", batch_size, _whole(batch_size, 1), "model.expected_batch_size")
        ok_split = isinstance(validation_split, (int, float)) and not isinstance(validation_split, bool) and 0 <= validation_split < 1
        _option("validation_split", validation_split, ok_split, "model.expected_split")
        x, y = self._data(x, y)
        if validation_data is None and validation_split > 0:
            keep = int(math.floor(len(x) * (1.0 - validation_split)))  # Keras: the last samples, before shuffling
            if keep < 1:
                raise ShapecheckError("model.split_too_large", value=validation_split, count=keep, total=len(x))
            x, y, validation_data = x[:keep], y[:keep], (x[keep:], y[keep:])
        elif validation_data is not None:
            ok = isinstance(validation_data, (tuple, list)) and len(validation_data) == 2
            _option("validation_data", type(validation_data).__name__, ok, "model.expected_validation")
            validation_data = self._data(*validation_data)
        self.optimizer.build(self.theta.size)

        n = len(x)
        history = History({"epochs": epochs, "steps": math.ceil(n / batch_size), "verbose": verbose})
        listeners = [*callbacks_.reporters(verbose, epochs), *(callbacks or ()), history]
        callbacks_.call(listeners, "on_train_begin", {})
        for epoch in range(initial_epoch, epochs):
            callbacks_.call(listeners, "on_epoch_begin", epoch, {})
            logs = self._epoch(x, y, batch_size, shuffle)
            if validation_data is not None:
                for name, value in self._score(*validation_data).items():
                    logs["val_" + name] = value
            callbacks_.call(listeners, "on_epoch_end", epoch, logs)
        callbacks_.call(listeners, "on_train_end", {})
        self.history = history
        return history

    def _epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool) -> dict[str, float]:
        n = len(x)
        order = self._shuffle_rng.permutation(n) if shuffle else None
        loss_sum = 0.0
        metric_sums = [0.0] * len(self._metrics)
        for start in range(0, n, batch_size):
            if order is not None:
                rows = order[start : start + batch_size]
                xb, yb = x[rows], y[rows]
            elif batch_size >= n:  # the whole set is one batch (the lesson's 4 samples): no slicing
                xb, yb = x, y
            else:
                xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            loss, y_pred = self._train_step(xb, yb)
            weight = len(xb)
            loss_sum += loss * weight
            for k, metric in enumerate(self._metrics):
                metric_sums[k] += metric(y_pred, yb) * weight
        logs = {"loss": loss_sum / n}
        for name, total in zip(self.metric_names, metric_sums):
            logs[name] = total / n
        return logs

    def _score(self, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        y_pred = self._forward(x)
        scores = {"loss": self.loss(y_pred, y)}
        for name, metric in zip(self.metric_names, self._metrics):
            scores[name] = metric(y_pred, y)
        return scores

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = 0) -> np.ndarray:
        """The model's output for every sample, float64 (``batch_size`` is accepted; results do not depend on it)."""
        if batch_size is not None:
            _option("batch_size", batch_size, _whole(batch_size, 1), "model.expected_batch_size")
        x = self._inputs(x)
        chunk = 4096  # bounds the buffers; rows are independent, so chunking changes no number
        return np.concatenate([self._forward(x[k : k + chunk]).copy() for k in range(0, len(x), chunk)])

    def evaluate(self, x: Any, y: Any, batch_size: int | None = None, verbose: Any = 0, return_dict: bool = False) -> Any:
        """The loss on (x, y) (and the metrics: a list [loss, ...] as in Keras, or a dict)."""
        self._require_compiled("evaluate")
        if batch_size is not None:
            _option("batch_size", batch_size, _whole(batch_size, 1), "model.expected_batch_size")
        x, y = self._data(x, y)
        scores = self._score(x, y)
        if return_dict:
            return scores
        return scores["loss"] if not self._metrics else list(scores.values())


def _as_float(value: Any, name: str) -> np.ndarray:
    """A float64 copy of user data (never a view: the caller's array is never touched)."""
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ShapecheckError("model.not_numeric", name=name) from None
    if array.ndim == 0:
        raise ShapecheckError("model.no_batch_axis", name=name)
    if len(array) == 0:
        raise ShapecheckError("model.empty", name=name, shape=array.shape)
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ShapecheckError("model.not_finite", name=name, index=index[0] if len(index) == 1 else index)
    return array


def _option(option: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise ShapecheckError("model.bad_option", option=option, value=value, expected=msg(expected))


def _split(flat: np.ndarray, like: list[np.ndarray]) -> list[np.ndarray]:
    """Views of ``flat`` shaped like ``like`` (consecutive, in order)."""
    out, k = [], 0
    for w in like:
        out.append(flat[k : k + w.size].reshape(w.shape))
        k += w.size
    return out
