"""Forward + backward of the recurrent engine (Ng convention) against the obvious loop and PyTorch.

    python benchmarks/bench_lstm.py          # or /tmp/cmp/bin/python ... to include torch

Sizes: n_x=32, n_a=64, m=64, T_x=50 (n_y=10 for the course's softmax outputs). Baseline: the
course's own code, a per-gate cell called once per step, written the obvious way below. PyTorch
(only if it imports): nn.LSTM / nn.RNN in float64 on the CPU, forward + backward of
sum(output * upstream), with as many threads as numpy's BLAS uses. The cases and the measuring are
bench_recurrent's (rows() below), so that both scripts print the same numbers.
"""

from __future__ import annotations

import os

import numpy as np

import shapecheck as sc

N_X, N_A, N_Y, M, T_X = 32, 64, 10, 64, 50
REPEATS = 15


# --- the baseline: the course's code, written the obvious way --------------------------------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - np.max(z, axis=0))
    return e / np.sum(e, axis=0)


def naive_lstm_cell_forward(xt, a_prev, c_prev, p):
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(np.dot(p["Wf"], concat) + p["bf"])
    it = sigmoid(np.dot(p["Wi"], concat) + p["bi"])
    cct = np.tanh(np.dot(p["Wc"], concat) + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(p["Wo"], concat) + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(p["Wy"], a_next) + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def naive_lstm_forward(x, a0, p):
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next, c_next, caches = a0, np.zeros((n_a, m)), []
    for t in range(T_x):
        a_next, c_next, yt, cache = naive_lstm_cell_forward(x[:, :, t], a_next, c_next, p)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


def naive_lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    concat = np.concatenate((a_prev, xt), axis=0)
    dtanh_c = 1 - np.tanh(c_next) ** 2
    dot = da_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = (dc_next * it + ot * dtanh_c * it * da_next) * (1 - cct**2)
    dit = (dc_next * cct + ot * dtanh_c * cct * da_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * dtanh_c * c_prev * da_next) * ft * (1 - ft)
    grads = {}
    for g, dg in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        grads[f"dW{g}"] = np.dot(dg, concat.T)
        grads[f"db{g}"] = np.sum(dg, axis=1, keepdims=True)
    grads["da_prev"] = sum(np.dot(p[f"W{g}"][:, :n_a].T, dg) for g, dg in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)))
    grads["dxt"] = sum(np.dot(p[f"W{g}"][:, n_a:].T, dg) for g, dg in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)))
    grads["dc_prev"] = dc_next * ft + ot * dtanh_c * ft * da_next
    return grads


def naive_lstm_backward(da, caches):
    steps, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    grads = {f"d{k}{g}": 0 for g in "fico" for k in "Wb"}
    dx, da_prevt, dc_prevt = np.zeros((n_x, m, T_x)), np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = naive_lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, steps[t])
        dx[:, :, t] = step["dxt"]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
        for key in grads:
            grads[key] = grads[key] + step[key]
    return {"dx": dx, "da0": da_prevt, **grads}


def naive_rnn_forward(x, a0, p):
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wya"].shape
    a, y, caches, a_next = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), [], a0
    for t in range(T_x):
        a_prev = a_next
        a_next = np.tanh(np.dot(p["Waa"], a_prev) + np.dot(p["Wax"], x[:, :, t]) + p["ba"])
        a[:, :, t], y[:, :, t] = a_next, softmax(np.dot(p["Wya"], a_next) + p["by"])
        caches.append((a_next, a_prev, x[:, :, t], p))
    return a, y, (caches, x)


def naive_rnn_backward(da, caches):
    steps, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt = np.zeros(x.shape), np.zeros((n_a, m))
    dWax, dWaa, dba = 0, 0, 0
    for t in reversed(range(T_x)):
        a_next, a_prev, xt, p = steps[t]
        dtanh = (1 - a_next**2) * (da[:, :, t] + da_prevt)
        dx[:, :, t] = np.dot(p["Wax"].T, dtanh)
        da_prevt = np.dot(p["Waa"].T, dtanh)
        dWax, dWaa = dWax + np.dot(dtanh, xt.T), dWaa + np.dot(dtanh, a_prev.T)
        dba = dba + np.sum(dtanh, axis=1, keepdims=True)
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# --- measuring ------------------------------------------------------------------------------------


def numpy_threads() -> int:
    """How many threads numpy's BLAS uses (threadpoolctl if present, else its environment)."""
    try:
        from threadpoolctl import threadpool_info

        blas = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
        if blas:
            return max(blas)
    except ImportError:
        pass
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count() or 1


def torch_run(kind: str, x: np.ndarray, a0: np.ndarray, da: np.ndarray, p: dict):
    """nn.LSTM or nn.RNN, float64 on the CPU, with our weights: forward + backward of Σ a ∗ da.

    None when torch is not installed.
    """
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(numpy_threads())
    n_x, n_a = x.shape[0], a0.shape[0]
    layer = (torch.nn.LSTM if kind == "lstm" else torch.nn.RNN)(n_x, n_a).double()
    with torch.no_grad():
        if kind == "lstm":                                        # torch stacks the gates i, f, g, o
            W = np.concatenate([p["Wi"], p["Wf"], p["Wc"], p["Wo"]])
            b = np.concatenate([p["bi"], p["bf"], p["bc"], p["bo"]])[:, 0]
            layer.weight_hh_l0.copy_(torch.from_numpy(W[:, :n_a]))
            layer.weight_ih_l0.copy_(torch.from_numpy(W[:, n_a:]))
        else:
            layer.weight_hh_l0.copy_(torch.from_numpy(p["Waa"]))
            layer.weight_ih_l0.copy_(torch.from_numpy(p["Wax"]))
            b = p["ba"][:, 0]
        layer.bias_ih_l0.copy_(torch.from_numpy(b))
        layer.bias_hh_l0.zero_()
    inputs = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0))).requires_grad_()   # (T_x, m, n_x)
    h0 = torch.from_numpy(np.ascontiguousarray(a0.T))[None].requires_grad_()                  # (1, m, n_a)
    upstream = torch.from_numpy(np.ascontiguousarray(da.transpose(2, 1, 0)))
    state = (h0, torch.zeros_like(h0)) if kind == "lstm" else h0

    def run():
        layer.zero_grad()
        output, _ = layer(inputs, state)
        (output * upstream).sum().backward()
        return output

    ours = sc.lstm_forward(x, a0, p)[0] if kind == "lstm" else sc.rnn_forward(x, a0, p)[0]
    np.testing.assert_allclose(run().detach().numpy().transpose(2, 1, 0), ours, atol=1e-10)   # same network
    return run


def rows(before=None) -> list[dict]:
    """One row per case: {"case", "ours_s", "baseline_s", "torch_s" (None without torch), "before_s" (None without
    ``before``, an older checkout's course functions: bench_recurrent.load_before)}.

    The cases and their measuring are bench_recurrent's (one home): the same inputs, the same turns
    and the same settling between runs, so that bench_engine and bench_recurrent print one number.
    """
    import bench_recurrent

    table = []
    for case, runs in bench_recurrent.cases(bench_recurrent.BAR, before)[:2]:   # LSTM, RNN
        t = bench_recurrent.medians({k: runs[k] for k in ("ours", "loop", "torch", "before") if k in runs}, REPEATS)
        table.append({"case": f"{case} fwd+bwd", "ours_s": t["ours"][0], "baseline_s": t["loop"][0],
                      "torch_s": t["torch"][0] if "torch" in t else None,
                      "before_s": t["before"][0] if "before" in t else None})
    return table


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")   # a busy machine stalls BLAS threads
    table = Table(title=f"recurrent engine, float64, median of {REPEATS} runs, {numpy_threads()} BLAS threads, "
                        f"load {load:.1f} on {os.cpu_count()} CPUs")
    for heading in ("case", "ours", "baseline (course loop)", "baseline / ours", "torch CPU", "torch / ours"):
        table.add_column(heading, justify="left" if heading == "case" else "right")
    for row in rows():
        ours, torch_s = row["ours_s"], row["torch_s"]
        table.add_row(
            row["case"], f"{ours * 1e3:.2f} ms", f"{row['baseline_s'] * 1e3:.2f} ms", f"{row['baseline_s'] / ours:.2f}x",
            "not installed" if torch_s is None else f"{torch_s * 1e3:.2f} ms",
            "-" if torch_s is None else f"{torch_s / ours:.2f}x",
        )
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
