"""Student code runs in another process: its loops, exits, crashes and allocations stay there.

``Sandbox`` keeps one worker process for a student file: it loads the file statement by statement
(a statement that raises, exits or loops is a finding, and the rest still loads), then calls
functions one at a time under a time limit. A worker that does not answer in time is killed with its
whole process group and replaced; the statements that hung are skipped on reload.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from shapecheck.diagnosis.source import StudentSource, parse
from shapecheck.diagnosis.worker import Ref

__all__ = ["Sandbox", "Outcome", "Ref"]

GRACE = 1.0  # seconds past the soft limit before the worker is killed
STARTUP = 30.0  # python + numpy start, on a loaded machine


@dataclass
class Outcome:
    status: str  # ok | exception | timeout
    value: Any = None
    handle: int | None = None
    type: str = ""
    message: str = ""
    line: int | None = None  # the student's line
    function: str | None = None
    mutated: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, reply: dict) -> "Outcome":
        known = {k: reply[k] for k in cls.__dataclass_fields__ if k in reply}
        return cls(**known)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Sandbox:
    """``popen`` starts the worker (``subprocess.Popen``'s signature); a grader passes a faster one that forks."""

    def __init__(self, source: StudentSource, timeout: float = 3.0, memory_mb: int = 2048, popen=None) -> None:
        self.source = source
        self.popen = popen or subprocess.Popen
        self.timeout = timeout
        self.memory = memory_mb * 2**20
        self.skip: list[int] = []  # statements that hung the worker: never run again
        self.load_findings: list[dict] = []
        self.defined: list[str] = []
        self.process: subprocess.Popen | None = None
        self.conn: Connection | None = None
        self.scratch = tempfile.mkdtemp(prefix="shapecheck-student-")
        self.restarts = 0
        self.loaded = False

    def __enter__(self) -> "Sandbox":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the worker's life ---
    def start(self) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        # one BLAS thread: the machine's cores belong to the checker, and results stay deterministic
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
        log = open(os.path.join(self.scratch, "output.txt"), "ab")
        self.process = self.popen(
            [sys.executable, "-m", "shapecheck.diagnosis.worker", str(child.fileno()), str(self.memory), str(self.source.path)],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            cwd=self.scratch, env=env, start_new_session=True,
        )
        log.close()
        child.close()
        self.conn = Connection(parent.detach())
        if self._ask("ping", None, STARTUP) is None:
            raise RuntimeError(f"the sandbox worker did not start: {self.output()[-2000:]}")
        first_load = not self.loaded
        for line in self.statements():
            if line in self.skip:
                continue
            reply = self._ask("load", {"code": self.source.code, "line": line, "timeout": self.timeout}, self.timeout + GRACE)
            if reply is None:  # hung past the soft limit (a loop in C code): skip it from now on
                self.skip.append(line)
                if first_load:
                    self.load_findings.append({"status": "timeout", "line": line, "statement": line})
                self.kill()
                return self.start()
            if reply["status"] != "ok" and first_load:
                self.load_findings.append({**reply, "statement": line})
        self.loaded = True
        reply = self._ask("defined", None, STARTUP)
        self.defined = reply["defined"] if reply else []

    def statements(self) -> list[int]:
        """First lines of the top-level statements (a syntax error is a finding; nothing loads)."""
        try:
            return [node.lineno for node in parse(self.source.code).body]
        except SyntaxError as exc:
            if not self.loaded:
                self.load_findings.append({"status": "exception", "type": "SyntaxError", "message": exc.msg,
                                           "line": exc.lineno, "statement": exc.lineno})
            return []

    def kill(self) -> None:
        if self.process:
            try:  # the whole group, even when the worker has exited: the student's children may live on
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
        if self.conn:
            self.conn.close()
        self.conn = None

    def close(self) -> None:
        if self.conn and self.process and self.process.poll() is None:
            try:
                self.conn.send(("exit", None))
                self.process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _ask(self, op: str, payload: dict, limit: float) -> dict | None:
        """Send one request; None when the worker died or did not answer within ``limit`` seconds."""
        try:
            self.conn.send((op, payload))
            if self.conn.poll(limit):
                return self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            pass
        return None

    def _restart(self) -> None:
        self.kill()
        self.restarts += 1
        self.start()

    # --- what the runner uses ---
    def output(self) -> str:
        """What the student's code printed (stdout and stderr), for findings about noisy imports."""
        try:
            with open(os.path.join(self.scratch, "output.txt"), "rb") as f:
                return f.read(200_000).decode("utf-8", "replace")
        except OSError:
            return ""

    def call(self, name: str, args: tuple, arg_names: tuple = (), overrides: dict[str, str] | None = None,
             timeout: float | None = None) -> Outcome:
        limit = timeout or self.timeout
        payload = {"name": name, "args": args, "arg_names": arg_names, "overrides": overrides or {}, "timeout": limit}
        reply = self._ask("call", payload, limit + GRACE)
        if reply is None:
            died = self.process.poll() is not None
            self._restart()
            return Outcome("timeout" if not died else "exception", type="" if not died else "WorkerDied")
        return Outcome.of(reply)

    def numeric(self, kind: str, names: dict[str, str], args: tuple, timeout: float | None = None) -> Outcome:
        limit = (timeout or self.timeout) * 4
        reply = self._ask("numeric", {"kind": kind, "names": names, "args": args, "timeout": limit}, limit + GRACE)
        if reply is None:
            self._restart()
            return Outcome("timeout")
        return Outcome.of(reply)
