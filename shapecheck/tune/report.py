"""What a sweep found: one Run per setting, and the SweepReport that draws them and serialises to JSON.

In the terminal (and in Jupyter) the report is the cost chart, one curve per setting (plotext,
when installed), then the results table: setting, final cost, train and held-out accuracy,
verdict, and the suggested α. ``to_json()`` has the same facts, for machines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from shapecheck.core.messages import msg
from shapecheck.views.base import Report



def _number(value: float | None) -> float | None:
    """JSON has no NaN or infinity: a cost that is not finite is null."""
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True)
class Run:
    """One setting of a sweep: its network and α, the cost every ``every`` iterations, accuracies, verdict."""

    index: int
    label: str  # the setting in the course's words: "α = 0.01", "[2, 20, 1] α = 0.01", "tanh α = 0.01"
    layer_dims: tuple[int, ...]
    activations: tuple[str, ...]  # g[1] .. g[L]
    learning_rate: float
    costs: tuple[tuple[int, float], ...]  # (iteration, J): 0, every, 2·every, ... and after the last update
    train_accuracy: float | None  # None for a regression output, or parameters that are not finite
    test_accuracy: float | None
    verdict: str  # slow | good | oscillates | diverged
    reason: str  # which part of the rule (shapecheck.tune.verdicts)
    rise: float  # Σ max(0, J_{t+1} − J_t) over every iteration
    stopped_at: int | None  # the iteration whose cost was not finite: the run stopped there
    checked: tuple[str, ...]  # the arrays the tracer checked before this run trained
    params: dict = field(default_factory=dict, repr=False, compare=False)  # the final W[l], b[l]

    @property
    def final_cost(self) -> float:
        return self.costs[-1][1]

    @property
    def diverged(self) -> bool:
        return self.verdict == "diverged"

    def to_json(self) -> dict:
        return {
            "setting": self.label,
            "layer_dims": list(self.layer_dims),
            "activations": list(self.activations),
            "learning_rate": self.learning_rate,
            "costs": [{"iteration": i, "cost": _number(c)} for i, c in self.costs],
            "final_cost": _number(self.final_cost),
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "verdict": self.verdict,
            "reason": self.reason,
            "diverged": self.diverged,
            "total_rise": _number(self.rise),
            "stopped_at": self.stopped_at,
            "checked": list(self.checked),
        }


@dataclass(frozen=True)
class Advice:
    """The suggested α for one network (its layers and activations), from shapecheck.tune.verdicts.suggest."""

    network: str  # "[2, 20, 7, 5, 1] relu"
    alpha: float | None
    tried: bool
    reason: str  # best_good | between | larger | smaller | none
    run: int | None

    def to_json(self) -> dict:
        return {"network": self.network, "alpha": self.alpha, "tried": self.tried, "reason": self.reason, "run": self.run}


@dataclass(frozen=True)
class SweepReport(Report):
    """Every run of a sweep, the data it learnt from, and the advice: renders itself, serialises to JSON."""

    runs: tuple[Run, ...]
    data: str
    m_train: int
    m_test: int
    iterations: int
    every: int
    seed: int | None
    init: str
    loss: str
    swept: tuple[str, ...]  # which of "learning_rate", "layer_dims", "activation" vary
    advice: tuple[Advice, ...]  # one per network
    best: int | None  # the run with the best held-out accuracy among the good ones (then the lowest cost)
    log_scale: bool = False  # how __rich__ draws the chart
    dataset: Any = field(default=None, repr=False, compare=False)  # the Dataset (X, Y) behind the boundary picture
    interrupted: bool = False  # Ctrl-C stopped the runs early: each keeps the iterations it had done

    @property
    def suggested_alpha(self) -> float | None:
        """The α of the best run when one run is best; else the first network's next α to try."""
        if self.best is not None:
            return self.runs[self.best].learning_rate
        return self.advice[0].alpha if self.advice else None

    def with_log_scale(self, log_scale: bool) -> "SweepReport":
        from dataclasses import replace

        return replace(self, log_scale=log_scale)

    def to_json(self) -> dict:
        return {
            "data": {"name": self.data, "m_train": self.m_train, "m_test": self.m_test},
            "iterations": self.iterations,
            "every": self.every,
            "seed": self.seed,
            "init": self.init,
            "loss": self.loss,
            "swept": list(self.swept),
            "runs": [run.to_json() for run in self.runs],
            "best": self.best,
            "suggested_alpha": self.suggested_alpha,
            "advice": [a.to_json() for a in self.advice],
            "interrupted": self.interrupted,
        }

    def plot(self, log: bool | None = None):
        """The course's plot: cost against iterations, one curve per setting, verdicts in the legend
        (a matplotlib Figure that shows itself in a notebook; the ``png`` extra)."""
        from shapecheck.tune.chart import cost_figure

        return cost_figure(self, log)

    def plot_boundary(self, resolution: int = 150):
        """The decision boundary of each run on a 2-D set, beside the points (a matplotlib Figure)."""
        from shapecheck.tune.chart import boundary_figure

        return boundary_figure(self, resolution)

    def _renderable(self):
        from shapecheck.tune.chart import report_view

        return report_view(self)
