"""Gradient checks of the course's L-layer networks: the naive loop against the fast exact full check.

In one run, on [500, 20, 7, 5, 1] with m = 209 (the baseline is measured here, not remembered):
- naive loop: ``sc.gradcheck(f, params, grads)``, two whole forward passes per parameter;
- fast full: ``sc.gradcheck_network``, every coordinate, the same centered differences;
- directional: ``sc.gradcheck_network(mode="directional", k=10)``, 20 forward passes.
Then the fast full check of [12288, 20, 7, 5, 1] with m = 209 (245,973 parameters), and the naive
loop's time there estimated from 400 of its coordinates (all of them would take tens of minutes).

Before timing, the fast and naive numbers are compared on every coordinate of the small network.

    python benchmarks/bench_gradcheck.py
    OPENBLAS_NUM_THREADS=2 python benchmarks/bench_gradcheck.py   # let BLAS use both cores
"""

from __future__ import annotations

import os

# One BLAS thread for everyone (unless told otherwise): on a shared 2-core machine a multithreaded
# product stalls whenever another process holds a core, 10 to 25 times slower, and that would
# measure the neighbours, not the checks. Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import shapecheck as sc  # noqa: E402
from shapecheck.gradients import fastcheck  # noqa: E402
from shapecheck.gradients.gradcheck import NOISE_MARGIN, rounding_noise  # noqa: E402

M = 209
SMALL = [500, 20, 7, 5, 1]
LARGE = [12288, 20, 7, 5, 1]


def make(dims, seed=0):
    rng = np.random.default_rng(seed)
    spec = sc.dense_net(dims)  # ReLU hidden layers, sigmoid output
    params = sc.init_params(spec, seed=seed)  # the course's ×0.01
    X = rng.random((dims[0], M))  # pixel intensities in [0, 1)
    Y = (rng.random((1, M)) > 0.5).astype(np.float64)
    AL, caches = sc.forward(spec, params, X)
    return spec, params, X, Y, sc.backward(spec, AL, Y, caches)


def timed(call, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def network_cost(spec, X, Y):
    """f(params) -> J, the black box the naive loop evaluates twice per coordinate."""
    return lambda params: fastcheck.build(spec, params, X, Y, "binary_cross_entropy").J0


def naive_numbers(spec, params, X, Y, name, flat):
    """The naive loop's centered differences for some coordinates of one tensor (for the comparison)."""
    f = network_cost(spec, X, Y)
    out = []
    for i in flat:
        moved = dict(params)
        moved[name] = params[name].copy()
        J = []
        for sign in (1, -1):
            moved[name].flat[i] = params[name].flat[i] + sign * 1e-7
            J.append(f(moved))
        out.append((J[0] - J[1]) / 2e-7)
    return np.array(out)


def main() -> None:
    spec, params, X, Y, grads = make(SMALL)
    count = sum(v.size for v in params.values())
    f = network_cost(spec, X, Y)

    # the same numbers first: every coordinate, fast against naive
    net = fastcheck.build(spec, params, X, Y, "binary_cross_entropy")
    scale, worst = fastcheck.rounding_scale(net), 0.0
    for name, value in params.items():
        flat = np.arange(value.size)
        fast, _ = fastcheck.numeric_tensor(net, name, flat, 1e-7, None, lambda n: None)
        slow = naive_numbers(spec, params, X, Y, name, flat)
        worst = max(worst, float(np.max(np.abs(fast - slow) / rounding_noise(scale, 1e-7, value.ravel(), slow))))
    print(f"fast vs naive on all {count:,} coordinates of {SMALL}: largest difference "
          f"{worst:.2f}× the estimated rounding noise (bar {NOISE_MARGIN:g}×)")

    naive_s, naive = timed(lambda: sc.gradcheck(f, params, grads))
    fast_s, fast = timed(lambda: sc.gradcheck_network(spec, params, X, Y), repeat=5)
    dir_s, direc = timed(lambda: sc.gradcheck_network(spec, params, X, Y, mode="directional", k=10), repeat=5)
    print(f"\n{SMALL}, m = {M}, {count:,} parameters")
    print(f"{'check':<28}{'time':>10}{'vs naive':>12}  verdict")
    for label, seconds, report in (("naive loop (baseline)", naive_s, naive), ("fast full (exact)", fast_s, fast),
                                   ("directional k=10", dir_s, direc)):
        verdict = "pass" if report.passed else f"FAIL at {report.first_failure.name}"
        print(f"{label:<28}{seconds:>9.3f}s{naive_s / seconds:>11.1f}x  {verdict}, {report.evaluations:,} evaluations,"
              f" {report.kinks} kinks set aside")
    if not naive.passed:
        print("  (the naive loop has no kink test: steps across a ReLU kink count against a right gradient)")

    spec, params, X, Y, grads = make(LARGE)
    count = sum(v.size for v in params.values())
    f = network_cost(spec, X, Y)
    sample = np.random.default_rng(1).choice(params["W1"].size, 200, replace=False)
    per_coordinate, _ = timed(lambda: naive_numbers(spec, params, X, Y, "W1", sample))
    naive_estimate = per_coordinate / sample.size * count
    fast_s, fast = timed(lambda: sc.gradcheck_network(spec, params, X, Y), repeat=3)
    print(f"\n{LARGE}, m = {M}, {count:,} parameters")
    print(f"{'naive loop (estimated)':<28}{naive_estimate:>9.0f}s{1.0:>11.1f}x  from 200 coordinates' time")
    print(f"{'fast full (exact)':<28}{fast_s:>9.3f}s{naive_estimate / fast_s:>11.0f}x  "
          f"{'pass' if fast.passed else 'FAIL'}, {fast.kinks} kinks set aside")


if __name__ == "__main__":
    main()
