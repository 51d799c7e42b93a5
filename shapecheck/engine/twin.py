"""A second process for the second lane of a recurrent kernel: ``TWIN.submit(job, *args)``, then ``TWIN.wait()``;
within a job, each side ``TWIN.channel.signal(what)`` / ``wait(what)`` the other (lanes.run_parts).

Why a process: the examples of a batch are independent through time, so a recurrent pass splits
into two lanes of examples with no exchange until the weights' products (lanes.py). Two threads
of this process cannot run them side by side: each step is a dozen small numpy calls, and each
call needs the GIL back from the other thread (measured at the bar's size: 19.9 ms for the two
lanes in two threads against 21.2 ms for the whole batch in one). A process has its own GIL;
its lane's arrays are shared memory (shared_blocks.py), so nothing is copied.

The twin is ``python -I -c`` on this package, from "/", started on first use in the background
(numpy's import takes 0.1-0.3 s): until it says it is ready, and whenever it cannot help (one core,
a busy machine, no memfd, a sandbox that refuses processes, SHAPECHECK_TWIN=0), the caller runs the
second lane itself, with the same calls in the same order: the numbers do not depend on which
process ran a lane. A twin that fails, dies or stops answering (stopped, or past WAIT_LIMIT) is
never used again by this process; one whose job an exception here left in flight (a KeyboardInterrupt)
is stopped at once (``abandon``) and a new one starts later; either way it writes no block any more,
and its lane is run here. A floating-point error there that the caller's np.seterr does not ignore
("redo") has the lane made here too, under the caller's own np.seterr (its warning, or its call;
where an error raises, no lanes run at all: lanes.lanes); what the caller ignores (numpy ignores
underflow by default: a confident softmax) is ignored there.

It runs only the jobs of ``JOBS``, on arrays that this process lent it (never a copy); it ends when
this process closes its socket, or dies (its waits check), so it never outlives its parent.
"""

from __future__ import annotations

import array
import atexit
import importlib
import mmap
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from shapecheck.engine import shared_blocks
from shapecheck.engine.blas_threads import BESIDE, ONE_THREAD

JOBS = {                                   # what the twin may run: module, function
    "lstm_forward_lane": ("shapecheck.engine.lstm_lanes", "lstm_forward_lane"),
    "lstm_backward": ("shapecheck.engine.lstm_lanes", "backward_share"),
    "rnn_forward_lane": ("shapecheck.engine.rnn_lanes", "rnn_forward_lane"),
    "rnn_forward": ("shapecheck.engine.rnn_lanes", "forward_share"),
    "rnn_backward": ("shapecheck.engine.rnn_lanes", "backward_share"),
    "echo": ("shapecheck.engine.twin", "_echo"),
}
_HEADER = struct.Struct("<Q")
CONTENDED = 0.25                 # share of a lane's time spent waiting for a CPU from which the machine is busy
WAIT_LIMIT = 60.0                # seconds this process waits for the twin before it stops it and runs its work here
SPIN = 0.01                      # seconds either side polls for the other's next message before it sleeps (10 against 2:
                                 # 0.5 ms less per LSTM call at the bar, the gap between forward and backward included)
STRIKES = 3                      # lanes in a row
BACK_OFF = 0.5                   # seconds a busy machine runs both lanes here before the twin is tried again
CALM_FOR = 0.02                  # seconds a calm reading of /proc holds: a loop's calls come every few milliseconds, and
                                 # each reading cost 50-80 µs there (two files, read while the caches are cold)
_MAX_FDS = 16
_CAN: list = []                  # Twin.wanted: the conditions of the process, read once


class TwinFailed(RuntimeError):
    """The twin could not run a job (it died, or the job raised there): the caller runs the lane itself."""


class Aborted(Exception):
    """The twin's job ended without its work (an error there, a floating-point error to raise or warn of here):
    what it was to make is made here instead."""


# --- signals within a job: (job number, what), on a socket of their own ---------------------------------

LANE_DONE, PASSED, ABORT = 1, 2, 3           # a lane is done; a lane has done the steps agreed on; the job ended early
_SIGNAL = struct.Struct("<IB")


class Channel:
    """One side's end of the signals: ``signal(what)`` tells the other side, ``wait(what)`` waits for it (signals of
    an earlier job are stale and skipped)."""

    def __init__(self, sock: socket.socket, alive=None) -> None:
        self.sock, self.job, self._alive = sock, 0, alive
        self._early: list[int] = []                               # this job's signals read by ``start``

    def signal(self, what: int) -> None:
        self.sock.sendall(_SIGNAL.pack(self.job, what), socket.MSG_NOSIGNAL)

    def start(self, job: int) -> None:
        """A new job: read every signal there already, an earlier job's dropped, this one's kept for its waits. A job
        that ended early leaves the other side's signals unread (the twin's ABORT after a lane alone, this side's
        PASSED when the twin's lane stopped): some 280 of them filled the socket, and the next signal's send blocked
        for ever (found by the attack of stop 25)."""
        self.job, self._early = job, []
        while (signal := self._now()) is not None:
            sent_for, got = signal
            if sent_for == job:
                self._early.append(got)

    def _now(self) -> tuple[int, int] | None:
        """(job, what) of a signal there already, else None (_now)."""
        data = _now(self.sock, _SIGNAL.size)
        if data is not None and len(data) < _SIGNAL.size:
            data += _recv_exactly(self.sock, _SIGNAL.size - len(data))
        return None if data is None else _SIGNAL.unpack(data)

    def wait(self, what: int) -> None:
        """Until the other side signals ``what`` for this job. Raises Aborted on its ABORT, EOFError if it is gone,
        TimeoutError past WAIT_LIMIT seconds."""
        while True:
            signal = (self.job, self._early.pop(0)) if self._early else self._now()
            if signal is None:
                _spin_until_readable(self.sock, SPIN)
                _wait_readable(self.sock, self._alive)
                continue
            job, got = signal
            if job == self.job:
                if got == ABORT:
                    raise Aborted
                if got == what:
                    return


class _Alone:
    """No other process: both lanes run here, one after the other, so there is nothing to tell or wait for."""

    def start(self, job: int) -> None:
        pass

    def signal(self, what: int) -> None:
        pass

    def wait(self, what: int) -> None:
        pass


ALONE = _Alone()


# --- messages: a length, then a pickle; descriptors of new blocks ride with the length -----------------


def _send(sock: socket.socket, message, fds: list[int] = ()) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    data = _HEADER.pack(len(payload)) + payload
    # MSG_NOSIGNAL: a twin that died is an EPIPE here, not a SIGPIPE that kills a process keeping its default
    # (sendmsg itself: socket.send_fds drops its flags)
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sent = sock.sendmsg([data], ancillary, socket.MSG_NOSIGNAL)
    if sent < len(data):
        sock.sendall(data[sent:], socket.MSG_NOSIGNAL)


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _recv(sock: socket.socket):
    """(message, fds); EOFError when the other side has closed."""
    head, fds, _, _ = socket.recv_fds(sock, _HEADER.size, _MAX_FDS)
    if not head:
        raise EOFError
    return _message(sock, head), fds


def _message(sock: socket.socket, head: bytes):
    """The message whose length's first bytes are ``head``."""
    if len(head) < _HEADER.size:
        head += _recv_exactly(sock, _HEADER.size - len(head))
    (length,) = _HEADER.unpack(head)
    return pickle.loads(_recv_exactly(sock, length))


def _now(sock: socket.socket, size: int) -> bytes | None:
    """Up to ``size`` bytes when some are there already, else None: one call, where a poll set up at every wait took
    10-15 µs of a call in a loop, for an answer that was often there already. EOFError when the other side has
    closed."""
    try:
        data = sock.recv(size, socket.MSG_DONTWAIT)
    except BlockingIOError:
        return None
    if not data:
        raise EOFError
    return data


def _wait_readable(sock: socket.socket, alive=None) -> None:
    """Block until the socket has data, at most WAIT_LIMIT seconds (TimeoutError), checking ``alive()`` four times a
    second (EOFError when it says the other side is gone or stopped): a stopped or hung twin never hangs its
    parent."""
    deadline = time.monotonic() + WAIT_LIMIT
    poll = select.poll()                                          # (select.select fails from descriptor 1024 on)
    poll.register(sock, select.POLLIN)
    while True:
        if poll.poll(1000 * min(0.25, max(0.0, deadline - time.monotonic()))):
            return
        if alive is not None and not alive():
            raise EOFError
        if time.monotonic() >= deadline:
            raise TimeoutError


def _spin_until_readable(sock: socket.socket, seconds: float) -> None:
    """Poll the socket for up to ``seconds`` before the blocking read: a thread that sleeps lets its virtual CPU
    halt, and waking it took 50-260 µs here (5-20 µs while it polls), several times per forward + backward."""
    if seconds <= 0:
        return
    end = time.perf_counter() + seconds
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    while not poll.poll(0) and time.perf_counter() < end:
        pass


# --- arrays: lent by reference, in a shared block ----------------------------------------------------


ARRAY, TUPLE, VALUE = 0, 1, 2    # what an argument is, as sent: plain tuples, which pickle in C (a class of
                                 # ours took 18 µs a job to pickle, a third of it in copyreg)


def _lend(value, new: dict) -> tuple:
    """An argument as sent: (ARRAY, block number, byte offset, shape, strides, dtype) for an array of a shared block
    (its block's fd gathered in ``new``), (TUPLE, its items as sent) for a tuple, (VALUE, it) for the rest. An array
    in private memory raises TwinFailed: a copy sent by value would take the twin's writes away."""
    if isinstance(value, np.ndarray):
        where = shared_blocks.BLOCKS.where(value)
        if where is None:
            raise TwinFailed("unshared")
        number, fd, offset, size = where
        new[number] = (fd, size)
        return ARRAY, number, offset, value.shape, value.strides, value.dtype.str
    if isinstance(value, tuple):
        return TUPLE, tuple([_lend(v, new) for v in value])
    return VALUE, value


def _borrow(sent: tuple, mapped: dict):
    kind = sent[0]
    if kind == ARRAY:
        _, number, offset, shape, strides, dtype = sent
        return np.ndarray(shape, np.dtype(dtype), buffer=mapped[number], offset=offset, strides=strides)
    if kind == TUPLE:
        return tuple([_borrow(v, mapped) for v in sent[1]])
    return sent[1]


# --- this side ---------------------------------------------------------------------------------------


def _import_path() -> list[str]:
    """The twin's sys.path: the folder holding this package, then this process's own folders, as absolute paths,
    without the current folder ('' or the folder itself), which python -c would have put first."""
    here = os.getcwd()
    path = [str(Path(__file__).resolve().parents[2])]
    for entry in sys.path:
        if entry and os.path.isabs(entry) and entry != here and entry not in path:
            path.append(entry)
    return path


class Twin:
    """The second process, seen from the first: started on first use, used while it is ready and idle."""

    STARTUP = 30.0               # seconds: a twin not ready by then is given up

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._exit_hook = False
        self.jobs, self.cpu_time = 0, 0.0                         # jobs done there and their CPU seconds (benchmarks)
        self._reset()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        """A forked child has no twin of its own yet, and no thread holding the lock."""
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._proc = self._sock = None
        self.channel: Channel | _Alone = ALONE
        self._job = 0
        self._ready = False
        self._failed = False
        self._known: set[int] = set()                             # blocks the twin has mapped
        self._pending = False
        self._started = 0.0
        self._busy_until = 0.0                                    # a busy machine: no twin until then (observe)
        self._calm_until = 0.0                                    # a calm reading holds until then (_calm)
        self._strikes = 0

    def _alive(self) -> bool:
        """Running, or able to: not ended, and not stopped (SIGSTOP, a debugger), which would never answer."""
        if self._proc is None or self._proc.poll() is not None:
            return False
        try:
            with open(f"/proc/{self._proc.pid}/stat", "rb") as f:
                return f.read().rpartition(b")")[2][1:2] not in (b"T", b"t", b"Z", b"X")
        except OSError:
            return True

    @staticmethod
    def wanted() -> bool:
        """Not turned off (SHAPECHECK_TWIN=0); Linux's memfd; a python to start (not a frozen application, whose
        executable is itself); and numpy's OpenBLAS within reach, so that both processes multiply on one thread
        each (another BLAS may thread its products here and not there: other bits). All but the first are the
        process's for its life: read once (at every call, they took 10-15 µs of a call in a loop)."""
        if os.environ.get("SHAPECHECK_TWIN", "1") == "0":
            return False
        if not _CAN:
            _CAN.append(shared_blocks.available() and bool(sys.executable) and not getattr(sys, "frozen", False)
                        and ONE_THREAD.available)
        return _CAN[0]

    def _start(self) -> None:
        here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)          # jobs and their answers
        signals_here, signals_there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)   # within a job
        env = dict(os.environ, SHAPECHECK_TWIN="0", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        code = (f"import sys; sys.path[:0] = {_import_path()!r}; from shapecheck.engine.twin import serve; "
                f"serve({there.fileno()}, {signals_there.fileno()})")
        try:
            # -I and cwd "/": nothing of the folder it was started from (a class folder with a student's numpy.py)
            # is ever imported; the import path is this process's own, given in full
            self._proc = subprocess.Popen([sys.executable, "-I", "-c", code], env=env, cwd="/",
                                          pass_fds=(there.fileno(), signals_there.fileno()),
                                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True)
        except (OSError, ValueError):                             # no process for us here (a sandbox): never again
            here.close()
            signals_here.close()
            self._failed = True
            return
        finally:
            there.close()
            signals_there.close()
        self._sock, self._started = here, time.monotonic()
        self.channel = Channel(signals_here, self._alive)
        if not self._exit_hook:
            atexit.register(self._at_exit)
            self._exit_hook = True
        BESIDE.helpers.append(f"/proc/{self._proc.pid}/stat")     # not a load when it is our own

    def ready(self, timeout: float = 0.0) -> bool:
        """Is the twin up (starting it if it never was)? Waits up to ``timeout`` seconds for it."""
        if self._failed or not self.wanted():
            return False
        if self._ready:
            return True
        if self._sock is None:
            self._start()
            if self._failed:
                return False
        try:
            poll = select.poll()                                  # (select.select fails from descriptor 1024 on)
            poll.register(self._sock, select.POLLIN)
            if not poll.poll(1000 * timeout):
                if time.monotonic() - self._started > self.STARTUP:
                    self._give_up()
                return False
            message, _ = _recv(self._sock)
        except (OSError, EOFError, pickle.UnpicklingError):
            self._give_up()
            return False
        self._ready = message == "ready"
        if not self._ready:
            self._give_up()
        return self._ready

    def take(self) -> bool:
        """Reserve the twin for one job and its wait (another thread of ours may hold it): True when it is free,
        ready, and a core is idle for it. Pair with ``release``."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            if self._pending:                                     # an earlier call was interrupted in a job
                self.abandon()
            if self.ready() and self._calm():
                return True
        except BaseException:
            self._lock.release()
            raise
        self._lock.release()
        return False

    def _calm(self) -> bool:
        """No sign that the twin would wait for a CPU: the last jobs did not (``observe``), and no more threads are
        runnable now than the cores with one to spare (/proc/loadavg's count keeps a thread of ours that has just
        gone to sleep for a while, on kernels with EEVDF's delayed dequeue: a fifth of the calls after a pause).
        A calm reading holds CALM_FOR seconds; a busy one is read again at every call."""
        now = time.monotonic()
        if now < self._calm_until:
            return True
        cores = BESIDE.cores()
        if cores < 2 or now < self._busy_until:
            return False
        running = BESIDE.running()
        if running is None or running - BESIDE._ours_running() <= cores:
            self._calm_until = now + CALM_FOR
            return True
        return False

    def observe(self, wall: float, cpu: float) -> None:
        """A lane's wall and CPU time (either process's). STRIKES lanes in a row that waited for a CPU for more than
        CONTENDED of their time mean a busy machine, left alone for BACK_OFF seconds (both lanes then run here).
        One is not enough: the first backward after a pause measured both lanes waiting a third of their time,
        and none after it."""
        if wall < 0.001 or wall - cpu <= CONTENDED * wall:
            self._strikes = 0
            return
        self._strikes += 1
        if self._strikes >= STRIKES:
            self._strikes = 0
            self._busy_until = time.monotonic() + BACK_OFF
            self._calm_until = 0.0

    def release(self) -> None:
        self._lock.release()

    def submit(self, job: str, *args) -> None:
        """Start ``job`` there (the caller holds the twin: ``take``). Raises TwinFailed if it cannot be sent."""
        new: dict = {}
        lent = _lend(args, new)
        fresh = [n for n in new if n not in self._known]
        forgotten = list(shared_blocks.FORGOTTEN)
        self._job = (self._job + 1) % 2**32
        try:
            self.channel.start(self._job)                         # (the twin's stale signals read: none of this job's)
        except (OSError, EOFError):
            self._give_up()
            raise TwinFailed("signals") from None
        errors = {kind: "ignore" if how == "ignore" else "raise" for kind, how in np.geterr().items()}
        message = (forgotten, [(n, new[n][1]) for n in fresh], self._job, job, lent, errors)
        if self._sock is None:                                    # (closed meanwhile, by another thread)
            raise TwinFailed("closed")
        self._pending = True                                      # from here, an interrupt leaves a job in flight
        try:
            _send(self._sock, message, [new[n][0] for n in fresh])
        except OSError:
            self._pending = False
            self._give_up()
            raise TwinFailed("send") from None
        del shared_blocks.FORGOTTEN[: len(forgotten)]              # (what was sent: a block may have gone since)
        self._known.difference_update(forgotten)
        self._known.update(fresh)

    def forget(self) -> None:
        """Tell an idle twin now of the blocks this process has let go of (shared_blocks.FORGOTTEN: a big block,
        once nothing here views it), so that it unmaps them at once: until it does, their memory stays taken. Left
        to the next job while a job is in flight or another thread holds the twin (called from a finalizer: any
        thread, at any moment)."""
        if not (self._ready and not self._pending and shared_blocks.FORGOTTEN):
            return
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self._ready and not self._pending and self._sock is not None:
                forgotten = list(shared_blocks.FORGOTTEN)
                self._pending = True                              # an interrupt within the send leaves half a message:
                _send(self._sock, (forgotten, [], None, None, None, None))   # the next take stops this twin. No job:
                self._pending = False                             # nothing answered
                del shared_blocks.FORGOTTEN[: len(forgotten)]
                self._known.difference_update(forgotten)
        except OSError:                                           # (gone: the next job finds it so)
            pass
        finally:
            self._lock.release()

    def wait(self) -> bool:
        """The job's end: True when it did its work, False when it stopped early (a floating-point error: this
        process makes that work again, under its own np.seterr). Raises TwinFailed if the job failed there, or the
        twin died or did not answer within WAIT_LIMIT seconds (then it is stopped first)."""
        try:
            head = _now(self._sock, _HEADER.size)                 # (an answer carries no descriptors)
            if head is None:
                _spin_until_readable(self._sock, SPIN)
                _wait_readable(self._sock, self._alive)
                message, _ = _recv(self._sock)
            else:
                message = _message(self._sock, head)
        except (OSError, EOFError, TimeoutError, pickle.UnpicklingError):
            self._pending = False
            self._give_up()
            raise TwinFailed("lost") from None
        self._pending = False
        status, value, wall, cpu = message
        if status == "redo":
            return False
        if status != "ok":
            self._give_up()
            raise TwinFailed(value)
        self.observe(wall, cpu)
        self.jobs += 1
        self.cpu_time += cpu
        self.result = value                                       # (what the job returned: tests)
        return True

    def abandon(self) -> None:
        """Stop a twin whose job's state is unknown (an interrupt while it was in flight: a notebook's stop button, a
        KeyboardInterrupt, any error of this side's), before anything else can hand out a block it writes. A new one
        starts on a later call."""
        if self._proc is not None:
            self._proc.kill()
        proc = self._proc
        self._give_up()
        self._reset()
        if proc is not None:
            proc.wait()

    def lost(self) -> None:
        """A signal within a job could not be sent or did not come (the twin died, or stopped answering): stop it,
        never use it again."""
        self._pending = False
        self._give_up()

    def _give_up(self) -> None:
        self._failed, self._ready = True, False
        if self._sock is not None:
            self._sock.close()                                    # the twin's read ends: it exits
        if isinstance(self.channel, Channel):
            self.channel.sock.close()
        if self._proc is not None:
            try:
                self._proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:                     # (busy or stopped: it must not write any more)
                self._proc.kill()
                self._proc.wait()

    def _at_exit(self) -> None:
        """Stopped at once: it keeps nothing to finish, and one still importing numpy would delay the exit."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()

    def close(self) -> None:
        """End the twin (at exit; tests). A later call starts a new one."""
        held = self._lock.acquire(timeout=1.0)
        try:
            self._give_up()
            self._reset()
        finally:
            if held:
                self._lock.release()


TWIN = Twin()
shared_blocks.TELL = TWIN.forget


# --- the other side ----------------------------------------------------------------------------------


def _echo(*args, channel=None):
    """A test's job: what came, as sums (arrays) and values."""
    return [float(np.sum(a)) if isinstance(a, np.ndarray) else a for a in args]


def serve(fd: int, signals_fd: int) -> None:
    """The twin's loop: map the blocks it is lent, run each job (its channel given by name, ``channel=``) with every
    floating-point error raised that its parent's np.seterr did not ignore when it sent the job (submit), answer
    ("ok", result), ("redo", text) for such an error (its parent makes that work again under its own np.seterr: a
    warning or an error there, as without a twin), or ("error", text). A job that ends early signals ABORT first,
    for a parent waiting on a signal of it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)                  # a Ctrl-C is its parent's to handle
    sock = socket.socket(fileno=fd)
    parent = os.getppid()
    channel = Channel(socket.socket(fileno=signals_fd), alive=lambda: os.getppid() == parent)
    mapped: dict[int, np.ndarray] = {}
    functions: dict = {}
    _send(sock, "ready")
    while True:
        try:
            _spin_until_readable(sock, SPIN)                      # the next job often follows within a millisecond
            message, fds = _recv(sock)
        except (EOFError, OSError):
            return
        if message[3] is None:                                    # only blocks to unmap: no job, no answer
            for number in message[0]:
                mapped.pop(number, None)
            continue
        try:
            forgotten, new, job_number, job, args, errors = message
            channel.start(job_number)                             # (its parent's stale signals read; PASSED kept)
            for number in forgotten:
                mapped.pop(number, None)
            for (number, size), block_fd in zip(new, fds):
                mapped[number] = np.frombuffer(mmap.mmap(block_fd, size), np.uint8)
                os.close(block_fd)
            if job not in functions:
                module, name = JOBS[job]
                functions[job] = getattr(importlib.import_module(module), name)
            wall, cpu = time.perf_counter(), time.thread_time()
            with np.errstate(**errors):
                result = functions[job](*_borrow(args, mapped), channel=channel)   # (by name: a lane's other
                                                                                    # optional arguments come first)
            reply = ("ok", result, time.perf_counter() - wall, time.thread_time() - cpu)
        except Exception as error:                                # noqa: BLE001 - told to the caller, which goes on
            reply = ("redo" if isinstance(error, FloatingPointError) else "error", f"{type(error).__name__}: {error}",
                     0.0, 0.0)
            try:
                channel.signal(ABORT)
            except OSError:
                pass
        try:
            _send(sock, reply)
        except OSError:
            return
