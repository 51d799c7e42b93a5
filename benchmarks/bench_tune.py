"""A learning-rate sweep, the issue's case: 4 α × 3000 iterations of [2, 20, 7, 5, 1] on 400 training examples.

In the same run, against a baseline:
- baseline: the obvious loop, ``sc.train`` once per α (cost every 100 iterations), then ``sc.predict``
  for the train and held-out accuracies;
- ``sc.sweep``: the runs of the network stacked on one leading axis (what it does by default), with
  the tracer's checks, the cost at every iteration for the verdicts, accuracies and verdicts;
- ``sc.sweep(workers=1)``: the same on one thread (by default the stack is cut in two and the
  halves train on two threads: numpy lets go of the GIL inside each operation);
- ``sc.sweep(stack=False, workers=1)``: one run at a time, on one thread.

The curves are compared before anything is timed (they must be equal, number for number). Each
timing is the median of ``REPEATS`` runs; the ratios, not the seconds, are what carries over to
another machine.

    python benchmarks/bench_tune.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import shapecheck as sc
from shapecheck.engine.data import make_flower, split
from shapecheck.engine.dense import predict
from shapecheck.tune import sweep
from shapecheck.tune.sweep import _workers

DIMS = [2, 20, 7, 5, 1]
RATES = [0.001, 0.01, 0.1, 1.0]
ITERATIONS = 3000
EVERY = 100
REPEATS = 5


def data():
    X, Y = make_flower(m=500, seed=0)  # 400 to learn from, 100 held out
    return X, Y, split(X, Y, 0.2, seed=0)


def baseline(X_train, Y_train, X_test, Y_test):  # noqa: N803
    """What a learner writes: train once per α, then measure."""
    results = []
    for alpha in RATES:
        with np.errstate(all="ignore"):
            params, costs = sc.train(DIMS, X_train, Y_train, learning_rate=alpha, iterations=ITERATIONS,
                                     print_every=EVERY, seed=0, init="he")
            train_accuracy = float(np.mean(predict(DIMS, params, X_train) == Y_train))
            test_accuracy = float(np.mean(predict(DIMS, params, X_test) == Y_test))
        results.append((costs, train_accuracy, test_accuracy))
    return results


def ours(X, Y, stack=True, workers=None):  # noqa: N803
    return sweep(DIMS, (X, Y), learning_rates=RATES, iterations=ITERATIONS, every=EVERY, seed=0, init="he",
                 progress=False, stack=stack, workers=workers)


def median_time(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    X, Y, (X_train, Y_train, X_test, Y_test) = data()
    expected = baseline(X_train, Y_train, X_test, Y_test)
    for stack, workers in ((True, None), (True, 1), (False, 1)):
        report = ours(X, Y, stack, workers)
        for run, (costs, train_accuracy, test_accuracy) in zip(report.runs, expected):
            assert [c for i, c in run.costs if i < ITERATIONS] == costs, run.label
            assert (run.train_accuracy, run.test_accuracy) == (train_accuracy, test_accuracy), run.label
    print(f"{len(RATES)} learning rates x {ITERATIONS} iterations of {DIMS} on {X_train.shape[1]} training examples "
          f"(median of {REPEATS}); curves equal number for number")
    print("verdicts: " + ", ".join(f"{r.label} {r.verdict}" for r in report.runs))
    base = median_time(lambda: baseline(X_train, Y_train, X_test, Y_test))
    rows = [("baseline: sc.train per α, then predict", base),
            (f"sc.sweep (stacked, {_workers(None, len(RATES))} threads)", median_time(lambda: ours(X, Y))),
            ("sc.sweep(workers=1) (stacked, 1 thread)", median_time(lambda: ours(X, Y, True, 1))),
            ("sc.sweep(stack=False, workers=1)", median_time(lambda: ours(X, Y, False, 1)))]
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"  {name:<{width}}  {seconds:6.2f} s   {base / seconds:5.2f}x the baseline's speed")


if __name__ == "__main__":
    main()
