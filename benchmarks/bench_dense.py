"""Forward + backward of the course's [12288, 20, 7, 5, 1] network on m = 209 examples (the cat images' sizes).

Ours (``sc.forward`` + ``sc.backward``, shape checks included) against, in the same run:
- a baseline: one example at a time, the obvious loop (forward and backward per column, gradients summed);
- PyTorch autograd in float64 on the same data and weights, when torch imports.

Two cases: with dA0 (the course's L_model_backward returns it; torch then needs X.requires_grad to
do the same work) and without it (``with_dA0=False``: what training needs, the usual torch step).
The gradients are compared before anything is timed. The measuring is bench_recurrent's (one home):
ours, the loop and torch take turns, with a pause between two runs so that the threads one leaves
spinning (OpenBLAS's, torch's) do not slow the next; wall-clock medians, the load printed beside them.
(Timed one after the other, the with-dA0 row once read 25.5 ms right after torch, for 5.9 ms alone.)

    python benchmarks/bench_dense.py              # the table
    PYTHONPATH=. /work/scratch/venv/bin/python benchmarks/bench_dense.py   # with a torch column
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

import shapecheck as sc

DIMS = [12288, 20, 7, 5, 1]
M = 209


def make_data(seed: int = 0):
    rng = np.random.default_rng(seed)
    spec = sc.dense_net(DIMS)  # ReLU x3, sigmoid output
    X = rng.random((DIMS[0], M))  # pixel intensities in [0, 1), (n0, m)
    Y = (rng.random((1, M)) > 0.5).astype(np.float64)  # (1, m)
    params = sc.init_params(spec, seed=seed, method="he")
    return spec, params, X, Y


def ours(spec, params, X, Y, with_dA0=True):
    AL, caches = sc.forward(spec, params, X)
    return sc.backward(spec, AL, Y, caches, with_dA0=with_dA0)


def baseline(spec, params, X, Y, with_dA0=True):
    """One example (column) at a time, the way a first implementation loops."""
    L, m = spec.L, X.shape[1]
    grads = {f"d{name}": np.zeros_like(value) for name, value in params.items()}
    if with_dA0:
        grads["dA0"] = np.zeros_like(X)
    for i in range(m):
        a = X[:, i:i + 1]  # (n0, 1)
        activations, zs = [a], []
        for l in range(1, L + 1):
            z = np.dot(params[f"W{l}"], a) + params[f"b{l}"]
            a = 1 / (1 + np.exp(-z)) if l == L else np.maximum(z, 0)
            zs.append(z)
            activations.append(a)
        dz = a - Y[:, i:i + 1]  # sigmoid + cross-entropy
        for l in range(L, 0, -1):
            grads[f"dW{l}"] += np.dot(dz, activations[l - 1].T) / m
            grads[f"db{l}"] += dz / m
            if l > 1:
                dz = np.dot(params[f"W{l}"].T, dz) * (zs[l - 2] > 0)
            elif with_dA0:
                grads["dA0"][:, i:i + 1] = np.dot(params["W1"].T, dz)
    return grads


def torch_step(spec, params, X, Y, with_dA0=True):
    """A closure that runs one forward + backward with PyTorch autograd (float64), or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    Xt = torch.from_numpy(X).requires_grad_(with_dA0)
    Yt = torch.from_numpy(Y)
    leaves = {name: torch.from_numpy(value.copy()).requires_grad_() for name, value in params.items()}
    L = spec.L

    def step():
        for tensor in (*leaves.values(), Xt):
            tensor.grad = None
        A = Xt
        for l in range(1, L + 1):
            Z = leaves[f"W{l}"] @ A + leaves[f"b{l}"]
            A = torch.relu(Z) if l < L else Z
        J = torch.nn.functional.binary_cross_entropy_with_logits(A, Yt)  # mean over the m examples
        J.backward()
        grads = {f"d{name}": t.grad for name, t in leaves.items()}
        if with_dA0:
            grads["dX"] = Xt.grad  # ∂J/∂X; the course's dA0 is m times it (scaled outside the timing)
        return grads

    return step


def _relative_error(ours_grads, other) -> float:
    """The worst relative difference over the tensors ``other`` computes (the baseline skips dA1..dA{L-1})."""
    worst = 0.0
    for name, theirs in other.items():
        theirs = np.asarray(theirs)
        worst = max(worst, float(np.abs(ours_grads[name] - theirs).max() / max(np.abs(theirs).max(), 1e-300)))
    return worst


def rows(repeats: int = 21, baseline_repeats: int | None = None) -> list[dict]:
    """One dict per case: {"case", "ours_s", "baseline_s", "torch_s" (None without torch), "max_rel_diff", "load"}.

    ``baseline_repeats`` is accepted for older callers: the loop now takes its turn in every round.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_recurrent  # the shared measuring: turns, pauses, medians

    spec, params, X, Y = make_data()
    out = []
    for with_dA0 in (True, False):
        run_ours = lambda: ours(spec, params, X, Y, with_dA0)  # noqa: E731
        run_base = lambda: baseline(spec, params, X, Y, with_dA0)  # noqa: E731
        run_torch = torch_step(spec, params, X, Y, with_dA0)
        reference = run_ours()
        diff = _relative_error(reference, run_base())
        if run_torch is not None:
            theirs = {k: v.numpy() for k, v in run_torch().items()}
            if with_dA0:
                theirs["dA0"] = theirs.pop("dX") * M
            diff = max(diff, _relative_error(reference, theirs))
        if diff > 1e-10:
            raise AssertionError(f"the implementations disagree: max relative difference {diff:.1e}")
        runs = {"ours": run_ours, "loop": run_base, **({"torch": run_torch} if run_torch is not None else {})}
        t = bench_recurrent.medians(runs, repeats)  # ours, the loop, torch in turns, paused between runs
        out.append({
            "case": f"dense {DIMS} m={M} fwd+bwd" + (" (with dA0)" if with_dA0 else " (no dA0)"),
            "ours_s": t["ours"][0],
            "baseline_s": t["loop"][0],
            "torch_s": t["torch"][0] if "torch" in t else None,
            "max_rel_diff": diff,
            "load": os.getloadavg()[0],
        })
    return out


def main() -> None:
    try:
        import torch

        torch_note = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        torch_note = "torch not installed: no torch column"
    print(f"numpy {np.__version__}; {torch_note}; wall-clock medians of interleaved runs")
    header = f"{'case':<52} {'ours ms':>8} {'base ms':>8} {'base/ours':>9} {'torch ms':>9} {'ours/torch':>10}  load"
    print(header)
    print("-" * len(header))
    for row in rows():
        torch_ms = f"{row['torch_s'] * 1e3:9.2f}" if row["torch_s"] else f"{'-':>9}"
        ratio = f"{row['ours_s'] / row['torch_s']:10.2f}" if row["torch_s"] else f"{'-':>10}"
        print(f"{row['case']:<52} {row['ours_s'] * 1e3:8.2f} {row['baseline_s'] * 1e3:8.1f} "
              f"{row['baseline_s'] / row['ours_s']:9.1f} {torch_ms} {ratio}  {row['load']:.1f}/{os.cpu_count()}")


if __name__ == "__main__":
    main()
