"""Attacks on the twin (twin.py, shared_blocks.py, lanes.py): the promises are that numbers never depend on it,
that nothing it does or fails at hangs a call or changes a number, and that fork, threads and interrupts are safe.

Each test here is a way the promise could break; a failing one is a defect to fix in the engine, not here.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import threading
import time
import warnings

import numpy as np
import pytest

import shapecheck as sc
from shapecheck.engine import lanes, lstm_lanes, rnn_lanes, shared_blocks, twin
from test_lanes import KINDS, LANES, course_case, forward_backward, lanes_at_every_size, own_twin  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not shared_blocks.available(), reason="shared blocks need Linux's memfd")

HANG = 6.0                       # seconds: a call that takes longer than this at these sizes (milliseconds) is hung


def reference(monkeypatch, case):
    """The case's numbers with no twin at all (both lanes here)."""
    with monkeypatch.context() as patch:
        patch.setenv("SHAPECHECK_TWIN", "0")
        return forward_backward(*case)


def differences(expected: dict, got: dict) -> list[str]:
    return [key for key in expected if not np.array_equal(expected[key], got[key])]


def forward(case):
    x, a0, _, p = case
    return sc.rnn_forward(x, a0, p)[0] if "Wax" in p else sc.lstm_forward(x, a0, p)[0]


def in_a_thread(fn):
    """fn() on a daemon thread: (thread, box), box["value"] or box["error"] once it ends."""
    box: dict = {}

    def body():
        try:
            box["value"] = fn()
        except BaseException as error:                            # noqa: BLE001 - reported by the test
            box["error"] = error

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, box


def fork_child(body, meanwhile=None) -> bytes:
    """body() -> bytes in a forked child (os.fork, as multiprocessing's 'fork' start method); its answer here, after
    ``meanwhile()`` (if given) has run here."""
    read, write = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)      # (fork with threads: the child runs no other code)
        pid = os.fork()
    if pid == 0:
        answer = b"error"
        try:
            os.close(read)
            answer = body()
        except BaseException as error:                            # noqa: BLE001
            answer = f"error {type(error).__name__}: {error}".encode()
        finally:
            os.write(write, answer)
            os._exit(0)
    os.close(write)
    if meanwhile is not None:
        meanwhile()
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return b"".join(chunks)


def the_next_call_ends_with_the_references_numbers(own_twin, case, expected) -> None:
    """After an interrupt: the next call, on a thread, ends within HANG seconds with the reference's numbers (a hung
    call is released by killing the twin, if one is left, so that the test ends)."""
    pid = getattr(own_twin._proc, "pid", None)                    # (None: the interrupt stopped it already)
    thread, box = in_a_thread(lambda: forward_backward(*case))
    thread.join(HANG)
    hung = thread.is_alive()
    if hung and pid:
        with contextlib.suppress(ProcessLookupError):             # (our own twin: the call gets EOF and ends)
            os.kill(pid, signal.SIGKILL)
        thread.join(HANG)
    assert not hung, f"the call after an interrupt still waits after {HANG} s"
    assert "error" not in box, box.get("error")
    assert differences(expected, box["value"]) == []


# --- fork (multiprocessing's default start method on Linux up to Python 3.13) -------------------------------


@KINDS
def test_a_forked_child_gets_its_own_gradients_not_stale_ones_from_its_parents_kept_buffers(
        monkeypatch, own_twin, lanes_at_every_size, kind):
    """The parent's backward keeps its buffers per shape in a shared block (_KEPT, per thread). A forked child
    inherits them, marked shared, though its BLOCKS forgot their block: with its own twin, the child lends them by
    VALUE (a pickled copy), the twin writes lane 1's dz and weight part into that copy, and the child reads lane 1's
    rows left over from its parent's last call. Without a twin, the child would write into its parent's memory
    (MAP_SHARED): the parent's kept buffers must not change either way."""
    mine, theirs = course_case(np.random.default_rng(20), 4, 5, 40, 9, kind), course_case(np.random.default_rng(21), 4, 5, 40, 9, kind)
    expected = reference(monkeypatch, theirs)                     # (before the parent's shared buffers exist)
    forward_backward(*mine)                                       # the parent: kept buffers in a shared block
    assert own_twin.jobs == 2                                     # (a forward's job and a backward's)
    kept = [v for g in LANES[kind]._kept._local.by_shape.values() for v in vars(g).values() if isinstance(v, np.ndarray)]
    snapshot = [np.array(v) for v in kept]

    def child() -> bytes:
        own_twin.ready(timeout=60)
        jobs = own_twin.jobs
        got = forward_backward(*theirs)
        ran_there = own_twin.jobs - jobs
        own_twin.close()
        return f"{ran_there} {','.join(differences(expected, got))}".encode()

    ran_there, _, wrong = fork_child(child).decode().partition(" ")
    assert wrong == "", f"a forked child's gradients are wrong: {wrong} (jobs its twin ran: {ran_there})"
    assert all(np.array_equal(u, v) for u, v in zip(snapshot, kept)), "the child wrote into its parent's kept buffers"


def test_a_parents_next_call_leaves_a_forked_childs_caches_alone(monkeypatch, own_twin, lanes_at_every_size):
    """fork gives the child a snapshot of its parent's memory; a shared block is not copied on write. The parent
    drops its caches and calls again: the block is free here, taken again, and the child's caches change."""
    first, second = course_case(np.random.default_rng(22), 4, 5, 40, 9), course_case(np.random.default_rng(23), 4, 5, 40, 9)
    expected = reference(monkeypatch, first)
    held = [sc.lstm_forward(first[0], first[1], first[3])]
    caches = held[0][3]
    snapshot = [np.array(v) for v in caches[0][3][:-1]]
    go, wait = os.pipe()

    def child() -> bytes:
        os.read(go, 1)                                            # the parent's next call has run
        same = all(np.array_equal(u, np.asarray(v)) for u, v in zip(snapshot, caches[0][3][:-1]))
        with monkeypatch.context() as patch:
            patch.setenv("SHAPECHECK_TWIN", "0")
            grads = sc.lstm_backward(first[2], caches)
        wrong = [k for k in grads if not np.array_equal(grads[k], expected[k])]
        return f"{same} {','.join(wrong)}".encode()

    def parent() -> None:
        nonlocal caches
        held.clear()                                              # the parent is done with its caches
        caches = None
        sc.lstm_forward(second[0], second[1], second[3])          # and goes on at the same shape
        os.write(wait, b"1")

    answer = fork_child(child, meanwhile=parent).decode()
    for fd in (go, wait):
        os.close(fd)
    same, _, wrong = answer.partition(" ")
    assert same == "True", f"the child's inherited caches changed under it ({answer})"
    assert wrong == "", f"the child's backward of its inherited caches is wrong: {wrong}"


# --- signals left unread --------------------------------------------------------------------------------------

ENDED_EARLY = 1000               # calls whose twin's lane ends early: some 280 filled the signals' socket here


@KINDS
def test_the_signals_of_jobs_that_ended_early_never_fill_their_socket(monkeypatch, own_twin, lanes_at_every_size, kind):
    """inf - inf in the twin's lane at every call, under numpy's default warnings: its job ends early ("redo") and
    the lane is made here. Each such job left a signal unread: this side's PASSED in the twin's socket (a pass with
    parts), the twin's ABORT in ours (the LSTM's forward, lanes alone). Some 280 calls filled a socket: the next
    PASSED's send blocked for ever (the twin waited for a job meanwhile), or the twin's ABORT did and this side
    waited WAIT_LIMIT seconds, then never used the twin again (found by the attack of stop 25)."""
    monkeypatch.setattr(twin, "WAIT_LIMIT", 2.0)
    x, a0, da, p = course_case(np.random.default_rng(96), 3, 4, 8, 3, kind)
    forward_, backward = (sc.rnn_forward, sc.rnn_backward) if kind == "rnn" else (sc.lstm_forward, sc.lstm_backward)
    caches = forward_(x, a0, p)[-1]
    x[:, -1, 0] = np.inf                                          # the last example: the twin's lane
    da[:, -1] = np.inf
    da[0, -1] = -np.inf
    done = own_twin.jobs

    def calls() -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for _ in range(ENDED_EARLY):
                forward_(x, a0, p)
                backward(da, caches)
        return own_twin.jobs

    thread, box = in_a_thread(calls)
    thread.join(60)
    hung = thread.is_alive()
    if hung:
        os.kill(own_twin._proc.pid, signal.SIGKILL)               # (released: this side's send ends in EPIPE)
        thread.join(HANG)
    assert not hung, "a signal's send blocked"
    assert "error" not in box, box.get("error")
    assert not own_twin._failed, "the twin was given up"
    assert box["value"] == done                                   # (every job ended early: the attack held)


# --- a twin that hangs ---------------------------------------------------------------------------------------


def test_a_twin_that_hangs_costs_time_not_a_hang(monkeypatch, own_twin, lanes_at_every_size):
    """A twin that never answers (stopped, swapped out, stuck): wait() reads its socket with no deadline."""
    case = course_case(np.random.default_rng(24), 4, 5, 40, 9)
    expected = reference(monkeypatch, case)
    pid = own_twin._proc.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        thread, box = in_a_thread(lambda: forward_backward(*case))
        thread.join(HANG)
        hung = thread.is_alive()
    finally:
        with contextlib.suppress(ProcessLookupError):             # (our own twin: the call, if hung, gets EOF and ends)
            os.kill(pid, signal.SIGKILL)
        thread.join(HANG)
    assert not hung, f"lstm_forward still waits for a stopped twin after {HANG} s"
    assert "error" not in box, box.get("error")
    assert differences(expected, box["value"]) == []


# --- KeyboardInterrupt inside the protocol -------------------------------------------------------------------


def test_an_interrupt_between_a_replys_length_and_its_pickle_does_not_hang_the_next_call(
        monkeypatch, own_twin, lanes_at_every_size):
    """A Ctrl-C after _recv read a reply's 8-byte length but before its pickle: settle() then reads the pickle's
    first bytes as a length (about 1.7 GB) and waits for them forever (the twin waits for its next job)."""
    case = course_case(np.random.default_rng(25), 4, 5, 40, 9)
    expected = reference(monkeypatch, case)
    real, calls = twin._recv_exactly, []

    def interrupted_once(sock, n):
        calls.append(n)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(sock, n)

    monkeypatch.setattr(twin, "_recv_exactly", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        sc.lstm_forward(case[0], case[1], case[3])
    the_next_call_ends_with_the_references_numbers(own_twin, case, expected)


def test_an_interrupt_right_after_a_reply_is_read_does_not_hang_the_next_call(monkeypatch, own_twin, lanes_at_every_size):
    """A Ctrl-C after _recv returned the reply but before wait() clears _pending: the next call's settle() waits for
    an answer to a job the twin has already answered, and the twin waits for a job: both wait forever."""
    case = course_case(np.random.default_rng(28), 4, 5, 40, 9)
    expected = reference(monkeypatch, case)
    real, calls = twin._recv, []

    def interrupted_after_once(sock):
        message = real(sock)
        calls.append(message)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return message

    monkeypatch.setattr(twin, "_recv", interrupted_after_once)
    with pytest.raises(KeyboardInterrupt):
        sc.lstm_forward(case[0], case[1], case[3])
    the_next_call_ends_with_the_references_numbers(own_twin, case, expected)


def test_an_interrupt_right_after_a_job_is_sent_does_not_make_its_answer_the_next_calls(
        monkeypatch, own_twin, lanes_at_every_size):
    """A Ctrl-C after _send but before submit() marks the job pending: the next call does not settle it, and takes
    its answer for its own job's, returning before the twin has written its lane (here the twin is slow: stopped)."""
    first, second = course_case(np.random.default_rng(26), 4, 5, 40, 9), course_case(np.random.default_rng(27), 4, 5, 40, 9)
    expected = reference(monkeypatch, second)["a"]

    class InterruptedOnce(set):
        armed = True

        def update(self, *args):
            if InterruptedOnce.armed:
                InterruptedOnce.armed = False
                raise KeyboardInterrupt
            return super().update(*args)

    own_twin._known = InterruptedOnce(own_twin._known)
    with pytest.raises(KeyboardInterrupt):
        sc.lstm_forward(first[0], first[1], first[3])
    assert select.select([own_twin._sock], [], [], HANG)[0]       # the twin has answered the interrupted job
    pid = own_twin._proc.pid
    os.kill(pid, signal.SIGSTOP)                                  # and is slow from now on
    try:
        thread, box = in_a_thread(lambda: forward(second))
        thread.join(1.0)                                          # a call that waits for its own answer is still here
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
    thread.join(HANG)
    assert not thread.is_alive() and "error" not in box, box.get("error")
    np.testing.assert_array_equal(box["value"], expected)


# --- promises that held when this file was written (real attacks: each could fail) -----------------------------


@KINDS
def test_caches_kept_across_many_calls_keep_their_values_and_their_gradients(monkeypatch, own_twin, lanes_at_every_size,
                                                                            kind):
    """Twenty forwards over four inputs, every cache kept (more than shared_blocks.LIMIT blocks), then every backward:
    no later call may write into a kept tape, whichever block or private buffer it got."""
    cases = [course_case(np.random.default_rng(30 + i), 4, 5, 40, 9, kind) for i in range(4)]
    expected = [reference(monkeypatch, case) for case in cases]
    kept = []
    for n in range(20):
        x, a0, da, p = cases[n % 4]
        caches = sc.rnn_forward(x, a0, p)[2] if kind == "rnn" else sc.lstm_forward(x, a0, p)[3]
        kept.append((n % 4, caches, [np.array(v) for v in caches[0][4][:-1]]))
    assert own_twin.jobs >= 4
    for i, caches, snapshot in kept:
        assert all(np.array_equal(u, v) for u, v in zip(snapshot, caches[0][4][:-1]))
        backward = sc.rnn_backward if kind == "rnn" else sc.lstm_backward
        grads = backward(cases[i][2], caches)
        assert differences({k: expected[i][k] for k in grads}, grads) == []


@KINDS
def test_three_threads_at_once_get_their_own_numbers(monkeypatch, own_twin, lanes_at_every_size, kind):
    """One thread holds the twin, the others run both lanes in private memory, each with its own kept buffers."""
    cases = [course_case(np.random.default_rng(40 + i), 4, 5, 40, 9, kind) for i in range(3)]
    expected = [reference(monkeypatch, case) for case in cases]
    wrong = []

    def work(k):
        for n in range(8):
            i = (k + n) % 3
            wrong.extend((k, n, key) for key in differences(expected[i], forward_backward(*cases[i])))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert own_twin.jobs > 0 and wrong == []


@KINDS
def test_mutating_every_returned_array_changes_no_later_number(monkeypatch, own_twin, lanes_at_every_size, kind):
    """a, y, c and the gradients are the caller's own: writing into them (and into x after the call) must not reach
    the tape a later backward reads, nor the kept buffers the next call's gradients come from."""
    case = course_case(np.random.default_rng(50), 4, 5, 40, 9, kind)
    expected = reference(monkeypatch, case)
    x, a0, da, p = case
    if kind == "rnn":
        a, y, caches = sc.rnn_forward(x, a0, p)
        outputs = [a, y]
    else:
        a, y, c, caches = sc.lstm_forward(x, a0, p)
        outputs = [a, y, c]
    for array in outputs:
        array[...] = 7.0
    backward = sc.rnn_backward if kind == "rnn" else sc.lstm_backward
    grads = backward(da, caches)
    assert differences({k: expected[k] for k in grads}, grads) == []
    for array in grads.values():
        array[...] = -3.0
    assert differences({k: expected[k] for k in grads}, backward(da, caches)) == []


# --- numpy's floating-point error state -----------------------------------------------------------------------


@KINDS
@pytest.mark.parametrize("how", ["raise", "warn"])
def test_a_bad_value_in_the_second_lane_is_reported_as_in_the_first(monkeypatch, own_twin, lanes_at_every_size,
                                                                     kind, how):
    """np.seterr(all="raise") (hunting a NaN) or the default warning, and an inf in the last example at the last
    step (the twin's lane and weights part). Both lanes here raise FloatingPointError (or warn "invalid value
    encountered"); the twin runs under its own default error state, its warnings go to /dev/null: the same call
    returns NaNs in silence."""
    x, a0, da, p = course_case(np.random.default_rng(60), 4, 5, 40, 9, kind)
    x[:, -1, -1] = np.inf                                          # the last example (lane 1), the last step (part 1)

    def outcome():
        with np.errstate(all=how), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                forward_backward(x, a0, da, p)
                raised = None
            except FloatingPointError as error:
                raised = str(error)
        return raised, sorted({str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)})

    with monkeypatch.context() as patch:
        patch.setenv("SHAPECHECK_TWIN", "0")
        here = outcome()
    sent, real = [], own_twin.submit
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: sent.append(job) or real(job, *a))
    there = outcome()
    assert bool(sent) == (how == "warn")                          # (the twin was asked; no lanes where errors raise)
    assert here[0] is not None or here[1], "the attack needs an error or a warning here"
    assert there == here


@pytest.mark.parametrize("under", ["ignore", "raise"])
def test_an_underflow_in_the_twins_half_of_the_outputs_is_what_it_is_here(monkeypatch, own_twin, lanes_at_every_size,
                                                                          under):
    """Logits far apart: softmax's exp underflows to 0 in ŷ's half that the twin makes (the earlier steps). numpy
    ignores underflow by default, and so does the twin then: the same bits in silence, made there, and the twin
    kept; under np.seterr(under="raise") no lanes (as where any error raises): the same FloatingPointError."""
    x, a0, da, p = course_case(np.random.default_rng(61), 4, 5, 40, 9, "rnn")
    p["Wya"] = p["Wya"] * 1e3

    def outcome():
        with np.errstate(under=under), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return forward_backward(x, a0, da, p), [str(w.message) for w in caught]
            except FloatingPointError as error:
                return str(error), [str(w.message) for w in caught]

    with monkeypatch.context() as patch:
        patch.setenv("SHAPECHECK_TWIN", "0")
        here = outcome()
    sent, real = [], own_twin.submit
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: sent.append(job) or real(job, *a))
    done = own_twin.jobs
    there = outcome()
    assert sent[:1] == (["rnn_forward"] if under == "ignore" else [])   # (no lanes where an error raises)
    assert own_twin.jobs - done == (2 if under == "ignore" else 0)
    if under == "raise":
        assert here == there and "underflow" in here[0]
    else:
        assert (here[0]["y"] == 0).any(), "the attack needs an underflow"
        assert own_twin.ready()
        assert here[1] == there[1] == []
        for key, value in here[0].items():
            np.testing.assert_array_equal(there[0][key], value, err_msg=key)


def test_errors_in_both_halves_of_the_outputs_come_in_the_twins_order_here_too(monkeypatch, own_twin,
                                                                              lanes_at_every_size):
    """Logits of ±1e305 at the earlier steps (softmax's exp underflows: the twin's half of ŷ) and of ±1e308 at the
    later ones (z - max overflows: this process's half). Under np.seterr(all="raise") the FloatingPointError is the
    one without lanes (the whole subtract before any exp), with the twin, and with both lanes here; under "warn" the
    warnings come in the same order with the twin as here (both halves made here: part 0 first, as with the twin)."""
    m, T_x = 4, 4
    x = np.full((1, m, T_x), 1e-3)
    x[:, :, T_x // 2:] = 100.0                                    # a = tanh(100) = 1: logits ±1e308 later on
    p = {"Wax": np.ones((1, 1)), "Waa": np.zeros((1, 1)), "ba": np.zeros((1, 1)),
         "Wya": np.array([[1e308], [-1e308]]), "by": np.zeros((2, 1))}
    a0 = np.zeros((1, m))

    def outcome(how):
        with np.errstate(all=how), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sc.rnn_forward(x, a0, p)
                raised = None
            except FloatingPointError as error:
                raised = str(error)
        return raised, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]

    for how in ("raise", "warn"):
        with monkeypatch.context() as patch:
            patch.setenv("SHAPECHECK_TWIN", "0")
            here = outcome(how)
            patch.setattr(lanes, "LANE_EXAMPLES", 10**9)
            without = outcome(how)
        sent, real = [], own_twin.submit
        with monkeypatch.context() as patch:
            patch.setattr(own_twin, "submit", lambda job, *a: sent.append(job) or real(job, *a))
            there = outcome(how)
        assert sent == (["rnn_forward"] if how == "warn" else [])    # (no lanes where an error raises)
        if how == "raise":
            assert here[0] == there[0] == without[0] == "overflow encountered in subtract"
        else:
            assert {"overflow encountered in subtract", "underflow encountered in exp"} <= set(here[1])
            assert there == here
        if own_twin._failed:
            own_twin.close()
        assert own_twin.ready(timeout=60)                             # (a raise here while it worked stopped it)


@pytest.mark.parametrize("twin_", ["twin", "no twin"])
@pytest.mark.parametrize("where", ["lanes", "outputs"])
def test_under_seterr_raise_the_error_raised_is_the_one_without_lanes(monkeypatch, own_twin, lanes_at_every_size,
                                                                      twin_, where):
    """Without lanes each operation runs over every example before the next; in lanes, lane 0 ran first, and ŷ's
    part 0 (the later steps) before part 1. So under np.seterr(all="raise") lanes raised lane 0's first error, not
    the whole operation's: an overflow in the add of lane 0's examples (Wax·x + ba) against one in the product of
    lane 1's before it, and ("outputs", the test above's layout reversed) an underflow of exp at the later steps
    against an overflow of the subtract at the earlier ones (found by the attack of stop 25). Where an error raises,
    no lanes now: the error is the one without lanes, twin or not."""
    m, T_x = 4, 4
    x = np.full((1, m, T_x), 1e-3)
    p = {"Wax": np.ones((1, 1)), "Waa": np.zeros((1, 1)), "ba": np.zeros((1, 1)),
         "Wya": np.array([[1e308], [-1e308]]), "by": np.zeros((2, 1))}
    if where == "outputs":
        x[:, :, : T_x // 2] = 100.0                               # a = tanh(100) = 1: logits ±1e308 early on
        first = "overflow encountered in subtract"
    else:
        x[:, m // 2:] = 1e300                                     # lane 1: Wax·x overflows in the product
        x[:, : m // 2] = 1.0                                      # lane 0: Wax·x + ba overflows in the add
        p |= {"Wax": np.array([[1e308]]), "ba": np.array([[1e308]]), "Wya": np.ones((2, 1))}
        first = "overflow encountered in matmul"
    a0 = np.zeros((1, m))

    def raised() -> str | None:
        with np.errstate(all="raise"):
            try:
                sc.rnn_forward(x, a0, p)
            except FloatingPointError as error:
                return str(error)
        return None

    if twin_ == "no twin":
        monkeypatch.setenv("SHAPECHECK_TWIN", "0")
    here = raised()
    monkeypatch.setattr(lanes, "LANE_EXAMPLES", 10**9)
    without = raised()
    assert without == first
    assert here == without


@KINDS
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")         # (np.matrix's own)
@pytest.mark.parametrize("key", ["W", "by"])
@pytest.mark.parametrize("subclass", ["matrix", "masked"])
def test_an_ndarray_subclass_for_the_output_weights_gives_the_numbers_of_a_plain_array(
        monkeypatch, own_twin, lanes_at_every_size, kind, key, subclass):
    """Wya (Wy) or by as an np.matrix, or as a masked array that hides nothing: ŷ was the softmax of the subclass's
    own arithmetic without lanes (a TypeError from matrix.max, a masked softmax) and of the plain data in the RNN's
    lanes (copied into a shared block). Every path now gives a plain array's numbers, as x and the other weights
    always did. (A masked array that hides entries is refused: the next test.)"""
    x, a0, da, p = course_case(np.random.default_rng(62), 4, 5, 40, 3, kind)
    name = ("Wya" if kind == "rnn" else "Wy") if key == "W" else "by"
    plain = forward_backward(x, a0, da, p)
    odd = np.matrix(p[name]) if subclass == "matrix" else np.ma.array(p[name], mask=np.zeros(p[name].shape, bool))
    q = p | {name: odd}
    with monkeypatch.context() as patch:
        patch.setenv("SHAPECHECK_TWIN", "0")
        here = forward_backward(x, a0, da, q)
        patch.setattr(lanes, "LANE_EXAMPLES", 10**9)
        without = forward_backward(x, a0, da, q)
        plain_without = forward_backward(x, a0, da, p)
    there = forward_backward(x, a0, da, q)
    for key_, value in plain.items():
        assert type(here[key_]) is type(there[key_]) is type(without[key_]) is np.ndarray, key_
        np.testing.assert_array_equal(here[key_], value, err_msg=key_)
        np.testing.assert_array_equal(there[key_], value, err_msg=key_)
        np.testing.assert_array_equal(without[key_], plain_without[key_], err_msg=key_)


@KINDS
@pytest.mark.parametrize("name", ["x", "a0", "W", "by"])
def test_a_masked_array_that_hides_entries_is_refused_on_every_path(monkeypatch, own_twin, lanes_at_every_size, kind,
                                                                    name):
    """A masked array with masked entries (a student masking padded steps, say) had its mask ignored without a word,
    or brought its own arithmetic to ŷ: the course's equations use every entry. One clear line, before any lane,
    with or without the twin and without lanes; the caller's array untouched."""
    from shapecheck.core.errors import ShapecheckError

    x, a0, da, p = course_case(np.random.default_rng(63), 4, 5, 40, 3, kind)
    key = {"W": "Wya" if kind == "rnn" else "Wy"}.get(name, name)
    args = {"x": x, "a0": a0} | p
    hidden = np.zeros(args[key].shape, bool)
    hidden.flat[::2] = True
    args[key] = np.ma.array(args[key], mask=hidden)
    before = args[key].copy()
    messages = set()
    for twin_on, lanes_from in (("1", 1), ("0", 1), ("1", 10**9)):
        with monkeypatch.context() as patch:
            patch.setenv("SHAPECHECK_TWIN", twin_on)
            patch.setattr(lanes, "LANE_EXAMPLES", lanes_from)
            with pytest.raises(ShapecheckError) as caught:
                forward_backward(args["x"], args["a0"], da, {k: v for k, v in args.items() if k not in ("x", "a0")})
        assert caught.value.message_id == "rnn.masked"
        messages.add(str(caught.value))
    (message,) = messages
    assert f"{int(hidden.sum())} of its {hidden.size} entries masked" in message and ".filled(0)" in message
    assert key in message and "\n" not in message
    np.testing.assert_array_equal(args[key].data, before.data)
    np.testing.assert_array_equal(args[key].mask, before.mask)


@pytest.mark.parametrize("twin_on", ["1", "0"])
def test_the_caches_of_a_forward_keep_no_second_copy_of_its_outputs(monkeypatch, own_twin, lanes_at_every_size,
                                                                     twin_on):
    """ŷ is made in the lanes' memory and handed to the caller as a copy; the caches keep the tape (x, a⟨t⟩) for the
    backward, and must not keep ŷ's buffer too (n_y·T_x·m more per forward kept alive: with a vocabulary of
    10 000 words as n_y, a hundred times the tape). The memory the caches keep does not grow with n_y."""
    monkeypatch.setenv("SHAPECHECK_TWIN", twin_on)
    rng = np.random.default_rng(63)
    sent, real = [], own_twin.submit
    monkeypatch.setattr(own_twin, "submit", lambda job, *a: sent.append(job) or real(job, *a))
    kept = []
    for n_y in (3, 300):
        x, a0, _, p = course_case(rng, 4, 5, 40, 9, "rnn")
        p |= {"Wya": rng.normal(size=(n_y, 5)), "by": rng.normal(size=(n_y, 1))}
        _, y, caches = sc.rnn_forward(x, a0, p)
        assert y.shape == (n_y, 40, 9)
        kept.append(caches[0].tape.H.base.nbytes)                   # (the one allocation behind the tape)
    assert sent == (["rnn_forward"] * 2 if twin_on == "1" else [])
    assert kept[1] == kept[0]


# --- a twin that died, in a process whose SIGPIPE is the default -----------------------------------------------


SIGPIPE_SCRIPT = """
import signal
signal.signal(signal.SIGPIPE, signal.SIG_DFL)          # the idiom of a script piped into head
import numpy as np
import shapecheck as sc
from shapecheck.engine import lanes, twin
lanes.LANE_EXAMPLES, lanes.LANES_WORTH = 1, 0
twin.TWIN._calm = lambda: True
assert twin.TWIN.ready(timeout=60)
twin.TWIN._proc.kill()                                  # the twin dies (the OOM killer, a stray kill)
twin.TWIN._proc.wait()
rng = np.random.default_rng(0)
p = {f"W{g}": rng.normal(size=(5, 9)) for g in "fico"} | {f"b{g}": np.zeros((5, 1)) for g in "fico"}
a = sc.lstm_forward(rng.normal(size=(4, 40, 9)), rng.normal(size=(5, 40)), p | {"Wy": np.ones((2, 5)), "by": np.zeros((2, 1))})[0]
print("returned", a.shape)
"""


def test_a_twin_that_died_does_not_kill_a_process_whose_sigpipe_is_the_default(tmp_path):
    """Writing to the socket of a dead twin raises SIGPIPE; Python ignores it unless the script restored the
    default (or an embedding host did): then the next lstm_forward kills the caller silently, exit 141. The
    messages should be sent with MSG_NOSIGNAL (an EPIPE, a TwinFailed, the lane run here)."""
    import subprocess
    import sys

    script = tmp_path / "sigpipe.py"
    script.write_text(SIGPIPE_SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and "returned (5, 40, 9)" in done.stdout, (done.returncode, done.stderr[-500:])


# --- a process with many files open ------------------------------------------------------------------------------


def test_a_process_with_more_than_1024_files_open_still_gets_its_numbers(monkeypatch, lanes_at_every_size):
    """select.select refuses a descriptor past FD_SETSIZE (1024) with ValueError, which Twin.ready does not catch:
    in a process with many files or sockets open (a server, a data loader), the twin's socket lands past 1024 and
    every lstm_forward at the bar's size raises "filedescriptor out of range in select()". select.poll has no
    such limit (_spin_until_readable uses it already)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("this machine allows fewer than 1200 open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = []
    try:
        while not held or held[-1] < 1030:
            held.append(os.open(os.devnull, os.O_RDONLY))
        mine = twin.Twin()
        for module in (lstm_lanes, rnn_lanes, lanes):
            monkeypatch.setattr(module, "TWIN", mine)
        monkeypatch.setattr(mine, "_calm", lambda: True)
        case = course_case(np.random.default_rng(70), 4, 5, 40, 9)
        expected = reference(monkeypatch, case)
        try:
            got = [forward_backward(*case) for _ in range(2)]
            mine.ready(timeout=60)
            got.append(forward_backward(*case))
        finally:
            mine.close()
        assert all(differences(expected, g) == [] for g in got)
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# --- memory -----------------------------------------------------------------------------------------------------


def resident_mb(pid="self") -> float:
    """A process's resident shared memory (the shared blocks' pages), in MB: the private heap's is left out, since
    whether glibc gives a freed array back depends on what ran before (its threshold grows with the blocks freed:
    22 of 86 MB stayed in CI's order, none in the test's own)."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssShmem:")) / 1024


def test_a_dropped_tape_gives_its_memory_back(monkeypatch, own_twin):
    """A student's one big forward, then `del caches`: with private memory numpy returns the tape's pages at once;
    a shared block stayed mapped until a block of another size was made, however big it was, and in the twin until
    its next job, which may never come. (Low severity: a one-off big run pins its memory in a notebook with little
    RAM.) Both give it back now, the twin within moments."""
    import gc
    import time

    x, a0, _, p = course_case(np.random.default_rng(80), 64, 128, 128, 100)   # a tape of about 90 MB
    gc.collect()
    before, there = resident_mb(), resident_mb(own_twin._proc.pid)
    jobs = own_twin.jobs
    a, y, c, caches = sc.lstm_forward(x, a0, p)
    assert own_twin.jobs > jobs                                   # (lanes, the twin's)
    held, held_there = resident_mb() - before, resident_mb(own_twin._proc.pid) - there
    del a, y, c, caches
    gc.collect()
    kept = resident_mb() - before
    assert held > 40 and held_there > 10
    assert kept < 0.25 * held, f"{kept:.0f} of the tape's {held:.0f} MB stay resident after del"
    deadline = time.monotonic() + 10
    while (kept_there := resident_mb(own_twin._proc.pid) - there) >= 0.25 * held_there and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kept_there < 0.25 * held_there, f"{kept_there:.0f} of {held_there:.0f} MB stay resident in the twin"


def test_an_interrupt_while_the_twin_is_told_of_a_dropped_block_stops_it_before_the_next_job(monkeypatch, own_twin,
                                                                                             lanes_at_every_size):
    """Twin.forget runs from a block's finalizer, at any moment: a Ctrl-C within its send leaves half a message on
    the twin's socket. The next call stops that twin (a new one starts later) and its numbers are the reference's."""
    case = course_case(np.random.default_rng(96), 4, 5, 40, 9, "rnn")
    expected = reference(monkeypatch, case)
    real = twin._send

    def half_then_interrupt(sock, message, fds=()):
        if message[3] is None:                                    # forget's message: a few bytes of it, then Ctrl-C
            sock.sendall(b"\x40\x00", socket.MSG_NOSIGNAL)
            raise KeyboardInterrupt
        return real(sock, message, fds)

    monkeypatch.setattr(twin, "_send", half_then_interrupt)
    monkeypatch.setattr(shared_blocks, "FORGOTTEN", [12345])
    proc = own_twin._proc
    with contextlib.suppress(KeyboardInterrupt):
        own_twin.forget()
    monkeypatch.setattr(twin, "_send", real)
    thread, box = in_a_thread(lambda: forward_backward(*case))
    thread.join(HANG)
    hung = thread.is_alive()
    if hung:                                                      # (a twin reading a broken message: unblock it)
        proc.kill()
        thread.join(HANG)
    assert not hung, "the call waited on a twin that read half a message"
    assert differences(expected, box["value"]) == []
    assert proc.poll() is not None                                # (that twin was stopped)


# --- a notebook's kernel ------------------------------------------------------------------------------------------


TWIN_IN_A_CELL = """
import numpy as np, shapecheck as sc
from shapecheck.engine import twin
twin.TWIN._calm = lambda: True                      # (used whatever the machine's load)
assert twin.TWIN.ready(timeout=60)
r = np.random.default_rng(1)
p = {f"W{g}": r.normal(size=(64, 96)) * 0.5 for g in "fico"} | {f"b{g}": np.zeros((64, 1)) for g in "fico"}
a, y, c, caches = sc.lstm_forward(r.normal(size=(32, 64, 50)), r.normal(size=(64, 64)), p | {"Wy": np.ones((3, 64)), "by": np.zeros((3, 1))})
assert twin.TWIN.jobs == 1
print(twin.TWIN._proc.pid)
"""


def _ended(pid: int, seconds: float = 10.0) -> bool:
    """The process is gone (or a zombie: its parent ended and has not been reaped yet) within ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rpartition(")")[2].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_notebook_kernel_restarted_or_shut_down_leaves_no_twin():
    """The kernel restarted at once (killed: no atexit) and then shut down: each time, its twin ends with it."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    import nbformat
    from nbclient import NotebookClient
    from nbclient.util import run_sync

    from notebook_kernel import ROOT

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TWIN_IN_A_CELL) for _ in range(2)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
        first = int(nb.cells[0].outputs[0]["text"])
        run_sync(client.km.restart_kernel)(now=True)
        assert _ended(first), f"twin {first} outlived its kernel's restart"
        client.execute_cell(nb.cells[1], 1)
        second = int(nb.cells[1].outputs[0]["text"])
    assert _ended(second), f"twin {second} outlived its kernel's shutdown"


# --- the caller's arrays, reused after the forward -------------------------------------------------------------


@KINDS
@pytest.mark.parametrize("path", ["lanes", "one lane"])
def test_reusing_a0s_buffer_after_the_forward_changes_no_gradient(monkeypatch, kind, path):
    """Truncated backpropagation keeps one a0 buffer and writes the last state into it for the next chunk. The
    gradients must be the forward's that ran, whichever path: the lanes copy a0 into the tape, the course's RNN on
    one lane (m < 32) keeps the caller's a0 itself as the tape's a⟨0⟩, so dWaa = Σ dz⟨1⟩·a0ᵀ moves with it: the
    two paths then disagree by the whole a0 term (found by this attack; the LSTM copies a0 on both paths)."""
    if path == "lanes":
        monkeypatch.setattr(lanes, "LANE_EXAMPLES", 1)
        monkeypatch.setattr(lanes, "LANES_WORTH", 0)
    else:
        monkeypatch.setattr(lanes, "LANE_EXAMPLES", 10**9)
    monkeypatch.setenv("SHAPECHECK_TWIN", "0")
    x, a0, da, p = course_case(np.random.default_rng(90), 4, 5, 40, 9, kind)
    expected = forward_backward(x, a0, da, p)
    forward_, backward = (sc.rnn_forward, sc.rnn_backward) if kind == "rnn" else (sc.lstm_forward, sc.lstm_backward)
    caches = forward_(x, a0, p)[-1]
    a0 += 1.0                                                     # the caller's buffer, reused
    got = backward(da, caches)
    assert differences({k: expected[k] for k in got}, got) == []


# --- KeyboardInterrupt anywhere else -----------------------------------------------------------------------------

INTERRUPTIBLE = [(twin, "_spin_until_readable"), (twin, "_lend")] + \
    [(twin.Twin, name) for name in ("submit", "wait", "abandon", "take", "release", "ready", "observe", "_calm")] + \
    [(lanes, "run"), (lanes, "run_parts"), (lanes, "shared"), (lanes, "carve")] + \
    [(lstm_lanes, name) for name in ("lstm_forward_lane", "lstm_backward_lane", "lstm_weights_part", "_kept",
                                     "_lane_scratch")] + \
    [(rnn_lanes, name) for name in ("rnn_forward_lane", "rnn_outputs_part", "rnn_backward_lane", "rnn_weights_part",
                                    "_kept", "_states_before")] + \
    [(shared_blocks.Blocks, name) for name in ("carve", "where", "_new", "_drop_free")] + \
    [(shared_blocks.Block, "free")]


@KINDS
def test_an_interrupt_before_or_after_any_other_step_costs_no_number_and_no_hang(monkeypatch, own_twin,
                                                                                 lanes_at_every_size, kind):
    """A KeyboardInterrupt raised before, or right after, the 1st or 2nd call of each function the lanes go through
    (the protocol's _send, _recv and _recv_exactly aside: the tests above), then a clean call: its numbers are
    the reference's, within HANG seconds, and the caches kept from before every interrupt keep theirs."""
    case = course_case(np.random.default_rng(95), 4, 5, 40, 9, kind)
    expected = reference(monkeypatch, case)
    forward_, backward = (sc.rnn_forward, sc.rnn_backward) if kind == "rnn" else (sc.lstm_forward, sc.lstm_backward)
    kept = forward_(case[0], case[1], case[3])[-1]                # caches kept across every attack
    problems = []
    for owner, name in INTERRUPTIBLE:
        real = getattr(owner, name)
        for when in ("before", "after"):
            for nth in (1, 2):
                calls = [0]

                def interrupted(*args, _real=real, _when=when, _nth=nth, _calls=calls, **kwargs):
                    _calls[0] += 1
                    if _when == "before" and _calls[0] == _nth:
                        raise KeyboardInterrupt
                    result = _real(*args, **kwargs)
                    if _when == "after" and _calls[0] == _nth:
                        raise KeyboardInterrupt
                    return result

                with monkeypatch.context() as patch:
                    patch.setattr(owner, name, interrupted)
                    with contextlib.suppress(KeyboardInterrupt):
                        forward_backward(*case)
                thread, box = in_a_thread(lambda: forward_backward(*case))
                thread.join(HANG)
                label = f"{name} {when} #{nth}"
                if thread.is_alive():
                    problems.append(f"{label}: hung")
                    own_twin._proc.kill()
                    thread.join(HANG)
                elif "error" in box:
                    problems.append(f"{label}: {box['error']!r}")
                elif differences(expected, box["value"]):
                    problems.append(f"{label}: wrong {differences(expected, box['value'])}")
                if own_twin._failed:
                    own_twin.close()
                    assert own_twin.ready(timeout=60)
    assert own_twin.jobs > 0
    assert problems == []
    grads = backward(case[2], kept)
    assert differences({k: expected[k] for k in grads}, grads) == []
