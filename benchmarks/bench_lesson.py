"""300 epochs of the Keras LSTM lesson's ``fit``: LSTM(10) + Dense(1), Adam, MSE, 4 samples, batch 32, shuffle off.

Ours (``Sequential.fit``: one flat parameter buffer, preallocated per-layer buffers, Adam in place)
against, in the same run:
- a baseline: the same model written the obvious way (a weight matrix per gate, fresh arrays at
  every step, Adam looping over the parameter arrays);
- Keras's own ``fit`` (KERAS_BACKEND=torch, float32), when keras imports.

Every time is the median of several runs of ``fit`` on a freshly built and compiled model (so set-up
is included for everyone). Before timing, ours and the baseline train from the same initial weights
and must end with the same weights.

    python benchmarks/bench_lesson.py              # ours and the baseline
    /tmp/cmp/bin/python benchmarks/bench_lesson.py # with Keras's fit (torch backend)
    python benchmarks/bench_lesson.py --before ../before   # and an older checkout's fit, in the same run

``--before DIR`` times the same fit from an older checkout (its package first on the path, this
environment's numpy) in a child process that takes its turns with ours, so that both see the same
machine.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import shapecheck as sc

EPOCHS = 300
UNITS = 10


def lesson_data():
    seq = np.array([[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]])
    return seq[:, 0].reshape((4, 1, 1)), seq[:, 1]


def ours_model():
    model = sc.Sequential([sc.LSTM(UNITS, input_shape=(1, 1)), sc.Dense(1, activation="linear")])
    model.compile(loss="mse", optimizer="adam")
    return model


def ours(model, X, y):
    return model.fit(X, y, epochs=EPOCHS, batch_size=32, shuffle=False, verbose=0)


# --- the baseline: written the obvious way -------------------------------------------------------


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def baseline(weights, X, y, epochs=EPOCHS, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """The lesson model with per-gate weights and fresh arrays everywhere; returns the final weights in Keras's layout."""
    kernel, recurrent, bias, W_y, b_y = (np.array(w, dtype=np.float64) for w in weights)
    u = recurrent.shape[0]
    gate = {}
    for k, name in enumerate("ifco"):  # split Keras's fused kernels into one matrix per gate
        gate["W" + name] = kernel[:, k * u : (k + 1) * u].copy()
        gate["U" + name] = recurrent[:, k * u : (k + 1) * u].copy()
        gate["b" + name] = bias[k * u : (k + 1) * u].copy()
    params = {**gate, "Wy": W_y, "by": b_y}
    m = {name: np.zeros_like(p) for name, p in params.items()}
    v = {name: np.zeros_like(p) for name, p in params.items()}
    n, T = X.shape[0], X.shape[1]
    Y = y.reshape(n, 1)
    for step in range(1, epochs + 1):
        P = params
        # forward through time, keeping every step's values
        h, c = np.zeros((n, u)), np.zeros((n, u))
        cache = []
        for t in range(T):
            x_t = X[:, t, :]
            i = sigmoid(x_t @ P["Wi"] + h @ P["Ui"] + P["bi"])
            f = sigmoid(x_t @ P["Wf"] + h @ P["Uf"] + P["bf"])
            g = np.tanh(x_t @ P["Wc"] + h @ P["Uc"] + P["bc"])
            o = sigmoid(x_t @ P["Wo"] + h @ P["Uo"] + P["bo"])
            c_prev, h_prev = c, h
            c = f * c_prev + i * g
            h = o * np.tanh(c)
            cache.append((x_t, h_prev, c_prev, i, f, g, o, c))
        y_hat = h @ P["Wy"] + P["by"]
        d_y = 2.0 * (y_hat - Y) / Y.size  # mean squared error
        grads = {name: np.zeros_like(p) for name, p in P.items()}
        grads["Wy"] = h.T @ d_y
        grads["by"] = d_y.sum(axis=0)
        dh = d_y @ P["Wy"].T
        dc = np.zeros((n, u))
        for x_t, h_prev, c_prev, i, f, g, o, c in reversed(cache):
            do = dh * np.tanh(c)
            dc = dc + dh * o * (1 - np.tanh(c) ** 2)
            di, df, dg = dc * g, dc * c_prev, dc * i
            dzi, dzf, dzg, dzo = di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)
            dh = np.zeros((n, u))
            for name, dz in (("i", dzi), ("f", dzf), ("c", dzg), ("o", dzo)):
                grads["W" + name] += x_t.T @ dz
                grads["U" + name] += h_prev.T @ dz
                grads["b" + name] += dz.sum(axis=0)
                dh = dh + dz @ P["U" + name].T
            dc = dc * f
        alpha = lr * math.sqrt(1 - beta_2**step) / (1 - beta_1**step)
        for name in P:  # Adam, one parameter array at a time
            m[name] = m[name] + (grads[name] - m[name]) * (1 - beta_1)
            v[name] = v[name] + (grads[name] ** 2 - v[name]) * (1 - beta_2)
            params[name] = P[name] - m[name] * alpha / (np.sqrt(v[name]) + epsilon)
    fused = [np.concatenate([params[p + k] for k in "ifco"], axis=-1) for p in ("W", "U", "b")]
    return [*fused, params["Wy"], params["by"]]


# --- Keras ----------------------------------------------------------------------------------------


def keras_fit():
    """A closure that builds, compiles and fits the lesson model in Keras, or None without keras."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        import keras
    except ImportError:
        return None, None

    def run(X, y):
        model = keras.Sequential([keras.Input((1, 1)), keras.layers.LSTM(UNITS), keras.layers.Dense(1, activation="linear")])
        model.compile(loss="mse", optimizer="adam")
        start = time.perf_counter()
        model.fit(X.astype("float32"), y.astype("float32"), epochs=EPOCHS, batch_size=32, shuffle=False, verbose=0)
        return time.perf_counter() - start

    return run, f"keras {keras.__version__} ({keras.backend.backend()} backend)"


_BEFORE = """
import sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import shapecheck as sc
assert sc.__file__.startswith(sys.argv[1]), sc.__file__
seq = np.array([[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]])
X, y = seq[:, 0].reshape((4, 1, 1)), seq[:, 1]
for _ in sys.stdin:
    model = sc.Sequential([sc.LSTM(int(sys.argv[2]), input_shape=(1, 1)), sc.Dense(1, activation="linear")])
    model.compile(loss="mse", optimizer="adam")
    start = time.perf_counter()
    model.fit(X, y, epochs=int(sys.argv[3]), batch_size=32, shuffle=False, verbose=0)
    print(time.perf_counter() - start, flush=True)
"""


def before_fit(path: Path):
    """A closure that times one fit of the lesson model from an older checkout (in a child process), and its stop."""
    child = subprocess.Popen([sys.executable, "-c", _BEFORE, str(path.resolve()), str(UNITS), str(EPOCHS)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run() -> float:
        child.stdin.write("fit\n")
        child.stdin.flush()
        line = child.stdout.readline()
        if not line:
            raise SystemExit(f"--before {path}: the older checkout's fit failed (see above)")
        return float(line)

    return run, child


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def rows(repeats: int = 7, baseline_repeats: int = 3, keras_repeats: int = 3, before: Path | None = None) -> list[dict]:
    """One dict: {"case", "ours_s", "baseline_s", "torch_s" and "keras_s" (Keras's fit, None without keras),
    "before_s" (None without ``before``), "max_rel_diff"}."""
    X, y = lesson_data()
    reference = ours_model()
    initial = reference.get_weights()
    ours(reference, X, y)
    trained = baseline(initial, X, y)
    diff = max(float(np.abs(a - b).max() / np.abs(b).max()) for a, b in zip(reference.get_weights(), trained))
    if diff > 1e-10:
        raise AssertionError(f"ours and the baseline disagree after {EPOCHS} epochs: max relative difference {diff:.1e}")

    run_keras, _ = keras_fit()
    run_before, child = before_fit(before) if before else (None, None)
    ours_times, baseline_times, keras_times, before_times = [], [], [], []
    if run_before:
        run_before()                                              # its imports and first call, not timed
    for k in range(max(repeats, baseline_repeats, keras_repeats)):   # interleaved: a busy machine slows all alike
        if k < repeats:
            model = ours_model()
            ours_times.append(_timed(lambda: ours(model, X, y)))
            if run_before:
                before_times.append(run_before())
        if k < baseline_repeats:
            baseline_times.append(_timed(lambda: baseline(initial, X, y)))
        if run_keras and k < keras_repeats:
            keras_times.append(run_keras(X, y))
    keras_s = statistics.median(keras_times) if run_keras else None
    if child:
        child.stdin.close()
        child.wait()
    return [{
        "case": f"lesson LSTM({UNITS})+Dense(1) fit, {EPOCHS} epochs (torch column: keras fit)",
        "ours_s": statistics.median(ours_times),
        "baseline_s": statistics.median(baseline_times),
        "torch_s": keras_s,
        "keras_s": keras_s,
        "before_s": statistics.median(before_times) if before_times else None,
        "max_rel_diff": diff,
    }]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None, help="an older checkout whose fit to time too")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    _, keras_note = keras_fit()
    print(f"numpy {np.__version__}; {keras_note or 'keras not installed: no keras column'}; medians")
    header = (f"{'case':<62} {'ours ms':>8} {'base ms':>8} {'base/ours':>9} {'keras ms':>9} {'keras/ours':>10} "
              f"{'before ms':>9} {'ours/before':>11}")
    print(header)
    print("-" * len(header))
    for row in rows(args.repeats, before=args.before):
        keras_ms = f"{row['keras_s'] * 1e3:9.1f}" if row["keras_s"] else f"{'-':>9}"
        ratio = f"{row['keras_s'] / row['ours_s']:10.1f}" if row["keras_s"] else f"{'-':>10}"
        before_ms = f"{row['before_s'] * 1e3:9.2f}" if row["before_s"] else f"{'-':>9}"
        versus = f"{row['ours_s'] / row['before_s']:10.2f}×" if row["before_s"] else f"{'-':>11}"
        print(f"{row['case']:<62} {row['ours_s'] * 1e3:8.2f} {row['baseline_s'] * 1e3:8.1f} "
              f"{row['baseline_s'] / row['ours_s']:9.1f} {keras_ms} {ratio} {before_ms} {versus}  "
              f"load {os.getloadavg()[0]:.1f}/{os.cpu_count()}")


if __name__ == "__main__":
    main()
