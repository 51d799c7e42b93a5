"""conv_forward + conv_backward of the engine against PyTorch's conv2d and against the course's loops.

    python benchmarks/bench_conv.py                                   # the project's venv: no torch column
    PYTHONPATH=. KERAS_BACKEND=torch /work/scratch/venv/bin/python benchmarks/bench_conv.py    # with torch and Keras

Size (the issue's): m = 32 images of 32×32×16, W 3×3×16×32, pad 1, stride 1, float64.
- torch: conv2d forward + backward of sum(Z ∗ dZ) in float64 on the CPU, channels first as torch
  wants (the transposes are not timed), torch.set_num_threads(2).
- loops: the course's four nested loops (tests/conv_loops.py), timed on m = LOOP_M images and
  scaled linearly to m = 32 (the loops' cost is exactly proportional to m: one pass per example).
Each time is the median of REPEATS runs, the contenders interleaved; ratios are against ours,
measured in the same run. The machine is shared: the load average is printed with the rows.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import shapecheck as sc  # noqa: E402
from conv_loops import conv_backward_loops, conv_forward_loops  # noqa: E402

M, N, C_PREV, F, C = 32, 32, 16, 3, 32
HP = {"stride": 1, "pad": 1}
LOOP_M = 1
REPEATS = 7


def ours(A_prev, W, b, dZ):
    Z, cache = sc.conv_forward(A_prev, W, b, HP)
    return sc.conv_backward(dZ, cache)


def torch_contender(A_prev, W, b, dZ):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)
    w = torch.tensor(W.transpose(3, 2, 0, 1).copy(), requires_grad=True)
    bias = torch.tensor(b.reshape(-1).copy(), requires_grad=True)
    g = torch.tensor(dZ.transpose(0, 3, 1, 2).copy())

    def run():
        x.grad = w.grad = bias.grad = None
        z = torch.nn.functional.conv2d(x, w, bias, stride=HP["stride"], padding=HP["pad"])
        z.backward(g)
        return x.grad, w.grad, bias.grad

    dx, dw, db = run()  # the same numbers as ours, or the comparison means nothing
    dA_prev, dW, db_ours = ours(A_prev, W, b, dZ)
    assert np.allclose(dx.numpy().transpose(0, 2, 3, 1), dA_prev) and np.allclose(dw.numpy().transpose(2, 3, 1, 0), dW)
    return run


def loops(A_prev, W, b, dZ):
    Z, cache = conv_forward_loops(A_prev[:LOOP_M], W, b, HP)
    return conv_backward_loops(dZ[:LOOP_M], cache)


def median_time(fn, times):
    start = time.perf_counter()
    fn()
    times.append(time.perf_counter() - start)


def main() -> None:
    rng = np.random.default_rng(0)
    A_prev = rng.standard_normal((M, N, N, C_PREV))
    W = rng.standard_normal((F, F, C_PREV, C)) * 0.1
    b = rng.standard_normal((1, 1, 1, C))
    dZ = rng.standard_normal((M, N, N, C))
    torch_run = torch_contender(A_prev, W, b, dZ)
    for ours_, loops_ in zip(ours(A_prev[:LOOP_M], W, b, dZ[:LOOP_M]), loops(A_prev, W, b, dZ)):
        assert np.allclose(ours_, loops_)
    timings: dict[str, list[float]] = {"ours": [], "torch": [], "loops": []}
    for repeat in range(REPEATS):
        median_time(lambda: ours(A_prev, W, b, dZ), timings["ours"])
        if torch_run is not None:
            median_time(torch_run, timings["torch"])
        if repeat < 3:  # seconds each: three runs are enough for a median
            median_time(lambda: loops(A_prev, W, b, dZ), timings["loops"])
    t_ours = statistics.median(timings["ours"])
    t_loops = statistics.median(timings["loops"]) * M / LOOP_M
    print(f"conv_forward + conv_backward, m={M}, {N}×{N}×{C_PREV} → {F}×{F}×{C}, pad {HP['pad']}, stride {HP['stride']}, float64")
    print(f"load average: {os.getloadavg()}")
    print(f"{'ours (numpy)':<34}{t_ours * 1e3:10.1f} ms   1.00×")
    if torch_run is None:
        print(f"{'torch conv2d (2 threads)':<34}{'not installed':>13}")
    else:
        t_torch = statistics.median(timings["torch"])
        print(f"{'torch conv2d (2 threads)':<34}{t_torch * 1e3:10.1f} ms   ours/torch = {t_ours / t_torch:.2f}×")
    print(f"{f'course loops (m={LOOP_M}, ×{M // LOOP_M} linear)':<34}{t_loops * 1e3:10.1f} ms   loops/ours = {t_loops / t_ours:.0f}×")


# --- training a small conv net: our fit against Keras's own fit -----------------------------------------


FIT_EPOCHS, FIT_REPEATS = 20, 3


def fit_rows() -> None:
    """A small conv net (compare_keras.py's conv case: 16 images of 9×9×2) trained 20 epochs, batch 8, Adam,
    from the same initial weights; Keras in its default float32 on the torch backend, ours in float64."""
    try:
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras
    except ImportError:
        print(f"{'Keras fit':<34}{'not installed':>13}")
        return
    import torch

    torch.set_num_threads(2)
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(16, 9, 9, 2)), rng.integers(0, 2, size=16).astype(float)

    def layers(lib):
        return [lib.Conv2D(4, 3, padding="same", activation="relu"), lib.MaxPooling2D(), lib.Conv2D(3, 2, strides=2),
                lib.Flatten(), lib.Dense(1, activation="sigmoid")]

    theirs = keras.Sequential([keras.Input(shape=(9, 9, 2)), *layers(keras.layers)])
    ours = sc.Sequential([sc.Conv2D(4, 3, padding="same", activation="relu", input_shape=(9, 9, 2)), *layers(sc)[1:]])
    start_weights = [np.asarray(w, dtype=np.float64) for w in theirs.get_weights()]
    times: dict[str, list[float]] = {"ours": [], "keras": []}
    for _ in range(FIT_REPEATS):
        theirs.set_weights(start_weights)
        theirs.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.01))
        ours.set_weights(start_weights)
        ours.compile(loss="binary_crossentropy", optimizer=sc.Adam(learning_rate=0.01))
        median_time(lambda: theirs.fit(X.astype("float32"), y.astype("float32"), epochs=FIT_EPOCHS, batch_size=8, shuffle=False, verbose=0), times["keras"])
        median_time(lambda: ours.fit(X, y, epochs=FIT_EPOCHS, batch_size=8, shuffle=False, verbose=0), times["ours"])
    t_ours, t_keras = statistics.median(times["ours"]), statistics.median(times["keras"])
    print(f"fit of a small conv net (16 images 9×9×2, {FIT_EPOCHS} epochs, batch 8, Adam), keras {keras.__version__} on torch")
    print(f"load average: {os.getloadavg()}")
    print(f"{'ours fit (numpy, float64)':<34}{t_ours * 1e3:10.1f} ms   1.00×")
    print(f"{'Keras fit (torch, float32)':<34}{t_keras * 1e3:10.1f} ms   keras/ours = {t_keras / t_ours:.0f}×")


if __name__ == "__main__":
    main()
    fit_rows()
