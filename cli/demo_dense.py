"""``shapecheck demo dense``: the course's L_layer_model trained on a built-in 2-D set, with a cost table.

numpy loads inside the command, so registering it costs the shape commands nothing.
"""

from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import (DEFAULT_INIT, DimsAlias, ForceOption, InitOption, SeedOption, afford, choices,
                                   examples, layer_sizes, show, user_errors)
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.views.base import Report

DEFAULT_DIMS = "2 20 7 5 1"  # the course's [n0, 20, 7, 5, 1] with n0 = 2: points in the plane
DATA_SETS = ("flower", "moons", "circles", "linear")  # shapecheck.engine.data.make_<name>
# ARGS as in the shape commands: "-4" is a (bad) layer size for our sentence, not an unknown option
ARGS = {"ignore_unknown_options": True}


@dataclass(frozen=True)
class DenseDemoReport(Report):
    """One training run: the settings, J every ``print_every`` iterations (and after the last), train accuracy."""

    dims: tuple[int, ...]
    data: str
    m: int
    iterations: int
    learning_rate: float
    print_every: int
    init: str
    seed: int
    costs: tuple[tuple[int, float], ...]  # (iteration, J)
    correct: int

    @property
    def train_accuracy(self) -> float:
        return self.correct / self.m

    def to_json(self) -> dict:
        return {
            "dims": list(self.dims),
            "data": self.data,
            "m": self.m,
            "iterations": self.iterations,
            "learning_rate": self.learning_rate,
            "print_every": self.print_every,
            "init": self.init,
            "seed": self.seed,
            "costs": [{"iteration": i, "cost": cost} for i, cost in self.costs],
            "train_accuracy": self.train_accuracy,
        }

    def _renderable(self):
        from rich.console import Group
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        dims = "[" + ", ".join(map(str, self.dims)) + "]"
        title = msg("engine.demo_title", dims=dims, data=self.data, m=self.m, learning_rate=self.learning_rate,
                    iterations=self.iterations, init=self.init, seed=self.seed)
        table = Table()
        table.add_column(escape(msg("engine.demo_iteration")), justify="right")
        table.add_column(escape(msg("engine.demo_cost")), justify="right")
        for iteration, cost in self.costs:
            table.add_row(str(iteration), f"{cost:.6f}")
        first, last = self.costs[0][1], self.costs[-1][1]
        verdict = msg("engine.demo_cost_fell" if last < first else "engine.demo_cost_rose", first=first, last=last)
        accuracy = msg("engine.demo_train_accuracy", accuracy=self.train_accuracy, correct=self.correct, m=self.m)
        return Group(Text(title, style="bold"), table, Text(verdict), Text(accuracy))


def run_demo(
    dims: list[int], data: str = "flower", m: int = 400, iterations: int = 3000, learning_rate: float = 0.05,
    print_every: int = 300, init: str = DEFAULT_INIT, seed: int = 0,
) -> DenseDemoReport:
    """Make the data set, train, and measure: the library calls behind the command."""
    from shapecheck.engine import data as data_sets
    from shapecheck.engine.dense import compute_cost, forward, predict, train
    from shapecheck.spec.dense import dense_net

    if data not in DATA_SETS:
        raise ShapecheckError("engine.demo_unknown_data", value=data, known=", ".join(DATA_SETS))
    spec = dense_net(dims)  # ReLU hidden layers, a sigmoid output: the course's L-layer model
    if spec.layer_dims[0] != 2 or spec.layer_dims[-1] != 1:
        raise ShapecheckError("engine.demo_dims_ends", data=data, dims=spec.describe())
    X, Y = getattr(data_sets, f"make_{data}")(m=m, seed=seed)  # X (2, m), Y (1, m)
    params, costs = train(spec, X, Y, learning_rate=learning_rate, iterations=iterations, print_every=print_every,
                          seed=seed, init=init)
    AL, caches = forward(spec, params, X)
    final = compute_cost(AL, Y, ZL=caches[-1][1])  # J after the last update, exact from Z[L]
    recorded = [(i * print_every, cost) for i, cost in enumerate(costs)] + [(iterations, final)]
    correct = int((predict(spec, params, X) == Y).sum())
    return DenseDemoReport(spec.layer_dims, data, m, iterations, float(learning_rate), print_every, init, seed,
                           tuple(recorded), correct)


def dense(
    dims: Annotated[Optional[list[str]], typer.Argument(
        metavar="[N0 N1 ... NL]", help=msg("engine.demo_dims_help", default=DEFAULT_DIMS), show_default=False)] = None,
    dims_alias: DimsAlias = None,
    data: Annotated[str, typer.Option("--data", metavar=choices(DATA_SETS), help=msg("engine.demo_data_help", known=", ".join(DATA_SETS)))] = "flower",
    m: Annotated[int, typer.Option("-m", "--examples", help=msg("engine.demo_m_help"))] = 400,
    iterations: Annotated[int, typer.Option("--iterations", help=msg("engine.demo_iterations_help"))] = 3000,
    learning_rate: Annotated[float, typer.Option("--learning-rate", "--lr", help=msg("engine.demo_learning_rate_help"))] = 0.05,
    print_every: Annotated[int, typer.Option("--print-every", help=msg("engine.demo_print_every_help"))] = 300,
    init: InitOption = DEFAULT_INIT,
    seed: SeedOption = 0,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    with user_errors():
        sizes = layer_sizes(dims, dims_alias, "shapecheck demo dense") or DEFAULT_DIMS.split()
        _afford(sizes, m, iterations, force)
        report = run_demo(sizes, data, m, iterations, learning_rate, print_every, init, seed)
    show(report, as_json)


def _afford(sizes: list[str], m: int, iterations: int, force: bool) -> None:
    """Memory and time from the sizes, before the data set or the weights exist."""
    from shapecheck.core.cost import dense_training, describe
    from shapecheck.spec.dense import dense_net

    dims = dense_net(sizes).layer_dims
    if isinstance(m, int) and m >= 1 and isinstance(iterations, int) and iterations >= 1:  # else run_demo says why
        what = msg("cost.training_what", runs=1, dims=describe(dims), m=m, iterations=iterations)
        afford(dense_training(dims, m, 1, iterations, what=what), force)


def register(demo_app: typer.Typer) -> None:
    demo_app.command("dense", help=msg("engine.demo_dense_help"), context_settings=ARGS, epilog=examples(
        "shapecheck demo dense", "shapecheck demo dense 2 20 7 5 1 --data moons --iterations 1500",
        "shapecheck demo dense 2 10 1 --init course   # the first assignment's ×0.01: watch it learn slowly"))(dense)
