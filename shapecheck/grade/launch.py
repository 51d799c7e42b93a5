"""How a grader starts the sandbox's worker: forked from a warm grader, or as a fresh guarded process.

``diagnose`` starts one worker per student file with ``subprocess.Popen([python, -m, worker, ...])``:
Python and numpy start anew every time (~0.2-0.4 s here), again after every restart. A grader process
has imported numpy and the diagnosis already, so ``ForkPopen`` forks it instead: the child takes the
same isolation the subprocess had (its own session, the scratch folder as working directory, only the
socket and the output file open, the worker's memory and time limits) plus the guard (guard.py), then
runs the worker's main loop. ``GuardedPopen`` is the fallback where forking is not safe (a dask worker
has threads; macOS): the same command with the guarded entry point.

Both are ``Popen``-compatible: ``launcher()`` returns one for ``diagnose(..., popen=...)`` and the list of
workers it started, so that ``stop_leftovers`` can afterwards kill any process group a worker left behind
(a student's orphaned children the sandbox no longer knows of).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Callable

WORKER_MODULE = "shapecheck.diagnosis.worker"


def can_fork() -> bool:
    """Forking a process that has imported numpy is safe on Linux with one BLAS thread (set before import)."""
    return sys.platform.startswith("linux") and os.environ.get("OPENBLAS_NUM_THREADS") == "1"


class ForkPopen:
    """``subprocess.Popen`` for the sandbox worker's command, by fork: no new Python, no new numpy."""

    def __init__(self, args, *, pass_fds=(), stdin=None, stdout=None, stderr=None, cwd=None, env=None,
                 start_new_session=False, **_ignored) -> None:
        if list(args[1:3]) != ["-m", WORKER_MODULE]:
            raise ValueError(f"ForkPopen starts the sandbox worker only, not {args[:3]}")
        self.args = args
        self.returncode: int | None = None
        sys.stdout.flush()
        sys.stderr.flush()  # or the child would write out what the parent had buffered
        out = _fd(stdout, 1)
        err = _fd(stderr, 2)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(list(args[3:]), tuple(pass_fds), stdin, out, err, cwd, env, start_new_session)
        self.pid = pid

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -1
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.0005
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout)
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)


def _fd(stream, default: int) -> int:
    if stream is None:
        return default
    if stream == subprocess.DEVNULL:
        return -1
    return stream if isinstance(stream, int) else stream.fileno()


def _child(argv, pass_fds, stdin, out, err, cwd, env, new_session) -> None:
    code = 1
    try:
        if new_session:
            os.setsid()
        from shapecheck.grade.guard import die_with_parent, guard

        die_with_parent()
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(out if out >= 0 else null, 1)
        os.dup2(err if err >= 0 else null, 2)
        keep = sorted({0, 1, 2, *pass_fds})
        for low, high in zip(keep, keep[1:] + [65536]):
            os.closerange(low + 1, high)  # the grader's own sockets and files are not the student's business
        for fd in pass_fds:
            os.set_inheritable(fd, True)
        if cwd:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        sys.dont_write_bytecode = True
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL if number != signal.SIGPIPE else signal.SIG_IGN)
        import numpy as np

        np.random.seed()  # a fresh process's global generator: fresh entropy, not the grader's state
        sys.argv = ["worker", *argv]
        from shapecheck.diagnosis import worker

        guard(os.getcwd())
        worker.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - a child must never return into the grader's code
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class GuardedPopen(subprocess.Popen):
    """The sandbox worker's command, started anew, with the guard in front of the worker."""

    def __init__(self, args, **kwargs) -> None:
        args = list(args)
        if args[1:3] == ["-m", WORKER_MODULE]:
            args[2] = "shapecheck.grade.guard"
        super().__init__(args, **kwargs)


def launcher(fork: bool) -> tuple[Callable[..., subprocess.Popen], list]:
    """A ``popen`` for the sandbox that starts workers with ForkPopen (or GuardedPopen), and the list it fills."""
    started: list = []
    kind = ForkPopen if fork else GuardedPopen

    def popen(*args, **kwargs):
        process = kind(*args, **kwargs)
        started.append(process)
        return process

    return popen, started


def stop_leftovers(started: list) -> int:
    """Kill every process group a worker left running; how many groups had members left."""
    left = 0
    for process in started:
        if not _alive_in_group(process.pid):
            continue
        left += 1
        for _ in range(100):  # members may still be forking while we kill: until the group is empty
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                break
            time.sleep(0.01)
            if not _alive_in_group(process.pid):
                break
        process.poll()
    return left


def _alive_in_group(pgid: int) -> bool:
    """Whether a process group has a member that is not a zombie (an orphan's zombie waits for init to reap
    it, and in a container init may never do so; a zombie runs nothing)."""
    proc = "/proc"
    if not os.path.isdir(proc):  # pragma: no cover - not Linux: the signal's answer, zombies included
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        try:
            with open(f"{proc}/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (command) ": state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False
