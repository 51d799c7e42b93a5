"""The sandbox's wall-clock backstop stops code asleep or stuck, never code the load merely slowed down.

On a loaded machine a worker gets a small share of a core, so its own CPU-time limit stops an endless
loop only after many wall seconds; had the backstop fired first, the report lost the loop's line, and a
student's report (and a class's grades) depended on the machine's load. tests/test_grade_resume.py
compares two gradings of such a loop byte for byte.
"""

import socket
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

from shapecheck.diagnosis import sandbox
from shapecheck.diagnosis.sandbox import _Worker, cpu_state


def waiting(computing: bool, reply_after: float | None):
    """A worker stand-in: its socket answers after ``reply_after`` s (never: None); ``computing`` as read from /proc."""
    ours, theirs = socket.socketpair()
    timer = threading.Timer(reply_after if reply_after is not None else 1e6, lambda: theirs.sendall(b"x"))
    if reply_after is not None:
        timer.start()

    def close():
        timer.cancel()
        timer.join() if timer.is_alive() else None
        ours.close()
        theirs.close()

    return SimpleNamespace(sock=ours, pid=None, _computing=lambda cpu: computing, close=close)


def test_a_worker_still_computing_within_its_cpu_time_is_waited_for_past_the_hard_limit():
    worker = waiting(computing=True, reply_after=0.4)
    assert _Worker._answers_within(worker, 0.1, cpu=1.0)
    worker.close()


def test_one_asleep_or_past_its_cpu_time_is_stopped_at_the_hard_limit():
    # (the reply would come at 30 s: False says it was not waited for; no timing in the assertion)
    worker = waiting(computing=False, reply_after=30)
    assert not _Worker._answers_within(worker, 0.1, cpu=1.0)
    worker.close()
    # without a CPU-time limit (start-up, setup) the limit is the limit
    worker = waiting(computing=True, reply_after=30)
    assert not _Worker._answers_within(worker, 0.1, cpu=None)
    worker.close()


def test_a_starved_worker_is_stopped_at_the_starvation_cap(monkeypatch):
    monkeypatch.setattr(sandbox, "STARVED", 3)
    monkeypatch.setattr(sandbox, "GRACE", 0.05)
    worker = waiting(computing=True, reply_after=30)
    start = time.monotonic()
    assert not _Worker._answers_within(worker, 0.1, cpu=1.0)
    assert time.monotonic() - start >= 0.3 - 0.01  # past the hard limit, up to 3 of them (a lower bound only)
    worker.close()


def test_the_state_read_from_proc_tells_a_loop_from_a_sleep():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    asleep = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        deadline = time.monotonic() + 60  # a loaded machine starts python slowly: wait for both to settle
        while (cpu_state(busy.pid)[1] == 0 or cpu_state(asleep.pid)[0] != "S") and time.monotonic() < deadline:
            time.sleep(0.05)
        state, cpu = cpu_state(busy.pid)
        assert state == "R" and cpu > 0
        assert cpu_state(asleep.pid)[0] == "S"
        worker = SimpleNamespace(pid=busy.pid)
        assert _Worker._computing(worker, cpu=30.0) and not _Worker._computing(worker, cpu=-sandbox.GRACE)
        assert not _Worker._computing(SimpleNamespace(pid=asleep.pid), cpu=30.0)
    finally:
        busy.kill()
        asleep.kill()
        busy.wait()
        asleep.wait()
    assert cpu_state(busy.pid) is None  # gone: nothing to wait for
