"""Hyperparameters, explored the way the course teaches: sweep α (or L, n[l], g), look at the cost curves.

    import shapecheck as sc
    report = sc.sweep([2, 20, 7, 5, 1], "flower", learning_rates=[0.001, 0.01, 0.1, 1])

numpy loads with this package; rich, plotext and matplotlib only when something is drawn.
"""

from shapecheck.tune.datasets import BUILT_IN, Dataset, load_data
from shapecheck.tune.report import Run, SweepReport
from shapecheck.tune.sweep import DEFAULT_LEARNING_RATES, sweep
from shapecheck.tune.verdicts import Verdict, curve_verdict, label, suggest

__all__ = ["BUILT_IN", "DEFAULT_LEARNING_RATES", "Dataset", "Run", "SweepReport", "Verdict", "curve_verdict", "label",
           "load_data", "suggest", "sweep"]
