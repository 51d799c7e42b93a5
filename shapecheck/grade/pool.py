"""Parallel grading on one machine: N warm grader processes, each diagnosing one submission at a time.

The coordinator (the ``shapecheck grade`` process) starts ``python -m shapecheck.grade.pool FD TARGET``
N times. Each grader imports numpy and the diagnosis once, says it is ready, then takes tasks over its
socket and answers with plain JSON data; the sandbox workers it needs are forked from its template
(task.py, sandbox.py): a grader never runs a student's code itself.
Graders run in their own sessions (Ctrl-C reaches the coordinator, which stops them) and die with the
coordinator (PR_SET_PDEATHSIG), so a killed run leaves no process behind.

Faults of the machinery, per submission: a grader that dies is replaced and the submission retried
once, then recorded as ``error``; one that takes longer than ``wall`` seconds (the diagnosis's own
limits failed to stop it) is killed and recorded as ``timeout``, without a retry.

``python -m shapecheck.grade.pool --one`` grades one task read as JSON on stdin and writes the result
on stdout: how a dask worker keeps each student's code out of its own process (cluster.py).
"""

from __future__ import annotations

import collections
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable

from shapecheck.core.messages import msg

TARGET = "shapecheck.grade.task:grade_one"
STARTUP = 60.0  # seconds for a grader to import numpy and the diagnosis, on a loaded machine
BLAS_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def wall_limit(timeout: float) -> float:
    """How long one diagnosis may take before the coordinator stops it: generous, a backstop only
    (a file whose every function loops takes about 6 time limits; the gallery's worst, 5)."""
    return 120.0 + 40.0 * timeout


def grader_env() -> dict:
    env = dict(os.environ)
    env.update(BLAS_ONE_THREAD)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclass
class _Grader:
    process: subprocess.Popen
    conn: Connection
    log: Path
    ready: bool = False
    key: str | None = None
    since: float = 0.0

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.conn.close()

    def log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:300] if lines else ""


class Pool:
    """``run(tasks, on_result)``: ``tasks`` is a list of (key, payload); ``on_result(key, result)`` is
    called in this process as each finishes, so one writer owns the results folder."""

    def __init__(self, jobs: int, *, target: str = TARGET, wall: float = 240.0, env: dict | None = None) -> None:
        self.jobs = max(1, jobs)
        self.target = target
        self.wall = wall
        self.env = env or grader_env()
        self.logs = tempfile.mkdtemp(prefix="shapecheck-graders-")
        self.graders: list[_Grader] = []
        self.restarts = 0

    def run(self, tasks: list[tuple[str, dict]], on_result: Callable[[str, dict], None]) -> None:
        pending = collections.deque(key for key, _ in tasks)
        payloads = dict(tasks)
        deaths: collections.Counter = collections.Counter()
        try:
            for _ in range(min(self.jobs, len(tasks))):
                self.graders.append(self._start())
            while pending or any(g.key for g in self.graders):
                for grader in self.graders:
                    if grader.ready and grader.key is None and pending:
                        key = pending.popleft()
                        grader.key, grader.since = key, time.monotonic()
                        if not self._send(grader, (key, payloads[key])):
                            continue  # it died: seen below as EOF
                ready = wait([g.conn for g in self.graders], timeout=0.5)
                for grader in list(self.graders):
                    if grader.conn in ready:
                        try:
                            message = grader.conn.recv()
                        except (EOFError, OSError):
                            self._died(grader, pending, deaths, on_result)
                            continue
                        if message == "ready":
                            grader.ready = True
                        else:
                            key, result = message
                            grader.key = None
                            on_result(key, result)
                    elif grader.key and time.monotonic() - grader.since > self.wall:
                        key = grader.key
                        self._replace(grader, bool(pending))
                        on_result(key, {"status": "timeout", "error": msg("grade.wall_timeout", seconds=round(self.wall))})
                    elif not grader.ready and time.monotonic() - grader.since > STARTUP:
                        self._died(grader, pending, deaths, on_result)
        finally:
            self.close()

    def _died(self, grader: _Grader, pending, deaths, on_result) -> None:
        key, tail = grader.key, grader.log_tail()
        self._replace(grader, bool(pending) or key is not None)
        if key is None:
            return
        deaths[key] += 1
        if deaths[key] <= 1:
            pending.appendleft(key)  # once more, in a fresh grader
        else:
            on_result(key, {"status": "error", "error": msg("grade.worker_died", detail=tail or "-")})

    def _replace(self, grader: _Grader, needed: bool) -> None:
        grader.stop()
        self.graders.remove(grader)
        if needed:
            self.restarts += 1
            if self.restarts > 20 + 2 * self.jobs and not any(g.ready for g in self.graders):
                raise RuntimeError(msg("grade.graders_dying", log=grader.log_tail()))
            self.graders.append(self._start())

    def _send(self, grader: _Grader, message) -> bool:
        try:
            grader.conn.send(message)
            return True
        except OSError:
            return False

    def _start(self) -> _Grader:
        ours, theirs = socket.socketpair()
        log = Path(self.logs) / f"grader-{len(os.listdir(self.logs))}.log"
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "shapecheck.grade.pool", str(theirs.fileno()), self.target],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                env=self.env, start_new_session=True)
        theirs.close()
        return _Grader(process, Connection(ours.detach()), log, since=time.monotonic())

    def close(self) -> None:
        for grader in self.graders:
            grader.stop()
        self.graders = []
        import shutil

        shutil.rmtree(self.logs, ignore_errors=True)


def _target(spec: str) -> Callable[[dict], dict]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def die_with_parent() -> None:
    """Linux: this process is killed when its parent dies (a grader killed mid-run leaves no orphan)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the EOF on the socket still ends us
        pass


def main() -> None:
    """A grader: warm up, say ready, grade what comes until the socket closes."""
    for name, value in BLAS_ONE_THREAD.items():
        os.environ.setdefault(name, value)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator decides when we stop
    die_with_parent()
    if sys.argv[1] == "--one":
        from shapecheck.grade.task import grade_one, warm

        warm()
        task = json.loads(sys.stdin.read())
        sys.stdout.write(json.dumps(grade_one(task)))
        return
    conn = Connection(int(sys.argv[1]))
    function = _target(sys.argv[2])
    from shapecheck.grade.task import warm

    warm()
    conn.send("ready")
    while True:
        try:
            key, payload = conn.recv()
        except (EOFError, OSError):
            return
        conn.send((key, function(payload)))


if __name__ == "__main__":
    main()
