"""What ``fit`` returns and what it tells while it runs: Keras's History and its ``verbose`` modes.

Callbacks are duck-typed as in Keras: any object with some of ``on_train_begin(logs)``,
``on_epoch_begin(epoch, logs)``, ``on_epoch_end(epoch, logs)``, ``on_train_end(logs)``.
``verbose=0`` is silent, ``1``/``"auto"`` draws a rich progress bar with the loss, ``2`` prints one
line per epoch (the lesson's ``verbose=2``). rich is imported only when something is drawn.
"""

from __future__ import annotations

from typing import Any, Iterable

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg


class History:
    """``history.history["loss"]`` is the loss of every epoch, as in Keras (also ``history.epoch``)."""

    def __init__(self, params: dict | None = None) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params = dict(params or {})

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"


def _logs_text(logs: dict) -> str:
    return " - ".join(msg("model.log_item", name=name, value=value) for name, value in logs.items())


class EpochLines:
    """``verbose=2``: one line per epoch, ``Epoch 3/300 - loss: 0.0123``."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        print(msg("model.epoch_line", epoch=epoch + 1, epochs=self.epochs, logs=_logs_text(logs)), flush=True)


class ProgressBar:
    """``verbose=1``: a rich progress bar over the epochs, showing the latest loss."""

    def __init__(self, epochs: int, console: Any = None) -> None:
        self.epochs = epochs
        self.console = console
        self._progress: Any = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[logs]}", markup=False),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._progress.start()
        self._task = self._progress.add_task(msg("model.progress_label"), total=self.epochs, logs="")

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self._progress.update(self._task, completed=epoch + 1, logs=_logs_text(logs))

    def on_train_end(self, logs: dict | None = None) -> None:
        self._progress.stop()


def reporters(verbose: object, epochs: int) -> list:
    """The callbacks that ``verbose`` asks for (Keras: 0 silent, 1 or "auto" a bar, 2 a line per epoch)."""
    if verbose in (0, False, None):
        return []
    if verbose in (1, True, "auto"):
        return [ProgressBar(epochs)]
    if verbose == 2:
        return [EpochLines(epochs)]
    raise ShapecheckError("model.bad_option", option="verbose", value=verbose, expected=msg("model.expected_verbose"))


def call(callbacks: Iterable, hook: str, *args: Any) -> None:
    """Call ``hook`` on every callback that has it (Keras's callbacks need not define them all)."""
    for callback in callbacks:
        method = getattr(callback, hook, None)
        if method is not None:
            method(*args)
