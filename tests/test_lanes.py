"""The course's LSTM in two lanes of examples, the second in a twin process (lanes.py, lstm_lanes.py, twin.py).

The rules: lanes give the single-process kernels' numbers (to rounding) and the gradients finite differences
give; the twin gives the same bits as this process running both lanes; whatever goes wrong with the twin
(it dies, a job fails there, no process may start, an interrupt while it works) costs time, never a number.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from operator import itemgetter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine import lanes, lstm_lanes, rnn_lanes, shared_blocks, twin
from finite_differences import difference

pytestmark = pytest.mark.skipif(not shared_blocks.available(), reason="shared blocks need Linux's memfd")


def course_case(rng, n_x, n_a, m, T_x, kind="lstm"):
    x, a0, da = rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m)) * 0.5, rng.normal(size=(n_a, m, T_x))
    if kind == "rnn":
        p = {"Wax": rng.normal(size=(n_a, n_x)) / np.sqrt(n_x), "Waa": rng.normal(size=(n_a, n_a)) * 0.9 / np.sqrt(n_a),
             "ba": rng.normal(size=(n_a, 1)) * 0.1}                # (a spectral radius under 1: no exploding gradient)
    else:
        p = {f"W{g}": rng.normal(size=(n_a, n_a + n_x)) * 0.5 for g in "fico"}
        p |= {f"b{g}": rng.normal(size=(n_a, 1)) * 0.1 for g in "fico"}
    p |= {"Wy" if kind == "lstm" else "Wya": rng.normal(size=(3, n_a)), "by": rng.normal(size=(3, 1))}
    return x, a0, da, p


def forward_backward(x, a0, da, p):
    if "Wax" in p:
        a, y, caches = sc.rnn_forward(x, a0, p)
        return {"a": a, "y": y, **sc.rnn_backward(da, caches)}
    a, y, c, caches = sc.lstm_forward(x, a0, p)
    return {"a": a, "y": y, "c": c, **sc.lstm_backward(da, caches)}


KINDS = pytest.mark.parametrize("kind", ["lstm", "rnn"])
LANES = {"lstm": lstm_lanes, "rnn": rnn_lanes}
JOBS = {"lstm": ["lstm_forward_lane", "lstm_backward"], "rnn": ["rnn_forward", "rnn_backward"]}   # (the RNN's forward
                                                                                 # makes most of its outputs there too)


@pytest.fixture
def lanes_at_every_size(monkeypatch):
    """Lanes for any batch of 2 or more (the rule's threshold off), so that small cases run them."""
    monkeypatch.setattr(lanes, "LANE_EXAMPLES", 1)
    monkeypatch.setattr(lanes, "LANES_WORTH", 0)


@pytest.fixture
def own_twin(monkeypatch):
    """A twin of this test's own, ready, and used whatever the machine's load; closed after the test."""
    mine = twin.Twin()
    for module in (lstm_lanes, rnn_lanes, lanes):
        monkeypatch.setattr(module, "TWIN", mine)
    monkeypatch.setattr(shared_blocks, "TELL", mine.forget)
    monkeypatch.setattr(mine, "_calm", lambda: True)
    assert mine.ready(timeout=60), "the twin did not start"
    yield mine
    mine.close()


def without_lanes(monkeypatch, case):
    with monkeypatch.context() as patch:
        patch.setattr(lanes, "LANE_EXAMPLES", 10**9)
        return forward_backward(*case)


@settings(max_examples=25, deadline=None)
@given(m=st.integers(2, 40), T_x=st.integers(1, 7), n_x=st.integers(1, 6), n_a=st.integers(1, 7), seed=st.integers(0, 99),
       kind=st.sampled_from(["lstm", "rnn"]))
def test_lanes_give_the_single_process_kernels_numbers(m, T_x, n_x, n_a, seed, kind):
    case = course_case(np.random.default_rng(seed), n_x, n_a, m, T_x, kind)
    with pytest.MonkeyPatch.context() as patch:
        expected = without_lanes(patch, case)
        patch.setattr(lanes, "LANE_EXAMPLES", 1)
        patch.setattr(lanes, "LANES_WORTH", 0)
        patch.setenv("SHAPECHECK_TWIN", "0")
        calls = []
        real = getattr(LANES[kind], f"{kind}_forward_lane")
        where = inspect.signature(real)
        patch.setattr(LANES[kind], f"{kind}_forward_lane",
                      lambda *a: calls.append(itemgetter("lo", "hi")(where.bind(*a).arguments)) or real(*a))
        got = forward_backward(*case)
    half = (m + 1) // 2
    assert calls == [(0, half), (half, m)]                        # both lanes, here
    assert set(got) == set(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-11, atol=1e-12, err_msg=key)


@KINDS
def test_lanes_at_the_bars_size_give_the_gradients_of_finite_differences(kind):
    """J = Σ a ∗ da through the forward; its gradient along a random direction of each parameter and of x, by
    centered differences, against the backward's (the size is the issue's: lanes by the default rule)."""
    rng = np.random.default_rng(3)
    x, a0, da, p = course_case(rng, 32, 64, 64, 50, kind)
    assert LANES[kind]._split(64, 50, 32, 64) is not None
    grads = forward_backward(x, a0, da, p)
    forward = sc.lstm_forward if kind == "lstm" else sc.rnn_forward

    def J(x, p):
        return float(np.sum(forward(x, a0, p)[0] * da))

    eps = 1e-6
    names = ("Wf", "Wi", "Wc", "Wo", "bf", "bo", "x") if kind == "lstm" else ("Wax", "Waa", "ba", "x")
    for name in names:
        d = rng.normal(size=x.shape if name == "x" else p[name].shape)
        if name == "x":
            numeric = (J(x + eps * d, p) - J(x - eps * d, p)) / (2 * eps)
        else:
            numeric = (J(x, p | {name: p[name] + eps * d}) - J(x, p | {name: p[name] - eps * d})) / (2 * eps)
        analytic = float(np.sum(grads["d" + name] * d))
        assert difference(analytic, numeric) < 1e-7, name


@KINDS
def test_the_twin_gives_the_bits_of_this_process_running_both_lanes(monkeypatch, own_twin, kind):
    case = course_case(np.random.default_rng(5), 5, 6, 40, 9, kind)
    monkeypatch.setattr(lanes, "LANE_EXAMPLES", 1)
    monkeypatch.setattr(lanes, "LANES_WORTH", 0)
    jobs = []
    real = own_twin.submit
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: jobs.append(job) or real(job, *a))
    there = forward_backward(*case)
    assert jobs == JOBS[kind]
    monkeypatch.setenv("SHAPECHECK_TWIN", "0")
    here = forward_backward(*case)
    for key, value in here.items():
        np.testing.assert_array_equal(there[key], value, err_msg=key)


@KINDS
def test_what_the_caller_gets_back_is_its_own_memory_never_a_shared_block(monkeypatch, own_twin, kind):
    """The parts made here write straight into the caller's dx, the twin's into a block, then copied: a shared block
    handed out would be written by the twin later, and by a forked child (MAP_SHARED is not copied on write)."""
    case = course_case(np.random.default_rng(6), 5, 6, 40, 9, kind)
    monkeypatch.setattr(lanes, "LANE_EXAMPLES", 1)
    monkeypatch.setattr(lanes, "LANES_WORTH", 0)
    made = []
    real = own_twin.wait
    monkeypatch.setattr(own_twin, "wait", lambda: made.append(real()) or made[-1])
    got = forward_backward(*case)
    assert made == [True, True]                                   # the twin made its shares
    for key, value in got.items():
        assert shared_blocks.BLOCKS.where(value) is None and value.flags.writeable, key
    monkeypatch.setenv("SHAPECHECK_TWIN", "0")
    for key, value in forward_backward(*case).items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)


def test_the_rnns_outputs_keep_their_own_dtype_when_the_lanes_are_narrower(monkeypatch, own_twin, lanes_at_every_size):
    """float32 lanes with a float64 Wya: ŷ is float64, as without lanes (its half is not made in the float32 block)."""
    x, a0, da, p = course_case(np.random.default_rng(8), 4, 5, 36, 6, "rnn")
    narrow = {k: v.astype(np.float32) for k, v in p.items() if k not in ("Wya", "by")} | {"Wya": p["Wya"], "by": p["by"]}
    case = (x.astype(np.float32), a0.astype(np.float32), da, narrow)
    jobs = []
    real = own_twin.submit
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: jobs.append(job) or real(job, *a))
    got = forward_backward(*case)
    assert jobs == ["rnn_forward_lane", "rnn_backward"]
    expected = without_lanes(monkeypatch, case)
    assert got["y"].dtype == expected["y"].dtype == np.float64 and got["a"].dtype == np.float32
    np.testing.assert_allclose(got["y"], expected["y"], rtol=1e-12)


@KINDS
def test_a_twin_that_dies_costs_time_not_numbers(monkeypatch, own_twin, lanes_at_every_size, kind):
    case = course_case(np.random.default_rng(6), 4, 5, 30, 6, kind)
    expected = forward_backward(*case)
    own_twin._proc.kill()
    own_twin._proc.wait()
    got = forward_backward(*case)                                 # the lost job's lane is run here
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)
    assert own_twin._failed and not own_twin.take()               # never used again


@KINDS
def test_a_job_that_fails_there_is_run_here(monkeypatch, own_twin, lanes_at_every_size, kind):
    case = course_case(np.random.default_rng(7), 4, 5, 30, 6, kind)
    expected = forward_backward(*case)
    real = own_twin.submit                                        # a job the twin does not know: it answers an error
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: real("no_such_job" if job == JOBS[kind][0] else job, *a))
    got = forward_backward(*case)
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)
    assert own_twin._failed


@KINDS
def test_a_sandbox_that_refuses_processes_gets_the_same_numbers(monkeypatch, lanes_at_every_size, kind):
    mine = twin.Twin()
    for module in (lstm_lanes, rnn_lanes, lanes):
        monkeypatch.setattr(module, "TWIN", mine)

    def refuse(*args, **kwargs):
        raise PermissionError("no new processes here")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    case = course_case(np.random.default_rng(8), 3, 4, 20, 5, kind)
    got = forward_backward(*case)
    assert mine._failed and not mine.ready()
    expected = without_lanes(monkeypatch, case)
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-11, atol=1e-12, err_msg=key)


def test_an_interrupt_while_the_twin_works_stops_it_before_anything_goes_on(monkeypatch, own_twin, lanes_at_every_size):
    """A KeyboardInterrupt in this process's lane (a notebook's stop button) while the twin runs its own: the twin is
    stopped before the interrupt goes on, so that no block it writes is handed out while it runs; a new one starts
    on a later call, and the numbers are the same."""
    case = course_case(np.random.default_rng(9), 6, 8, 40, 12)
    expected = forward_backward(*case)
    first = own_twin._proc
    real = lstm_lanes.lstm_forward_lane
    monkeypatch.setattr(lstm_lanes, "lstm_forward_lane", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        sc.lstm_forward(*case[:2], case[3])
    assert first.poll() is not None and not own_twin._pending and not own_twin._failed   # stopped, not given up
    monkeypatch.setattr(lstm_lanes, "lstm_forward_lane", real)
    got = forward_backward(*case)
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)
    assert own_twin.ready(timeout=60) and own_twin._proc is not first


def test_a_calm_reading_holds_for_a_moment_and_a_busy_one_not_at_all(monkeypatch):
    """take() reads /proc at most once per CALM_FOR seconds while the machine is calm (a loop calls every few
    milliseconds), at every call while it is busy, and again after the lanes were seen to wait for a CPU."""
    from shapecheck.engine.blas_threads import BESIDE

    mine, reads, load, clock = twin.Twin(), [], {"now": 1}, {"now": 50.0}
    monkeypatch.setattr(BESIDE, "cores", lambda: 2)
    monkeypatch.setattr(BESIDE, "running", lambda: reads.append(load["now"]) or load["now"])
    monkeypatch.setattr(BESIDE, "_ours_running", lambda: 0)
    monkeypatch.setattr(twin.time, "monotonic", lambda: clock["now"])
    assert mine._calm() and mine._calm() and len(reads) == 1
    load["now"] = 9                                               # another program takes both cores
    assert mine._calm() and len(reads) == 1                       # (within CALM_FOR: not read)
    clock["now"] += twin.CALM_FOR
    assert not mine._calm() and not mine._calm() and len(reads) == 3
    load["now"] = 1
    assert mine._calm() and len(reads) == 4
    for _ in range(twin.STRIKES):                                 # lanes that waited for a CPU: busy for BACK_OFF
        mine.observe(0.01, 0.001)
    assert not mine._calm()
    clock["now"] += twin.BACK_OFF
    assert mine._calm() and len(reads) == 5


def test_shared_blocks_are_reused_once_free_and_left_alone_while_viewed():
    blocks = shared_blocks.Blocks()
    a, b = blocks.carve([(3, 4), (5,)], np.float64)
    a[:] = 1
    first = blocks.where(a)[0]
    assert blocks.where(b[1:])[0] == first and blocks.where(np.ones(3)) is None
    c, = blocks.carve([(3, 4)], np.float64)                       # a and b still view the first block
    assert blocks.where(c)[0] != first
    del a, b
    d, = blocks.carve([(2, 5)], np.float64)                       # free again: taken again
    assert blocks.where(d)[0] == first


def test_past_the_limit_of_blocks_in_use_carve_answers_none(monkeypatch):
    blocks = shared_blocks.Blocks()
    monkeypatch.setattr(shared_blocks, "LIMIT", 2)
    kept = [blocks.carve([(10,)], np.float64) for _ in range(2)]
    assert blocks.carve([(10,)], np.float64) is None
    kept.pop()
    assert blocks.carve([(10,)], np.float64) is not None


@KINDS
def test_lanes_leave_the_callers_arrays_untouched(monkeypatch, own_twin, lanes_at_every_size, kind):
    case = course_case(np.random.default_rng(10), 4, 5, 30, 6, kind)
    before = [np.copy(v) for v in (case[0], case[1], case[2], *case[3].values())]
    forward_backward(*case)
    after = [case[0], case[1], case[2], *case[3].values()]
    assert all(np.array_equal(u, v) for u, v in zip(before, after))


def test_the_twin_ends_with_its_parent(tmp_path):
    """The twin reads until its parent's socket closes: a parent that exits leaves no process behind."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys\n"
        "from shapecheck.engine.twin import TWIN\n"
        "assert TWIN.ready(timeout=60)\n"
        "print(TWIN._proc.pid)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    pid = int(subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True,
                             timeout=120).stdout)
    for _ in range(200):
        if not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().rpartition(")")[2][:3]:
            return
        import time

        time.sleep(0.05)
    pytest.fail(f"twin {pid} still runs after its parent ended")


@KINDS
def test_a_sandbox_that_refuses_shared_memory_gets_the_same_numbers(monkeypatch, own_twin, lanes_at_every_size, kind):
    blocks = shared_blocks.Blocks()
    monkeypatch.setattr(shared_blocks, "BLOCKS", blocks)
    for module in (lstm_lanes, rnn_lanes, lanes, twin):
        monkeypatch.setattr(module, "BLOCKS", blocks, raising=False)

    def refuse(*args):
        raise PermissionError("no memfd here")

    monkeypatch.setattr(os, "memfd_create", refuse)
    case = course_case(np.random.default_rng(11), 3, 4, 20, 5, kind)
    jobs = []
    real = own_twin.submit
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: jobs.append(job) or real(job, *a))
    got = forward_backward(*case)
    assert jobs == [] and blocks.carve([(3,)], np.float64) is None   # both lanes here, in private memory
    monkeypatch.setenv("SHAPECHECK_TWIN", "0")
    expected = forward_backward(*case)
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)


def test_a_forked_child_starts_with_no_blocks_and_no_twin(own_twin):
    """Its parent's blocks are shared memory that its parent goes on writing, its twin is its parent's."""
    import warnings

    shared_blocks.BLOCKS.carve([(4,)], np.float64)
    assert shared_blocks.BLOCKS._blocks and twin.TWIN is not None
    read, write = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)      # (fork with threads: the child runs no other code)
        pid = os.fork()
    if pid == 0:
        ok = not shared_blocks.BLOCKS._blocks and own_twin._sock is None and not own_twin._ready
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    assert answer == b"1"


@KINDS
def test_an_interrupt_in_the_backward_stops_the_twin_waiting_for_a_signal(monkeypatch, own_twin, lanes_at_every_size,
                                                                          kind):
    """Interrupted before this process's lane passed the agreed step, the twin waits for a signal that never comes:
    it is stopped before the interrupt goes on, and the next calls have the right numbers (a new twin later)."""
    case = course_case(np.random.default_rng(12), 5, 6, 40, 8, kind)
    expected = forward_backward(*case)
    module = LANES[kind]
    name = f"{kind}_backward_lane"
    real = getattr(module, name)

    def interrupted(*args):
        if args[-1] is twin.ALONE and args[-2] is not None:       # this process's lane, with its signal to give
            raise KeyboardInterrupt
        return real(*args)

    forward = sc.lstm_forward if kind == "lstm" else sc.rnn_forward
    backward = sc.lstm_backward if kind == "lstm" else sc.rnn_backward
    caches = forward(*case[:2], case[3])[-1]
    first = own_twin._proc
    monkeypatch.setattr(module, name, interrupted)
    with pytest.raises(KeyboardInterrupt):
        backward(case[2], caches)
    assert first.poll() is not None and not own_twin._pending
    monkeypatch.setattr(module, name, real)
    for _ in range(2):                                            # alone, then with the new twin
        got = forward_backward(*case)
        for key, value in expected.items():
            np.testing.assert_array_equal(got[key], value, err_msg=key)
        assert own_twin.ready(timeout=60)


def test_a_stopped_twin_is_given_up_after_the_wait_limit(monkeypatch, own_twin, lanes_at_every_size):
    """A twin that stops answering (here: SIGSTOP) never hangs its parent: past WAIT_LIMIT it is killed, and its work
    is done here."""
    import signal

    case = course_case(np.random.default_rng(13), 4, 5, 30, 6)
    expected = forward_backward(*case)
    monkeypatch.setattr(twin, "WAIT_LIMIT", 0.5)
    os.kill(own_twin._proc.pid, signal.SIGSTOP)
    got = forward_backward(*case)
    assert own_twin._failed and own_twin._proc.poll() is not None   # killed and reaped
    for key, value in expected.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)


def test_the_twin_imports_nothing_from_the_folder_it_starts_in(tmp_path, monkeypatch):
    """Started from a class folder where a student left numpy.py (say, an instructor grading there), the twin
    imports the real numpy: python -c would put the current folder first on its path."""
    marker = tmp_path / "ran"
    (tmp_path / "numpy.py").write_text(f"open({str(marker)!r}, 'w').write('student code ran')\n")
    (tmp_path / "shapecheck.py").write_text(f"open({str(marker)!r}, 'w').write('student code ran')\n")
    monkeypatch.chdir(tmp_path)
    mine = twin.Twin()
    try:
        assert mine.ready(timeout=60)
        mine._lock.acquire()
        mine.submit("echo", 1, "two")
        assert mine.wait() and mine.result == [1, "two"]
        mine._lock.release()
    finally:
        mine.close()
    assert not marker.exists()
