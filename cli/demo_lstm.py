"""``shapecheck demo lstm``: the Keras LSTM lesson, end to end, on shapecheck's Sequential.

The lesson's code, reproduced::

    seq = array([[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]])
    X, y = seq[:, 0].reshape((4, 1, 1)), seq[:, 1]
    model = Sequential([LSTM(10, input_shape=(1, 1)), Dense(1, activation="linear")])
    model.compile(loss="mse", optimizer="adam"); model.summary()
    model.fit(X, y, epochs=300, shuffle=False); model.predict(X)

plus what the lesson does not say: with one time step and a zero initial state, the recurrent
kernel gets no gradient and never changes. numpy loads inside the command, not at import.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Callable

import typer

from shapecheck.cli.common import ForceOption, SeedOption, afford, console, examples, show, user_errors
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.views.base import Report

LESSON = ((0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 0.4))  # (x, y) pairs: predict the next number


@dataclass(frozen=True)
class LessonReport(Report):
    """One run of the lesson: the summary, the loss of every epoch, predictions before and after, the finding."""

    units: int
    epochs: int
    seed: int
    summary: Any  # shapecheck.tracer.Summary
    x: tuple[float, ...]
    y: tuple[float, ...]
    before: tuple[float, ...]  # predictions with the initial weights
    after: tuple[float, ...]  # predictions after training
    losses: tuple[float, ...]
    timesteps: int
    recurrent_shape: tuple[int, int]
    recurrent_change: float  # max |Δ recurrent_kernel| over training
    kernel_change: float  # max |Δ kernel|, for contrast

    @property
    def recurrent_learns(self) -> bool:
        return self.recurrent_change > 0.0

    def finding(self) -> str:
        key = "model.demo_recurrent_changed" if self.recurrent_learns else "model.demo_recurrent_unchanged"
        return msg(key, shape=self.recurrent_shape, change=self.recurrent_change, epochs=self.epochs,
                   kernel_change=self.kernel_change, timesteps=self.timesteps)

    def to_json(self) -> dict:
        return {
            "units": self.units,
            "epochs": self.epochs,
            "seed": self.seed,
            "summary": self.summary.to_json(),
            "data": {"X": list(self.x), "X_shape": [len(self.x), self.timesteps, 1], "y": list(self.y)},
            "losses": list(self.losses),
            "loss_first": self.losses[0],
            "loss_last": self.losses[-1],
            "predictions": [
                {"x": x, "target": y, "before": b, "prediction": a}
                for x, y, b, a in zip(self.x, self.y, self.before, self.after)
            ],
            "recurrent_kernel": {
                "shape": list(self.recurrent_shape),
                "changed_by": self.recurrent_change,
                "kernel_changed_by": self.kernel_change,
                "timesteps": self.timesteps,
                "initial_state": "zeros",
                "learns": self.recurrent_learns,
                "explanation": self.finding(),
            },
        }

    def header(self):
        """What the lesson shows before training: the model, the data, the summary."""
        from rich.console import Group
        from rich.text import Text

        title = Text(msg("model.demo_title", units=self.units), style="bold")
        data = Text(msg("model.demo_data", x=list(self.x), x_shape=(len(self.x), self.timesteps, 1), y=list(self.y)))
        return Group(title, data, self.summary)

    def results(self):
        """What training gave: the loss, a table of predictions, and the recurrent kernel's story."""
        from rich.console import Group
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        trained = Text(msg("model.demo_trained", first=self.losses[0], last=self.losses[-1], epochs=self.epochs))
        table = Table(title=escape(msg("model.demo_predictions_title", epochs=self.epochs)))
        for key in ("demo_col_sample", "demo_col_input", "demo_col_target", "demo_col_before", "demo_col_prediction"):
            table.add_column(escape(msg("model." + key)), justify="right")
        for k, (x, y, b, a) in enumerate(zip(self.x, self.y, self.before, self.after)):
            table.add_row(*(Text(cell) for cell in (str(k), f"{x:.1f}", f"{y:.1f}", f"{b:.4f}", f"{a:.4f}")))
        finding = Text(self.finding(), style="yellow" if not self.recurrent_learns else "")
        return Group(trained, table, finding)

    def _renderable(self):
        from rich.console import Group

        return Group(self.header(), self.results())


def lesson_model(units: int, seed: int, timesteps: int = 1):
    import shapecheck as sc

    model = sc.Sequential([sc.LSTM(units, input_shape=(timesteps, 1)), sc.Dense(1, activation="linear")], seed=seed)
    model.compile(loss="mse", optimizer="adam")
    return model


def run_lesson(epochs: int = 300, units: int = 10, seed: int = 0, callbacks: tuple = (),
               before_training: Callable[[LessonReport], None] | None = None) -> LessonReport:
    """Build, summarise, train (Adam, MSE, shuffle off) and predict, as the lesson does."""
    import numpy as np

    from shapecheck.tracer.trace import trace

    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ShapecheckError("model.demo_bad_epochs", value=epochs)
    seq = np.array(LESSON)
    X, y = seq[:, 0].reshape((len(seq), 1, 1)), seq[:, 1]  # (samples, timesteps, features): an LSTM needs 3-D
    model = lesson_model(units, seed)
    kernel, recurrent = (w.copy() for w in model.get_weights()[:2])
    before = model.predict(X)[:, 0]

    def report(losses=(), after=before, weights=(kernel, recurrent)) -> LessonReport:
        return LessonReport(
            units, epochs, seed, trace(model).summary(), tuple(map(float, X[:, 0, 0])), tuple(map(float, y)),
            tuple(map(float, before)), tuple(map(float, after)), tuple(map(float, losses)), X.shape[1],
            recurrent.shape, float(np.abs(weights[1] - recurrent).max()), float(np.abs(weights[0] - kernel).max()),
        )

    if before_training is not None:
        before_training(report())
    history = model.fit(X, y, epochs=epochs, shuffle=False, verbose=0, callbacks=list(callbacks))
    return report(history.history["loss"], model.predict(X)[:, 0], model.get_weights()[:2])


class _LossBar:
    """A rich progress bar over the epochs, showing the loss (a Keras-style callback)."""

    def __init__(self, epochs: int, out) -> None:
        self.epochs, self.out = epochs, out

    def on_train_begin(self, logs=None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[loss]}", markup=False), TimeElapsedColumn(), console=self.out)
        self.task = self.progress.add_task(msg("model.demo_progress"), total=self.epochs, loss="")
        self.progress.start()

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self.progress.update(self.task, completed=epoch + 1, loss=msg("model.log_item", name="loss", value=logs["loss"]))

    def on_train_end(self, logs=None) -> None:
        self.progress.stop()


def lstm(
    epochs: Annotated[int, typer.Option("--epochs", help=msg("model.demo_epochs"))] = 300,
    units: Annotated[int, typer.Option("--units", help=msg("model.demo_units"))] = 10,
    seed: SeedOption = 0,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.core.cost import recurrent_training

    if units >= 1 and epochs >= 1:  # else run_lesson says why
        what = msg("cost.lesson_what", units=units, epochs=epochs)
        afford(recurrent_training(units, 1, 1, len(LESSON), epochs, what), force)
    if as_json:  # JSON alone on stdout: no progress bar
        with user_errors():
            report = run_lesson(epochs, units, seed)
        show(report, as_json=True)
        return
    out = console()
    with user_errors():
        report = run_lesson(epochs, units, seed, callbacks=(_LossBar(epochs, out),),
                            before_training=lambda r: out.print(r.header()))
    out.print(report.results())


def register(demo_app: typer.Typer) -> None:
    demo_app.command("lstm", help=msg("model.demo_help"), epilog=examples(
        "shapecheck demo lstm", "shapecheck demo lstm --epochs 50 --units 4 --json"))(lstm)
