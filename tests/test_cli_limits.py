"""Inputs that used to crash, hang or get the process killed: each is one sentence and exit 2 now (or 130).

Sizes are estimated before anything is allocated (shapecheck/core/cost.py); archives are read by their headers
first (shapecheck/validate/io.py); the spec reader has limits (shapecheck/spec/networks.py); Ctrl-C stops tune, keeping what
is done. The memory cases run in real subprocesses: a killed process cannot answer a CliRunner.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

from cli_helpers import run
from shapecheck.core import cost

CLI = [sys.executable, "-c", "from shapecheck.cli.app import main; main()"]


def shapecheck(*args, env=None, timeout=120):
    """The real console script in a subprocess: what a user's shell would see."""
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def assert_one_line(result, code, *words):
    assert (result.exit_code if hasattr(result, "exit_code") else result.returncode) == code, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert all(w in result.stderr for w in words), result.stderr


# --- sizes that cannot fit are refused before any allocation --------------------------------------------


@pytest.mark.parametrize("args, words", [
    (["gradcheck", 5, 4, 3, 1, "-m", 100_000_000], ["m = 100,000,000", "GB", "--force"]),
    (["tune", 2, 20, 1, "--iterations", 1_000_000_000], ["1,000,000,000 iterations", "GB"]),
    (["demo", "dense", "-m", 1_000_000_000], ["1,000,000,000", "TB"]),
    (["demo", "lstm", "--units", 1_000_000], ["1,000,000 units", "TB"]),
])
def test_a_run_that_cannot_fit_is_refused_with_both_numbers_before_allocating(args, words):
    result = shapecheck(*args, timeout=60)
    assert_one_line(result, 2, "needs about", "free", *words)


def test_the_refusal_is_json_with_json():
    result = shapecheck("gradcheck", 5, 4, 3, 1, "-m", 100_000_000, "--json")
    assert result.returncode == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "cost.too_much_memory" and "GB" in error["message"] and "--help" in error["hint"]


def test_a_forced_run_that_runs_out_of_memory_ends_in_a_sentence_not_a_kill():
    """The guard caps the address space at what is free: numpy's MemoryError, never the OOM killer's SIGKILL."""
    limit = {"SHAPECHECK_MAX_MEMORY": "300M"}
    refused = shapecheck("gradcheck", 5, 4, 3, 1, "-m", 3_000_000, env=limit)
    assert_one_line(refused, 2, "needs about", "--force")
    forced = shapecheck("gradcheck", 5, 4, 3, 1, "-m", 3_000_000, "--force", env=limit)
    assert forced.returncode == 2, (forced.returncode, forced.stderr)  # a kill would be -9
    assert_one_line(forced, 2, "ran out of memory", "shapecheck gradcheck")


def test_the_same_run_within_the_limit_is_not_refused():
    result = shapecheck("gradcheck", 5, 4, 3, 1, "-m", 20, "--json", env={"SHAPECHECK_MAX_MEMORY": "300M"})
    assert result.returncode in (0, 1) and json.loads(result.stdout)["tensors"]


def test_a_bad_memory_limit_is_one_line():
    assert_one_line(shapecheck("gradcheck", 5, 4, 1, env={"SHAPECHECK_MAX_MEMORY": "lots"}), 2, "SHAPECHECK_MAX_MEMORY")


@pytest.mark.parametrize("dims, m", [([5, 4, 3, 1], 50_000), ([30, 20, 10, 1], 5_000), ([2, 40, 1], 20_000)])
def test_the_gradcheck_estimate_is_never_below_the_memory_the_check_takes(dims, m):
    from shapecheck.gradients.fastcheck import gradcheck_network
    from shapecheck.engine.dense import init_params
    from shapecheck.spec.networks import dense_net

    spec = dense_net(dims)
    tracemalloc.start()
    params = init_params(spec, seed=0, method="he")
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((dims[0], m)), rng.integers(0, 2, (1, m)).astype(float)
    gradcheck_network(spec, params, X, Y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    estimate = cost.dense_gradcheck(dims, m).bytes
    assert peak <= estimate < 20 * (peak + cost.BASE)  # safe, and not so loose that it refuses what fits


@pytest.mark.parametrize("dims, m, runs, iterations", [([2, 20, 7, 5, 1], 400, 4, 50), ([2, 50, 1], 20_000, 2, 5)])
def test_the_training_estimate_is_never_below_the_memory_a_sweep_takes(dims, m, runs, iterations):
    from shapecheck.tune.sweep import sweep

    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, m)), rng.integers(0, 2, (1, m)).astype(float)
    tracemalloc.start()
    sweep(dims, (X, Y), learning_rates=[0.01 * (k + 1) for k in range(runs)], iterations=iterations, every=5,
          test_fraction=0, progress=False, workers=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak <= cost.dense_training(dims, m, runs, iterations).bytes


def test_sizes_print_as_people_read_them():
    assert [cost.human_bytes(n) for n in (12, 3_930, 125 << 30)] == ["12 B", "3.8 KB", "125.0 GB"]
    assert cost.parse_size("2G") == 2 << 30 and cost.parse_size("512M") == 512 << 20 and cost.parse_size("1.5GB") == 3 << 29


# --- archives are checked by their headers before loading -----------------------------------------------


def npy_header(shape, descr="<f8") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def test_an_archive_whose_header_claims_a_trillion_numbers_is_refused_unread(tmp_path):
    path = tmp_path / "w.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("W1.npy", npy_header((10**6, 10**6)) + bytes(64))
    result = run("params", path)
    assert_one_line(result, 2, "W1", "1,000,000,000,000 numbers", "holds 64 bytes")


def test_a_zip_bomb_is_not_unpacked(tmp_path, monkeypatch):
    from shapecheck.validate import io as arrays_io

    monkeypatch.setattr(arrays_io, "BOMB_FLOOR", 1 << 20)  # a 64 MB bomb stands for the 6 GB one
    path = tmp_path / "w.npz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("W1.npy", npy_header((1 << 23,)) + bytes(8 << 23))
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    result = run("params", path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert_one_line(result, 2, "zip bomb")
    assert peak < 16 << 20  # nothing was unpacked


@pytest.mark.parametrize("content, words", [
    (b"W1,b1\n1,2\n3,4\n", ["it is text (a CSV?)", ".csv"]),
    (bytes(range(256)) * 4, ["not a zip file", "np.savez"]),
])
def test_a_file_that_is_no_archive_is_told_what_it_is_not_to_allow_pickle(tmp_path, content, words):
    path = tmp_path / "w.npz"
    path.write_bytes(content)
    result = run("params", path)
    assert_one_line(result, 2, *words)
    assert "allow_pickle" not in result.stderr


def test_an_archive_larger_than_the_free_memory_is_refused_then_forced(tmp_path, monkeypatch):
    path = tmp_path / "w.npz"
    np.savez(path, W1=np.zeros((1000, 300)), b1=np.zeros((1000, 1)))
    monkeypatch.setenv("SHAPECHECK_MAX_MEMORY", "8M")
    assert_one_line(run("params", path, 300, 1000), 2, "needs about", "8.0 MB free", "the archive you meant")
    assert run("params", path, 300, 1000, "--force").exit_code == 0


def test_a_folder_named_npz_is_said_to_be_a_folder(tmp_path):
    (tmp_path / "w.npz").mkdir()
    assert_one_line(run("params", tmp_path / "w.npz"), 2, "is a folder")


# --- the spec reader's limits ---------------------------------------------------------------------------


def test_a_fifo_named_toml_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    result = shapecheck("summary", fifo, timeout=30)  # would block forever on open() before
    assert_one_line(result, 2, "not a regular file")


@pytest.mark.parametrize("name, text", [
    ("deep.json", '{"dense_net": {"layer_dims": ' + "[" * 5000 + "]" * 5000 + "}}"),
    ("deep.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n"),
    ("deep_tables.toml", "a = " + "{b = " * 2000 + "1" + "}" * 2000 + "\n"),
])
def test_deep_nesting_is_refused_before_the_parser_recurses(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    assert_one_line(run("summary", path), 2, "more than 32 deep")


def test_comments_and_strings_with_brackets_do_not_count_as_nesting(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text("# " + "[" * 100 + "\n[dense_net]\nlayer_dims = [3, 2, 1]  # W[l] [[[[\nhidden = \"relu\"\n")
    assert run("summary", path).exit_code == 0


@pytest.mark.parametrize("kind", ["sequential", "dense_net"])
def test_more_layers_than_the_limit_is_one_line(tmp_path, kind):
    path = tmp_path / "net.json"
    if kind == "sequential":
        layers = [{"type": "Dense", "units": 2, **({"input_shape": [2]} if k == 0 else {})} for k in range(1001)]
        path.write_text(json.dumps({"sequential": layers}))
    else:
        path.write_text(json.dumps({"dense_net": {"layer_dims": [2] * 1002}}))
    assert_one_line(run("summary", path), 2, "1,001 layers", "1,000")


def test_a_huge_file_is_not_read(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text("# padding\n" * 200_000)
    assert_one_line(run("summary", path), 2, "bytes", "a network file is a few hundred")


# --- options that crashed -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["gradcheck", 5, 4, 1], ["tune", 2, 4, 1], ["demo", "dense"], ["demo", "lstm"]],
                         ids=lambda c: " ".join(map(str, c)))
def test_a_negative_seed_is_one_line_everywhere(command):
    assert_one_line(run(*command, "--seed", -1), 2, "--seed -1", "4294967295")


def test_tune_png_given_a_folder_says_so_before_training(tmp_path):
    result = run("tune", 2, 4, 1, "--iterations", 10_000_000, "--force", "--png", tmp_path)
    assert_one_line(result, 2, "is a folder", "costs.png")
    assert not (tmp_path / "tune.png").exists()


# --- Ctrl-C stops tune, keeping what is done ------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, all its threads (fields 14 and 15 of /proc/PID/stat, in clock ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_ctrl_c_stops_tune_with_exit_130_and_the_runs_so_far():
    process = subprocess.Popen([*CLI, "tune", "2", "20", "7", "1", "--iterations", "5000000", "--every", "10",
                                "--force", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while cpu_seconds(process.pid) < 4 and process.poll() is None:  # imports take ~1 s of CPU: then it trains
            time.sleep(0.1)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)  # before: it trained all 5,000,000 iterations first
    finally:
        process.kill()
    assert process.returncode == 130, err
    report = json.loads(out)
    assert report["interrupted"] is True and len(report["runs"]) == 4
    for run_ in report["runs"]:
        last = run_["costs"][-1]["iteration"]
        assert 0 < last < 5_000_000 and np.isfinite(run_["costs"][-1]["cost"])
    assert json.loads(err)["error"]["code"] == "interrupted"


# --- summary: bytes as Keras counts them ----------------------------------------------------------------


def test_summary_shows_4_bytes_per_parameter_like_keras_and_says_the_engine_uses_float64(tmp_path):
    from shapecheck.cli.examples import path_of

    text = " ".join(run("summary", path_of("lstm_lesson.toml")).stdout.split())
    assert "Total params: 491 (1.92 KB)" in text and "Trainable params: 491 (1.92 KB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text and "float64: 3.84 KB" in text
    # Keras 3 prints "Total params: 245,973 (960.83 KB)" for Dense 20, 7, 5, 1 on 12288 inputs
    deep = " ".join(run("summary", path_of("deep_net.toml")).stdout.split())
    assert "Total params: 245,973 (960.83 KB)" in deep


@pytest.mark.parametrize("notebook, words", [
    ({"cells": 5}, ['"cells" must be a list']),
    ({"cells": [{"cell_type": "code", "source": [1, 2]}]}, ['"source" must be text']),
    ({"cells": ["print(1)"]}, ['"cells" must be a list']),
])
def test_a_notebook_of_the_wrong_shape_is_one_line_not_a_crash(tmp_path, notebook, words):
    path = tmp_path / "work.ipynb"
    path.write_text(json.dumps(notebook))
    assert_one_line(run("diagnose", path), 2, "not a readable notebook", *words)
