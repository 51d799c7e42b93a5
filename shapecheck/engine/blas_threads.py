"""One OpenBLAS thread around the recurrent kernels: ``with one_blas_thread(work):``.

OpenBLAS runs a matmul above 64³ multiply-adds on every core, and after it its worker threads
spin, waiting for the next one, for about 2²⁸ cycles (0.1 s). A recurrent kernel makes one such
product over all steps, then a time loop of small products and ufuncs on the main thread: the
spinning worker takes a core from that loop whenever the machine has no idle core, which made the
kernels at the course's sizes slower than a per-step loop whose products all stay small. Pinned
to one thread, the kernel's products run on the main thread and no worker wakes up. The products
that need not wait for the loop can go to a second core instead (``BESIDE``: one Python worker
thread, which sleeps, not spins, between jobs).

The count is numpy's own OpenBLAS's (found next to numpy, read through ctypes, no dependency),
set to 1 on entering the outermost block and restored on leaving it. Without an OpenBLAS that we
can find (another BLAS, or a build that hides the symbols), the block does nothing.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from pathlib import Path

SINGLE_THREAD_MNK = 64**3       # OpenBLAS multithreads a matmul above m·n·k = 4·65536 (GEMM_MULTITHREAD_THRESHOLD)
_NAMES = (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
          ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
          ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
          ("openblas_get_num_threads", "openblas_set_num_threads"))


def _candidates() -> list[Path]:
    """numpy's bundled OpenBLAS: numpy.libs (Linux wheels), .dylibs (macOS wheels), or beside numpy."""
    import numpy as np

    root = Path(np.__file__).parent
    found = []
    for folder in (root.parent / "numpy.libs", root / ".dylibs", root.parent / "numpy" / "_core"):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if "openblas" in p.name.lower())
    return found


def _functions():
    """(get, set) of numpy's OpenBLAS thread count, or None."""
    for path in _candidates():
        try:
            lib = ctypes.CDLL(str(path))                          # already loaded by numpy: the same handle
        except OSError:
            continue
        for get_name, set_name in _NAMES:
            get, set_ = getattr(lib, get_name, None), getattr(lib, set_name, None)
            if get is not None and set_ is not None:
                get.restype, get.argtypes = ctypes.c_int, []
                set_.restype, set_.argtypes = None, [ctypes.c_int]
                return get, set_
    return None


# --- products small enough for OpenBLAS's unpacked kernels ---------------------------------------------

_CORENAMES = ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
              "openblas_get_corename")
UNPACKED_CORES = {"skylakex", "cooperlake", "sapphirerapids"}   # AVX-512 cores with DGEMM's small-matrix kernels
UNPACKED_MNK = 100**3           # OpenBLAS multiplies up to m·n·k = 10⁶ there without packing its operands
_unpacked: list = []


def unpacked_mnk() -> int:
    """The largest product (m·n·k) numpy's OpenBLAS makes with its small-matrix kernels on this CPU, or 0.

    There, a recurrent step's (64, 65)·(65, 256) product (m·n·k just above 10⁶) took 39 µs and each
    of its two halves 15 µs: a step's product split in row blocks under the bound costs less. Read
    once, from OpenBLAS's name for the core it runs on; 0 for another BLAS, another core, or no name.
    """
    if not _unpacked:
        name = b""
        for path in _candidates():
            try:
                lib = ctypes.CDLL(str(path))
            except OSError:
                continue
            for symbol in _CORENAMES:
                get = getattr(lib, symbol, None)
                if get is not None:
                    get.restype, get.argtypes = ctypes.c_char_p, []
                    name = get() or b""
                    break
            if name:
                break
        _unpacked.append(UNPACKED_MNK if name.decode(errors="replace").lower() in UNPACKED_CORES else 0)
    return _unpacked[0]


def row_blocks(m: int, n: int, k: int) -> list[slice]:
    """The rows of an (m, k)·(k, n) product, in as few blocks as keep each under unpacked_mnk() (at most four
    blocks; one block, all rows, when no split helps or the BLAS has no such kernels)."""
    limit = unpacked_mnk()
    if not limit or m * n * k <= limit:
        return [slice(0, m)]
    for blocks in range(-(-m * n * k // limit), 5):
        size = -(-m // blocks)
        if size * n * k <= limit:
            return [slice(start, min(m, start + size)) for start in range(0, m, size)]
    return [slice(0, m)]


class _OneThread:
    """Re-entrant and shared by Python threads: the first to enter saves the count, the last to leave restores it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved = 0
        self._calls = None                                        # looked up on first use

    @property
    def available(self) -> bool:
        if self._calls is None:
            self._calls = _functions() or ()
        return bool(self._calls)

    def threads(self) -> int | None:
        """OpenBLAS's thread count now, or None without a reachable OpenBLAS."""
        return self._calls[0]() if self.available else None

    def __enter__(self) -> None:
        if not self.available:
            return
        with self._lock:
            if self._depth == 0:
                get, set_ = self._calls
                self._saved = get()
                if self._saved != 1:
                    set_(1)
            self._depth += 1

    def __exit__(self, *exc) -> None:
        if not self.available:
            return
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._saved != 1:
                self._calls[1](self._saved)


class _Nothing:
    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        pass


ONE_THREAD = _OneThread()
_NOTHING = _Nothing()


def one_blas_thread(multiply_adds: int):
    """The block's BLAS on one thread when its largest product (m·n·k) would be multithreaded; else nothing."""
    return ONE_THREAD if multiply_adds > SINGLE_THREAD_MNK else _NOTHING


# --- a second core for the products that need not wait ------------------------------------------------


class _Beside:
    """One worker thread, made on first use, for products that can run while the caller goes on: a recurrent
    backward hands it the weight products of the steps its time loop has passed (numpy releases the GIL in
    BLAS, and the loop's BLAS is pinned to one thread, so each product runs on one core). Dropped in a child
    process after a fork (the thread does not exist there)."""

    def __init__(self) -> None:
        self._pool = None
        self._lock = threading.Lock()
        self.helpers: list[str] = []                              # /proc stat files of our own helpers
        self._idle_until = 0.0                                    # an idle reading holds until then (idle)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._pool = None
        self.helpers = []
        self._lock = threading.Lock()
        self._idle_until = 0.0

    @staticmethod
    def cores() -> int:
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:                                    # not on Linux
            return os.cpu_count() or 1

    def _register(self) -> None:
        self.helpers.append(f"/proc/self/task/{threading.get_native_id()}/stat")

    HOLD = 0.02          # seconds an idle reading holds: a loop's calls come every few milliseconds, and a reading
                         # cost 50-80 µs there (files of /proc, read while the caches are cold)

    def idle(self) -> bool:
        """Is a second core free now? More than one core, and no more runnable threads than cores with this one: on
        a busy machine the worker would wait for a core while the caller waits for the worker, so everything then
        runs in place. Read from Linux's count of runnable threads at this moment (/proc/loadavg's fourth field,
        this thread included); elsewhere, from the 1-minute load average. An idle reading holds HOLD seconds; a
        busy one is read again at every call."""
        cores = self.cores()
        if cores < 2 or self._pool is False:
            return False
        now = time.monotonic()
        if now < self._idle_until:
            return True
        if self._read_idle(cores):
            self._idle_until = now + self.HOLD
            return True
        return False

    def _read_idle(self, cores: int) -> bool:
        running = self.running()
        if running is not None:
            return running - self._ours_running() < cores
        try:
            return os.getloadavg()[0] < cores - 0.5
        except (AttributeError, OSError):                         # no load average (Windows): trust the cores
            return True

    @staticmethod
    def running() -> int | None:
        """Linux's count of runnable threads at this moment (/proc/loadavg's fourth field, the caller included), or None."""
        try:
            with open("/proc/loadavg", "rb") as f:
                return int(f.read().split()[3].split(b"/")[0])
        except (OSError, ValueError, IndexError):
            return None

    def _ours_running(self) -> int:
        """How many of our own helpers (this worker thread, the twin process) the count of runnable threads holds:
        one that has just handed its result over is still runnable for a moment, and is not a load."""
        ours = 0
        for stat in self.helpers:
            try:
                with open(stat, "rb") as f:
                    ours += f.read().rpartition(b")")[2][1:2] == b"R"
            except OSError:
                pass
        return ours

    def submit(self, fn, *args, here: bool = False):
        """fn(*args) on the worker thread (a Future); run here and now if ``here``, on a single core, or where no
        thread can start (a process limited to itself, as diagnose's sandbox is)."""
        from concurrent.futures import Future, ThreadPoolExecutor

        if not here and self.cores() > 1 and self._pool is not False:
            with self._lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shapecheck-beside",
                                                    initializer=self._register)
            try:
                return self._pool.submit(fn, *args)
            except RuntimeError:                                  # "can't start new thread"
                self._pool = False
        done = Future()
        done.set_result(fn(*args))
        return done


BESIDE = _Beside()
BESIDE_WORTH = 2 * 10**7        # multiply-adds: below this, handing products over costs more than it saves
