"""LSTM, RNN and GRU, forward + backward: ours against torch, the obvious per-step loop, and before.

    python benchmarks/bench_recurrent.py                   # torch columns say "not installed"
    PYTHONPATH=. /work/scratch/venv/bin/python benchmarks/bench_recurrent.py [--before ../before]

Cases: the issue's bar, n_x=32, n_a=64, m=64, T_x=50, and a small one, n_x=4, n_a=8, m=1, T_x=10,
where Python's overhead per call dominates. Ours: the course's lstm_forward + lstm_backward and
rnn_forward + rnn_backward; for the GRU (no course function) the Keras layer's forward + backward.
Baselines, measured in the same run: the obvious per-step numpy loop (bench_lstm.py's, and one for
the GRU below), torch's nn.LSTM / nn.RNN / nn.GRU in float64 with torch.set_num_threads(2), and, with
``--before DIR``, the same course functions and GRU layer from an older checkout (imported in this process;
its twin, if it has one, runs beside ours and its CPU time is counted as ours is).
Every run takes turns with the others (a busy machine slows all alike); times are medians, wall
clock, with the CPU time of ours and torch's beside them, and the load average of the machine.
At the bar's size each turn calls a run four times in a row (--burst): one row gives the first call
after a pause (both cores cold), one the calls that follow it, as in a training loop. Ours runs the
course's LSTM and RNN in two lanes of examples there, the second in the twin process (engine/twin.py):
its CPU time is counted with ours.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import bench_lstm  # noqa: E402  the obvious loops of the course's LSTM and RNN

import shapecheck as sc  # noqa: E402
from shapecheck.engine.twin import TWIN  # noqa: E402

TWINS = [TWIN]                   # ours, and an older checkout's (--before) if it has one


def twins_cpu() -> float:
    return sum(twin.cpu_time for twin in TWINS)

TORCH_THREADS = 2
BAR = (32, 64, 64, 50)      # n_x, n_a, m, T_x
SMALL = (4, 8, 1, 10)


# --- the obvious GRU loop (Keras's equations, reset_after=True), batch first ---------------------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def naive_gru(x, kernel, recurrent_kernel, bias, dH):
    """Forward, then backward of J = Σ h⟨t⟩ ∗ dH⟨t⟩, one step at a time; returns the gradients."""
    B, T, _ = x.shape
    u = recurrent_kernel.shape[0]
    h, steps = np.zeros((B, u)), []
    for t in range(T):
        mx, mh = x[:, t] @ kernel + bias[0], h @ recurrent_kernel + bias[1]
        z = sigmoid(mx[:, :u] + mh[:, :u])
        r = sigmoid(mx[:, u:2 * u] + mh[:, u:2 * u])
        hh = np.tanh(mx[:, 2 * u:] + r * mh[:, 2 * u:])
        steps.append((h, z, r, hh, mh))
        h = z * h + (1 - z) * hh
    dk, drk, db = np.zeros_like(kernel), np.zeros_like(recurrent_kernel), np.zeros_like(bias)
    dx, dh = np.zeros_like(x), np.zeros((B, u))
    for t in reversed(range(T)):
        h_prev, z, r, hh, mh = steps[t]
        dh = dh + dH[:, t]
        dzh = dh * (1 - z) * (1 - hh**2)
        dzz = dh * (h_prev - hh) * z * (1 - z)
        dzr = dzh * mh[:, 2 * u:] * r * (1 - r)
        dx_side = np.concatenate([dzz, dzr, dzh], axis=1)
        dh_side = np.concatenate([dzz, dzr, dzh * r], axis=1)
        dk += x[:, t].T @ dx_side
        drk += h_prev.T @ dh_side
        db[0] += dx_side.sum(axis=0)
        db[1] += dh_side.sum(axis=0)
        dx[:, t] = dx_side @ kernel.T
        dh = dh * z + dh_side @ recurrent_kernel.T
    return dk, drk, db, dx


# --- the cases --------------------------------------------------------------------------------------


def course_parameters(rng, n_x, n_a, n_y=10):
    scale = 1 / np.sqrt(n_a + n_x)
    lstm = {f"W{g}": rng.standard_normal((n_a, n_a + n_x)) * scale for g in "fico"}
    lstm.update({f"b{g}": rng.standard_normal((n_a, 1)) * 0.1 for g in "fico"})
    lstm.update(Wy=rng.standard_normal((n_y, n_a)) * scale, by=np.zeros((n_y, 1)))
    rnn = {"Wax": rng.standard_normal((n_a, n_x)) * scale, "Waa": rng.standard_normal((n_a, n_a)) * scale,
           "Wya": rng.standard_normal((n_y, n_a)) * scale, "ba": rng.standard_normal((n_a, 1)) * 0.1,
           "by": np.zeros((n_y, 1))}
    return lstm, rnn


def torch_gru(x, kernel, recurrent_kernel, bias, dH):
    """nn.GRU (batch_first) with Keras's weights: torch's gates are r, z, n, Keras's z, r, h."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(TORCH_THREADS)
    u = recurrent_kernel.shape[0]
    order = np.concatenate([np.arange(u, 2 * u), np.arange(u), np.arange(2 * u, 3 * u)])   # r, z, h
    layer = torch.nn.GRU(x.shape[2], u, batch_first=True).double()
    with torch.no_grad():
        layer.weight_ih_l0.copy_(torch.from_numpy(kernel[:, order].T.copy()))
        layer.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel[:, order].T.copy()))
        layer.bias_ih_l0.copy_(torch.from_numpy(bias[0, order].copy()))
        layer.bias_hh_l0.copy_(torch.from_numpy(bias[1, order].copy()))
    inputs = torch.from_numpy(x).requires_grad_()
    upstream = torch.from_numpy(dH)

    def run():
        layer.zero_grad()
        output, _ = layer(inputs)
        (output * upstream).sum().backward()
        return output

    return run


def _package() -> dict:
    return {name: mod for name, mod in sys.modules.items() if name == "shapecheck" or name.startswith("shapecheck.")}


def _swap(modules: dict) -> dict:
    """Make ``modules`` the imported shapecheck package; returns the one that was."""
    was = _package()
    for name in was:
        del sys.modules[name]
    sys.modules.update(modules)
    return was


def _within(modules: dict, function):
    """``function`` called while ``modules`` are the imported package: an older checkout with a twin of its own
    pickles that twin's classes, which pickle finds by their module's name. The first call swaps the whole
    package (0.2 ms with torch imported: sys.modules is scanned) and keeps what it imported on first use; later
    calls put back only those names (a few µs), so that the swap costs "before" next to nothing."""
    first = [True]

    def call(*args, **kwargs):
        if first[0]:
            first[0] = False
            was = _swap(modules)
            try:
                return function(*args, **kwargs)
            finally:
                modules.update(_swap(was))                        # (with what the call imported on first use)
        saved = {name: sys.modules.get(name) for name in modules}
        sys.modules.update(modules)
        try:
            return function(*args, **kwargs)
        finally:
            for name, module in saved.items():
                if module is None:
                    del sys.modules[name]
                else:
                    sys.modules[name] = module

    return call


def load_before(path: Path):
    """The course's four functions from an older checkout, imported beside ours in this process, and a maker of its
    GRU layer (None if it had none): a layer is built while the older package is the imported one, so that the
    modules it imports on first use (its engine, its kernels) are the older checkout's too."""
    ours = _swap({})
    sys.path.insert(0, str(path))
    try:
        import shapecheck as before

        functions = [before.lstm_forward, before.lstm_backward, before.rnn_forward, before.rnn_backward]
        source = Path(before.__file__).resolve()
        gru_spec = getattr(before, "GRU", None)
    finally:
        sys.path.remove(str(path))
        theirs = _swap(ours)
    if str(path.resolve()) not in str(source):
        raise SystemExit(f"--before {path}: imported {source} instead")
    functions = [_within(theirs, function) for function in functions]
    if "shapecheck.engine.twin" in theirs:                        # (its twin's CPU time is counted as ours is)
        TWINS.append(theirs["shapecheck.engine.twin"].TWIN)

    def gru(units: int, input_shape: tuple) -> object:
        was = _swap(theirs)
        try:
            layer = gru_spec(units, return_sequences=True).runtime(input_shape)
            engine = Path(sys.modules[type(layer).__module__].__file__).resolve()
            if str(path.resolve()) not in str(engine):
                raise SystemExit(f"--before {path}: its GRU layer came from {engine}")
            return layer
        finally:
            _swap(was)

    return (*functions, gru if gru_spec is not None else None)


def cases(size, before):
    """(name, {run name: callable}) for the LSTM, the RNN and the GRU at one size; checks values first."""
    n_x, n_a, m, T_x = size
    rng = np.random.default_rng(0)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)) * 0.1
    da = rng.standard_normal((n_a, m, T_x))
    lstm, rnn = course_parameters(rng, n_x, n_a)
    label = f"n_x={n_x}, n_a={n_a}, m={m}, T_x={T_x}"
    out = []
    for kind, p, fwd, bwd, naive_f, naive_b, k in (
        ("LSTM", lstm, sc.lstm_forward, sc.lstm_backward, bench_lstm.naive_lstm_forward, bench_lstm.naive_lstm_backward, 3),
        ("RNN", rnn, sc.rnn_forward, sc.rnn_backward, bench_lstm.naive_rnn_forward, bench_lstm.naive_rnn_backward, 2),
    ):
        runs = {"ours": lambda p=p, f=fwd, b=bwd, k=k: b(da, f(x, a0, p)[k]),
                "loop": lambda p=p, f=naive_f, b=naive_b, k=k: b(da, f(x, a0, p)[k])}
        mine, theirs = runs["ours"](), runs["loop"]()
        for key in mine:
            np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-8, atol=1e-10)
        if before:
            bf, bb = before[:2] if kind == "LSTM" else before[2:4]
            runs["before"] = lambda p=p, f=bf, b=bb, k=k: b(da, f(x, a0, p)[k])
        torch_run = bench_lstm.torch_run(kind.lower(), x, a0, da, p)
        if torch_run is not None:
            import torch

            torch.set_num_threads(TORCH_THREADS)                   # torch_run sets numpy's count
            runs["torch"] = torch_run
        out.append((f"{kind} ({label})", runs))

    layer = sc.GRU(n_a, return_sequences=True).runtime((T_x, n_x))
    weights = [rng.standard_normal(s) * 0.3 for s in layer.weight_shapes()]
    xb, dH = np.ascontiguousarray(x.transpose(1, 2, 0)), np.ascontiguousarray(da.transpose(1, 2, 0))
    dk, drk, db, dx = naive_gru(xb, *weights, dH)
    ours = lambda units, shape: sc.GRU(units, return_sequences=True).runtime(shape)  # noqa: E731
    runs, layers = {}, {"ours": ours} | ({"before": before[4]} if before and before[4] else {})
    for name, make in layers.items():
        layer = layers[name] = make(n_a, (T_x, n_x))
        layer.bind(weights, [np.zeros(s) for s in layer.weight_shapes()])
        runs[name] = lambda layer=layer: (layer.forward(xb), layer.backward(dH))[1]
        np.testing.assert_allclose(runs[name](), dx, rtol=1e-8, atol=1e-10)
        for grad, theirs in ((layer.d_kernel, dk), (layer.d_recurrent_kernel, drk), (layer.d_bias, db)):
            np.testing.assert_allclose(grad, theirs, rtol=1e-8, atol=1e-10)
    runs["loop"] = lambda: naive_gru(xb, *weights, dH)
    torch_run = torch_gru(xb, *weights, dH)
    if torch_run is not None:
        np.testing.assert_allclose(torch_run().detach().numpy(), layers["ours"].forward(xb), atol=1e-10)
        runs["torch"] = torch_run
    out.append((f"GRU ({label})", runs))
    return out


SETTLE = 0.15   # s between two runs: longer than OpenBLAS's worker threads spin (2^28 cycles) after a multithreaded product


def medians(runs: dict, repeats: int, settle: float = SETTLE, burst: int = 1) -> dict:
    """Wall and CPU medians of each run; the runs take turns, so that a busy machine slows all alike.

    Between two runs the process sleeps ``settle`` seconds (not timed): the threads a run leaves
    spinning (OpenBLAS's after a multithreaded product, torch's after its own) would otherwise take
    a core from whichever run comes next. Without it, the run after torch's measured up to 1.8×
    slower than the same code placed elsewhere in the turn (bench_engine and this script disagreed).
    The order rotates from turn to turn, so that no run always comes after the same one: at the small
    size, the run right after torch's measured 1.2-1.9× slower than elsewhere, with a 2 ms pause or
    a 0.15 s one (GRU ours/before: 1.19× in that place, 0.99× after the loop).

    With ``burst`` > 1 each run is called that many times in a row at its turn: the first call,
    after the pause, is timed as before; the others, back to back as in a training loop, give a
    second pair of medians under the key (name, "steady"). The two differ: after a pause of 0.15 s
    both cores start cold (caches, the second core's wake-up), and the LSTM at the bar measured
    22 ms there against 15 ms in a loop (torch: 25 against 18). That cost is the host's, and it varies
    with the host's own load: on 2026-12-06 the RNN's first call took 10 ms at 17:25 and 26 ms at 17:45,
    while its calls in a loop took 5.2 and 5.3 ms (torch's first call: 12 and 29 ms); after a sleep of
    0.15 s one process's first copy of 32 KB took 225 µs instead of 8 and its first copy of 1.6 MB
    1.1 ms instead of 0.12, with no page fault. So the first call's ratio says how the host wakes as
    much as how fast the kernels are; the loop's says the latter.
    """
    wall: dict = {name: [] for name in runs}
    cpu: dict = {name: [] for name in runs}
    steady: dict = {name: ([], []) for name in runs}
    for run in runs.values():                                     # warm up: caches, BLAS threads, the twin
        run()
    for twin in TWINS:
        twin.ready(timeout=60)
    names = list(runs)
    for turn in range(repeats):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:   # each run after each other alike
            run = runs[name]
            time.sleep(settle)
            for call in range(burst):
                w, c = time.perf_counter(), time.process_time() + twins_cpu()
                run()
                c, w = time.process_time() + twins_cpu() - c, time.perf_counter() - w
                if call == 0:
                    wall[name].append(w)
                    cpu[name].append(c)
                else:
                    steady[name][0].append(w)
                    steady[name][1].append(c)
    out = {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in runs}
    if burst > 1:
        out |= {(name, "steady"): (statistics.median(w), statistics.median(c)) for name, (w, c) in steady.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None, help="an older checkout whose course functions to time too")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--burst", type=int, default=4, help="calls in a row at each turn (the bar's size): the first "
                        "after a pause, the others back to back as in a training loop (1: only the first)")
    args = parser.parse_args()
    before = load_before(args.before) if args.before else None
    from rich.console import Console
    from rich.table import Table

    try:
        import torch
        torch_version = f"torch {torch.__version__}, {TORCH_THREADS} threads"
    except ImportError:
        torch_version = "torch not installed"
    table = Table(title=f"recurrent forward + backward, float64, wall-clock medians of {args.repeats} interleaved turns "
                        f"({args.burst} calls in a row per turn at the bar's size) "
                        f"(CPU time in brackets); numpy {np.__version__}, {torch_version}")
    for heading in ("case", "ours", "torch", "ours / torch", "per-step loop", "ours / loop", "before", "ours / before",
                    "load (1 min)"):
        table.add_column(heading, justify="left" if heading == "case" else "right")

    def ms(t):
        return f"{t[0] * 1e3:.2f} ms ({t[1] * 1e3:.1f})"

    for size in (BAR, SMALL):
        repeats = args.repeats if size == BAR else args.repeats * 20
        burst = args.burst if size == BAR else 1                  # (nothing multithreads at the small size)
        for case, runs in cases(size, before):
            t = medians(runs, repeats, SETTLE if size == BAR else 0.002, burst)
            regimes = [("", lambda name: name)]
            if burst > 1:
                regimes = [(", first call after a pause", lambda name: name),
                           (", steady: in a loop", lambda name: (name, "steady"))]
            for regime, key in regimes:
                ours = t[key("ours")][0]
                table.add_row(
                    case + regime, ms(t[key("ours")]),
                    ms(t[key("torch")]) if key("torch") in t else "not installed",
                    f"{ours / t[key('torch')][0]:.2f}×" if key("torch") in t else "-",
                    ms(t[key("loop")]), f"{ours / t[key('loop')][0]:.2f}×",
                    ms(t[key("before")]) if key("before") in t else "-",
                    f"{ours / t[key('before')][0]:.2f}×" if key("before") in t else "-",
                    f"{os.getloadavg()[0]:.1f} / {os.cpu_count()} CPUs",
                )
    console = Console(width=220)
    console.print(table)
    console.print(f"ours at the bar's size: two lanes of examples; the twin process ran {TWIN.jobs} lane jobs "
                  f"(one per forward and one per backward when it helps; CPU time in brackets includes its {TWIN.cpu_time:.1f} s)"
                  if TWIN.jobs else "ours: the twin process never ran (SHAPECHECK_TWIN=0, one core, or no memfd)")


if __name__ == "__main__":
    main()
