"""Student code runs in other processes, behind a trust boundary: only plain data comes back.

``Template`` starts ``python -I -S worker.py template`` once: a process that imports numpy and never
the checker. ``Sandbox`` forks workers from it, each confined by the kernel (confine.py: its own PID,
network and mount namespaces, an unprivileged user of its own, an empty tmpfs as the only writable
place, Landlock, resource limits). Two workers per file, both loaded with the student's code:

- the *clean* worker gives every verdict: it only ever runs the student's own functions on inputs we
  send, and never holds anything of ours;
- the *aide* worker (started when needed) runs the student's functions with the course's code standing
  in for some of theirs (root causes, caches from a failing forward) and the gradient check; whatever
  the student's code takes from a stand-in there, it cannot bring into a verdict, nor into the next
  such run (``fresh_aide``: a new aide for each).

Replies are frames of JSON and raw arrays (worker.py's wire format): never unpickled, checked against
limits, their strings clipped. A worker that does not answer in time is killed with everything it
started and replaced (``timeout``: the limit is the worker's CPU time, with a generous wall-clock backstop); one that dies is a ``crash``, with how it ended (a signal, an exit
code). A statement that hung at import is skipped on reload.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapecheck.core.messages import msg
from shapecheck.core.printable import printable
from shapecheck.diagnosis import worker as wire
from shapecheck.diagnosis.plugin import course_excerpt
from shapecheck.diagnosis.source import StudentSource, defines_only, parse
from shapecheck.diagnosis.worker import Opaque, ProtocolError, Ref

__all__ = ["Sandbox", "Template", "Outcome", "Ref", "Opaque"]

GRACE = 1.0  # seconds past the hard limit's multiple of the soft one before the worker is killed
WALL = 3.0  # the soft limit is CPU time (the worker's own); the hard one, for code asleep or stuck in C, is wall time


STARVED = 20  # past the hard limit, a worker still computing within its CPU time waits up to this many hard limits


def hard_limit(limit: float) -> float:
    """Wall-clock seconds before a worker that has not answered is killed: generous, so that a loaded machine
    does not turn a correct function into a timeout (the CPU-time limit inside the worker decides that).
    Past it, a worker that is runnable and still within its CPU time gets longer (``Worker._computing``)."""
    return WALL * limit + GRACE


def cpu_state(pid: int) -> tuple[str, float] | None:
    """A process's scheduling state (R running or runnable, S asleep, ...) and CPU seconds, from /proc; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()  # after the command name, which may hold spaces
        return fields[0].decode(), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None
LOAD_BUDGET = 10  # time limits: the wall-clock budget for loading one file (its top-level statements) ...
LOAD_FLOOR = 30.0  # ... and at least this many seconds (a loaded machine imports numpy slowly)
STARTUP = 30.0  # seconds for the template to start python and numpy, on a loaded machine
QUOTA = 64 * 2**20  # bytes the scratch folder may hold
FILE_LIMIT = 32 * 2**20  # bytes one file may grow to (the output included: 20 times a chatty correct file's)
WORKER_FILE = Path(wire.__file__)
BLAS_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def worker_env() -> dict[str, str]:
    """A worker's whole environment: nothing of the grader's (no tokens, no paths, no user names)."""
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "TMPDIR": "/tmp",
            "PYTHONDONTWRITEBYTECODE": "1", **BLAS_ONE_THREAD}


def numpy_folder() -> Path:
    """numpy's package folder, found without importing it (the template imports it meanwhile)."""
    import importlib.util

    return Path(importlib.util.find_spec("numpy").submodule_search_locations[0])


def read_paths() -> list[str]:
    """Where a worker may read: the standard library and numpy (Landlock's list; everything else is closed)."""
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib")}
    paths.add(str(numpy_folder()))
    libs = numpy_folder().parent / "numpy.libs"
    if libs.is_dir():
        paths.add(str(libs))
    return sorted(p for p in paths if os.path.isdir(p))


class Template:
    """The worker's template process: numpy imported once, a confined worker forked per request."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.log = tempfile.TemporaryFile()
        numpy_path = str(numpy_folder().parent)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(WORKER_FILE), "template", str(theirs.fileno()), numpy_path],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            env=worker_env(), cwd="/", start_new_session=True)
        theirs.close()
        self.control = ours
        self.lock = threading.Lock()
        self.read = read_paths()

    def spawn(self, sock: socket.socket, out: int, options: dict) -> int:
        """A confined worker serving ``sock``, printing to ``out``; its process id (in our namespace)."""
        with self.lock:
            socket.send_fds(self.control, [json.dumps(["spawn", options]).encode()], [sock.fileno(), out])
            return int(self._reply()["pid"])

    def status(self, pid: int) -> dict:
        """How a worker ended: {"code": n} (n ≥ 128: killed by signal n - 128), or {"running": True}."""
        with self.lock:
            self.control.sendall(json.dumps(["status", {"pid": pid}]).encode())
            return self._reply()

    def _reply(self) -> dict:
        self.control.settimeout(STARTUP)
        try:
            data = self.control.recv(65536)
        except (socket.timeout, OSError):
            data = b""
        if not data:
            self.log.seek(0)
            raise RuntimeError(msg("diagnose.sandbox_stopped", log=self.log.read()[-2000:].decode(errors="replace")))
        return json.loads(data)

    def close(self) -> None:
        self.control.close()  # the template ends at EOF
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def __enter__(self) -> "Template":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ndims(value: Any) -> list[tuple[int, int]]:
    """(line, ndim) pairs a worker reported for float()/int() of a one-element array: ints only, at most 100."""
    if not isinstance(value, list):
        return []
    return [(pair[0], pair[1]) for pair in value[:100] if isinstance(pair, list) and len(pair) == 2
            and all(type(n) is int for n in pair) and 1 <= pair[1] <= 32]


def _lines(value: Any) -> list[int]:
    """Line numbers a worker reported: ints only, at most 100 (what they say is checked against the source)."""
    return [n for n in value[:100] if type(n) is int] if isinstance(value, list) else []


@dataclass
class Outcome:
    status: str  # ok | exception | timeout | crash
    value: Any = None
    handle: int | None = None
    type: str = ""
    message: str = ""
    line: int | None = None  # the student's line
    function: str | None = None
    mutated: list[str] = field(default_factory=list)
    kept: Any = None  # the argument the call was asked to send back (``keep``), as it is after the call
    numpy1: list[int] = field(default_factory=list)  # lines where float()/int() took a one-element array (unchecked ints)
    numpy1_items: list[int] = field(default_factory=list)  # lines where an element took a one-element array (unchecked)
    numpy1_ndims: list[tuple[int, int]] = field(default_factory=list)  # (line, ndim) of the arrays float()/int() took
    elements: int | None = None  # the values an array held where one number was refused (worker.ELEMENTS; unchecked)

    @classmethod
    def of(cls, reply: Any, arg_names: tuple = ()) -> "Outcome":
        """From a worker's reply, which the student's code may have forged: only what fits is kept."""
        if not isinstance(reply, dict) or reply.get("status") not in ("ok", "exception", "timeout"):
            return cls("crash", type="ProtocolError", message="reply")
        text = lambda v, n: v[:n] if isinstance(v, str) else ""  # noqa: E731
        line = reply.get("line")
        handle = reply.get("handle")
        mutated = reply.get("mutated")
        return cls(reply["status"], reply.get("value"), handle if type(handle) is int else None,
                   text(reply.get("type"), 80), text(reply.get("message"), 300), line if type(line) is int else None,
                   text(reply.get("function"), 80) or None,
                   [n for n in arg_names if isinstance(mutated, list) and n in mutated], reply.get("kept"),
                   _lines(reply.get("numpy1")), _lines(reply.get("numpy1_items")), _ndims(reply.get("numpy1_ndims")),
                   elements if type(elements := reply.get("elements")) is int and elements >= 0 else None)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def printable_tree(value: Any, depth: int = 0) -> Any:
    """A decoded reply with every string made printable (see core.printable): once, where it is received."""
    if isinstance(value, str):
        return printable(value)
    if depth > wire.MAX_DEPTH + 4:
        return value
    if isinstance(value, list):
        return [printable_tree(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(printable_tree(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return {printable_tree(k, depth + 1): printable_tree(v, depth + 1) for k, v in value.items()}
    if isinstance(value, Opaque):
        return Opaque(printable(value.type), printable(value.text))
    return value


class _Worker:
    """One confined worker process with the student's code loaded; replaced when it hangs or dies."""

    def __init__(self, box: "Sandbox", name: str) -> None:
        self.box = box
        self.name = name
        self.pid: int | None = None
        self.sock: socket.socket | None = None
        self.output = open(os.path.join(box.logs, f"{name}.txt"), "ab")
        self.restarts = 0
        self.tainted = False  # the course's code has stood in here: the student's code may have kept it

    def start(self) -> None:
        box = self.box
        ours, theirs = socket.socketpair()
        scratch = tempfile.mkdtemp(prefix=f"{self.name}-", dir=box.logs)
        os.chmod(scratch, 0o700)
        options = {"scratch": scratch, "quota": QUOTA, "memory": box.memory, "fsize": FILE_LIMIT,
                   "read": box.template.read, "env": worker_env()}
        self.pid = box.template.spawn(theirs, self.output.fileno(), options)
        theirs.close()
        self.sock = ours
        first = not box.loaded
        ping = self._ask("ping", None, STARTUP)
        if ping is None or not ping.ok:
            raise RuntimeError(msg("diagnose.sandbox_no_start", log=box.output(self.name)[-2000:]))
        if first and self.name == "clean":
            confined = ping.value.get("confined") if isinstance(ping.value, dict) else None
            box.in_force = {k[:40]: v for k, v in confined.items() if isinstance(k, str) and isinstance(v, bool)} \
                if isinstance(confined, dict) else {}
        setup = {"code": box.source.code, "filename": box.filename, "modules": box.modules}
        reply = self._ask("setup", setup, STARTUP)
        if reply is None or not reply.ok:
            raise RuntimeError(msg("diagnose.sandbox_no_setup", reply=reply))
        for index, line in enumerate(box.statement_lines):
            if index in box.skip:
                continue
            if box.load_spent > box.load_budget and not box.defines[index]:
                # past the file's load budget (30 sleeps of 9 s each stay under every per-statement limit):
                # what runs code is skipped from now on, in every worker (a restart or the aide would spend
                # the budget again on the statements before this one); definitions still load
                box.skip.extend(k for k, only in enumerate(box.defines) if not only and k not in box.skip)
                if first and self.name == "clean" and not any(f["status"] == "slow_load" for f in box.load_findings):
                    box.load_findings.append({"status": "slow_load", "line": line, "statement": line})
                continue
            began = time.monotonic()
            outcome = self._ask("load", {"index": index, "timeout": box.timeout}, hard_limit(box.timeout), cpu=box.timeout)
            box.load_spent += time.monotonic() - began
            if outcome is None or outcome.status in ("timeout", "crash"):  # hung in C code, or died: skip it from now on
                box.skip.append(index)
                if first and self.name == "clean":
                    finding = {"status": "timeout", "line": line, "statement": line}
                    if outcome is not None and outcome.status == "crash":
                        finding = {"status": "crash", "message": outcome.message, "line": line, "statement": line}
                    box.load_findings.append(finding)
                self.kill()
                return self.start()
            if outcome.status != "ok" and first and self.name == "clean":
                box.load_findings.append({"status": outcome.status, "type": outcome.type, "message": outcome.message,
                                          "line": outcome.line, "statement": line})
        defined = self._ask("defined", None, STARTUP)
        names = defined.value if defined is not None and defined.ok else None
        if self.name == "clean":
            box.defined = [n[:100] for n in (names or {}).get("defined", [])[:1000] if isinstance(n, str)] \
                if isinstance(names, dict) else []
            box.loaded = True

    def _ask(self, op: str, payload: dict | None, limit: float, arg_names: tuple = (), cpu: float | None = None
             ) -> Outcome | None:
        """One request; None when the worker did not answer within ``limit`` seconds (it is then killed);
        a ``crash`` outcome when it died or broke the wire format. ``cpu``: the worker's own CPU-time limit
        for the request, if it has one: past ``limit``, a worker still computing within it is waited for."""
        try:
            rid = os.urandom(8).hex()  # unguessable: a frame the student's code wrote ahead is no later reply
            wire.send(self.sock, [op, payload, rid])
            if not self._answers_within(limit, cpu):
                raise TimeoutError
            reply = wire.receive(self.sock, limit)
            if not isinstance(reply, dict) or reply.pop("rid", None) != rid:
                raise ProtocolError("a reply to another request")
            reply = printable_tree(reply)
        except TimeoutError:
            return None
        except (EOFError, OSError):
            return Outcome("crash", type="Crash", message=self._how_it_ended())
        except ProtocolError:
            self.kill()
            return Outcome("crash", type="ProtocolError", message="reply")
        if op in ("ping", "defined", "setup"):
            return Outcome("ok", value=reply) if isinstance(reply, dict) and reply.get("status") == "ok" else Outcome.of(reply)
        return Outcome.of(reply, arg_names)

    def _answers_within(self, limit: float, cpu: float | None) -> bool:
        """Whether the worker starts replying within ``limit`` wall seconds, or later while ``_computing``.

        On a loaded machine a worker gets a small share of a core: its CPU-time limit then stops a loop only
        after many wall seconds, and a backstop that fired first would report the same loop without its
        line (the student's report, and a grade, would depend on the machine's load). Code asleep, or stuck
        in C past its CPU time, is still stopped at ``limit``; and a starved one at ``STARVED`` times it.
        """
        start = time.monotonic()
        deadline = start + limit
        while True:
            ready, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                return True
            now = time.monotonic()
            if cpu is None or now - start >= STARVED * limit or not self._computing(cpu):
                return False
            deadline = now + min(GRACE, start + STARVED * limit - now)

    def _computing(self, cpu: float) -> bool:
        """Runnable (R; or D, paged in on a machine short of memory), and within its CPU time (plus the
        grace the worker's own timer needs to fire)."""
        state = cpu_state(self.pid) if self.pid is not None else None
        return state is not None and state[0] in "RD" and state[1] < cpu + GRACE

    def _how_it_ended(self) -> str:
        """"signal:11:SIGSEGV", "exit:3", or "memory" when it died allocating (its output says so), from the
        template that reaps it."""
        if self.pid is None:
            return ""
        status = {}
        for _ in range(3):
            status = self.box.template.status(self.pid)
            if "code" in status:
                break
        self.pid = None
        code = status.get("code")
        tail = self.box.output(self.name)[-400:]
        if "MemoryError" in tail or "Cannot allocate memory" in tail or "out of memory" in tail:
            return "memory"
        if code is None:
            return ""
        if code >= 128:
            try:
                return f"signal:{code - 128}:{signal.Signals(code - 128).name}"
            except ValueError:
                return f"signal:{code - 128}:"
        return f"exit:{code}"

    def call(self, name: str, args: tuple, arg_names: tuple, overrides: dict[str, str], limit: float,
             seed: int | None = None, keep: int | None = None) -> Outcome:
        self.tainted = self.tainted or bool(overrides)
        course = course_excerpt(self.box.course, set(overrides.values())) if overrides else ""
        payload = {"name": name, "args": args, "arg_names": list(arg_names), "overrides": overrides, "course": course,
                   "timeout": limit}
        if seed is not None:  # only then: a worker that predates the seed still understands every other call
            payload["seed"] = int(seed)
        if keep is not None:
            payload["keep"] = int(keep)
        return self._answer(self._ask("call", payload, hard_limit(limit), tuple(arg_names), cpu=limit))

    def numeric(self, names: list[str], args: tuple, eps: float, limit: float) -> Outcome:
        course = course_excerpt(self.box.course, ["numeric_objective"])
        payload = {"names": names, "args": args, "course": course, "eps": eps, "timeout": limit}
        return self._answer(self._ask("numeric", payload, hard_limit(limit), cpu=limit))

    def _answer(self, outcome: Outcome | None) -> Outcome:
        if outcome is None:
            self.restart()
            return Outcome("timeout")
        if outcome.status == "crash":
            self.restart()
        return outcome

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self.start()

    def kill(self) -> None:
        """The worker and every process it started: its PID namespace ends with it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for _ in range(10):
                if "code" in self.box.template.status(self.pid):
                    break
            self.pid = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def close(self) -> None:
        if self.sock is not None and self.pid is not None:
            try:
                wire.send(self.sock, ["exit", None])
            except OSError:
                pass
        self.kill()
        self.output.close()


class Sandbox:
    """``template``: a running Template to fork from (a grader keeps one for all its submissions); by
    default the sandbox starts its own and stops it when closed."""

    def __init__(self, source: StudentSource, timeout: float = 3.0, memory_mb: int = 2048, template: Template | None = None,
                 modules: dict | None = None, course: str = "") -> None:
        self.source = source
        self.filename = source.path.name  # the worker sees the file's name, not where the class keeps it
        self.timeout = timeout
        self.memory = memory_mb * 2**20
        self.own_template = template is None
        self.template = template
        self.modules = modules or {}
        self.course = course
        self.skip: list[int] = []  # statements that hung or crashed the worker: never run again
        self.load_findings: list[dict] = []
        self.numpy1: set[int] = set()  # lines where float()/int() took a one-element array's value, as the worker says
        self.numpy1_ndims: set[tuple[int, int]] = set()  # (line, ndim) of those arrays, as the worker says
        self.numpy1_items: set[int] = set()  # lines where an element took a one-element array's value, as it says
        self.defined: list[str] = []
        self.in_force: dict[str, bool] = {}
        self.loaded = False
        self.logs = tempfile.mkdtemp(prefix="shapecheck-sandbox-")
        self.defines: list[bool] = []  # per top-level statement: it only defines names (runs no code of theirs)
        self.statement_lines = self._statements()
        # wall seconds all loads of the file may take together (every worker, every restart), however it is split
        self.load_budget = max(LOAD_FLOOR, LOAD_BUDGET * timeout)
        self.load_spent = 0.0
        self.clean = _Worker(self, "clean")
        self.aide: _Worker | None = None

    def __enter__(self) -> "Sandbox":
        try:
            if self.template is None:
                self.template = Template()
            self.clean.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _statements(self) -> list[int]:
        """First lines of the top-level statements (a syntax error is a finding; nothing loads)."""
        try:
            body = parse(self.source.code).body
            self.defines = [defines_only(node) for node in body]
            return [node.lineno for node in body]
        except SyntaxError as exc:
            self.load_findings.append({"status": "exception", "type": "SyntaxError", "message": exc.msg,
                                       "line": exc.lineno, "statement": exc.lineno})
            return []

    @property
    def restarts(self) -> int:
        return self.clean.restarts + (self.aide.restarts if self.aide else 0)

    def close(self) -> None:
        for worker in (self.clean, self.aide):
            if worker is not None:
                worker.close()
        if self.own_template and self.template is not None:
            self.template.close()
        shutil.rmtree(self.logs, ignore_errors=True)

    # --- what the runner uses ---
    def output(self, name: str = "clean") -> str:
        """What the student's code printed (stdout and stderr) in one worker, for findings about noisy imports."""
        try:
            with open(os.path.join(self.logs, f"{name}.txt"), "rb") as f:
                return printable(f.read(200_000).decode("utf-8", "replace"))
        except OSError:
            return ""

    def call(self, name: str, args: tuple, arg_names: tuple = (), overrides: dict[str, str] | None = None,
             timeout: float | None = None, aide: bool = False, seed: int | None = None, keep: int | None = None) -> Outcome:
        """The student's ``name`` on ``args``: in the clean worker, or in the aide when the course's code stands
        in for some of their functions (``overrides``: their name -> the course file's name). ``seed``:
        ``np.random.seed(seed)`` just before the call, as a notebook's test cell does. ``keep``: the position of an
        argument the function updates in place, sent back after the call (``Outcome.kept``)."""
        worker = self._aide() if aide or overrides else self.clean
        outcome = worker.call(name, args, tuple(arg_names), dict(overrides or {}), timeout or self.timeout, seed, keep)
        self.numpy1.update(outcome.numpy1)  # unchecked numbers: numpy2.py keeps only lines whose code fits
        self.numpy1_items.update(outcome.numpy1_items)
        self.numpy1_ndims.update(outcome.numpy1_ndims)
        return outcome

    def numeric(self, names: list[str], args: tuple, eps: float, timeout: float | None = None) -> Outcome:
        """Centered differences of J made of the student's ``names`` (the course file's numeric_objective), in the aide."""
        return self._aide().numeric(names, args, eps, (timeout or self.timeout) * 4)

    def fresh_aide(self) -> None:
        """From here on, a new aide: what a student's code kept from one run with stand-ins (a root cause, the
        caches of a failing forward) cannot serve it in the next."""
        if self.aide is not None and self.aide.tainted:
            self.aide.close()
            self.aide = None

    def _aide(self) -> _Worker:
        if self.aide is None:
            self.aide = _Worker(self, "aide")
            self.aide.start()
        return self.aide
