"""A recurrent pass in two lanes of examples: the first here, the second in the twin process when it can help.

The examples of a batch never meet in a recurrent pass until the weights' gradients sum over them:
examples 0..m/2 and m/2..m are two independent passes through time (lanes), each with its own sequential
chain of steps. At sizes worth it (``lanes``; not where a floating-point error raises), the course's
LSTM and RNN run in lanes always: this process runs lane 0 while the twin (twin.py) runs lane 1 on the
same shared arrays, or this process runs both when no twin can help, one after the other, with the same
calls, so that the numbers never depend on the machine's load. A backward's weight products then split
in two parts by steps (``run_parts``): the later half of the steps, which both lanes finish first, for
the twin, the earlier half for this process; each part is a full-width product over its rows, and the
two are added in a fixed order. The RNN's forward splits its outputs ŷ so too (the earlier steps for the
twin, 70% of them, while this process also copies the states out to the caller). What the caller gets
back is its own memory, never a shared block (the twin would write it at its next job, and a forked
child would share it): a part made here may write straight into it.

A kernel's lanes (lstm_lanes.py, rnn_lanes.py) are functions of the shared arrays and a lane's rows,
run by ``run`` (lanes alone) and ``run_parts`` (lanes, then parts).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

import numpy as np

from shapecheck.engine import lstm_kernels as lk

from shapecheck.engine.shared_blocks import BLOCKS
from shapecheck.engine.twin import ALONE, LANE_DONE, PASSED, TWIN, Aborted, TwinFailed

LANE_EXAMPLES = 16               # examples per lane at least: below, a step's calls cost more than they compute
LANES_WORTH = 10**7              # multiply-adds of a forward pass: below, the twin's hand-overs cost more than they save


def lanes(m: int, multiply_adds: int) -> tuple[slice, slice] | None:
    """The two lanes of a batch of m examples, or None when the pass is too small to split, or when a floating-point
    error raises (np.seterr(all="raise"): a student hunting a NaN): the error raised must be the one without lanes,
    where each operation runs over every example before the next (in lanes, lane 0's came first: an overflow in an
    add of lane 0's examples, against one in the product of lane 1's before it; and ŷ's parts so too)."""
    if m < 2 * LANE_EXAMPLES or multiply_adds < LANES_WORTH or "raise" in np.geterr().values():
        return None
    half = (m + 1) // 2
    return slice(0, half), slice(half, m)


def run(job: str, lane, lane_args: tuple, split: tuple[slice, slice], use_twin: bool, inflow: tuple) -> None:
    """A forward pass's two lanes, with one hand-over to the twin: ``lane(*lane_args, lo, hi)`` for lane 0 here and
    lane 1 there (run as ``job``), at the same time; or both here, lane 1 after (alone, or when the twin did not make
    its share). ``inflow``: as run_parts's. An exception here while the twin works (a KeyboardInterrupt too)
    stops the twin (twin.abandon) before it goes on."""
    (lo, mid), (_, hi) = (split[0].start, split[0].stop), (split[1].start, split[1].stop)
    sent = _send_after_its_inflow(job, (*lane_args, mid, hi), use_twin, inflow, split)
    done = False
    with _stopped_on_error(sent):
        _copy_in(*inflow, lo, mid)
        wall, cpu = time.perf_counter(), time.thread_time()
        lane(*lane_args, lo, mid)
        if sent:
            TWIN.observe(time.perf_counter() - wall, time.thread_time() - cpu)
            done = _ended(TWIN.wait)
    if not done:
        lane(*lane_args, mid, hi)


def run_parts(job: str, lane, part, lane_args: tuple, part_args: tuple, split: tuple[slice, slice], step: int,
              use_twin: bool, inflow: tuple, parts: tuple | None = None, here: tuple | None = None) -> bool:
    """A pass's two lanes, then its two parts (a backward's weight products, the RNN's outputs), with one hand-over
    to the twin.

    ``lane(*lane_args, lo, hi, step, on_step, channel)`` runs examples lo:hi through time, calling on_step once it
    has passed ``step``; ``part(*part_args, p)`` makes part p (0 here, 1 there) of every example, part 1 over the
    steps that both lanes pass first: for a backward, the weights' share of steps 0..step (p = 0) or step..T_x
    (p = 1); for the RNN's forward, ŷ of steps step..T_x (p = 0) or 0..step (p = 1). The twin: lane 1, says so,
    waits until lane 0 has passed ``step``, part 1 (``twin_share``, run there as ``job``). This process: lane 0
    (saying when it passes ``step``), waits for lane 1, part 0, waits for the twin's end. Alone, or when the twin
    did not make its share (it failed, died, or met a floating-point error): lane 1 and part 1 here too, the same
    calls, and part 0 before part 1 as with the twin (the first floating-point error raised, the warnings' order:
    the twin's). An exception here while the twin works (a KeyboardInterrupt too) stops the twin (twin.abandon)
    before it goes on.

    inflow = (buffer, caller's): what flows in, (T_x, m, ·) time first (a forward's x, a backward's da), copied
    before its lane each lane's examples (_copy_in: the course's arrays have every element a cache line apart in
    this order, and a scattered read at every step costs more), the twin's first, so that it starts while this
    process copies its own. parts = (the two parts, their sum): added in a fixed order, whichever process made each (None: parts that
    are not summed). ``here``: the parts' arguments for the calls made here, when they differ from the twin's (an
    output written straight into the caller's own memory, which the twin cannot reach: it writes its part into a
    shared block). Returns whether the twin made part 1 (then it is in ``part_args``'s arrays, else in ``here``'s)."""
    (lo, mid), (_, hi) = (split[0].start, split[0].stop), (split[1].start, split[1].stop)
    buffer, caller = inflow
    mine_args = part_args if here is None else here
    sent = _send_after_its_inflow(job, (lane_args, part_args, mid, hi, step), use_twin, inflow, split)
    channel, lost = (TWIN.channel if sent else ALONE), []

    def passed() -> None:
        try:
            channel.signal(PASSED)
        except OSError:                                           # the twin is gone: noted, this lane goes on
            lost.append(True)

    done = mine = False
    with _stopped_on_error(sent):
        _copy_in(buffer, caller, lo, mid)
        wall, cpu = time.perf_counter(), time.thread_time()
        lane(*lane_args, lo, mid, step, passed, ALONE)
        if sent:
            TWIN.observe(time.perf_counter() - wall, time.thread_time() - cpu)
            try:
                if lost:
                    raise EOFError
                channel.wait(LANE_DONE)
                part(*mine_args, 0)
                mine = True
            except Aborted:                                       # its answer says why; its share is made here
                done = _ended(TWIN.wait)
            except (OSError, EOFError, TimeoutError):             # gone, or stopped answering
                TWIN.lost()
            else:
                done = _ended(TWIN.wait)
    if not done:
        lane(*lane_args, mid, hi, step, None, ALONE)
    if not mine:
        part(*mine_args, 0)
    if not done:                                                  # (after part 0, as with the twin)
        part(*mine_args, 1)
    if parts is not None:
        np.add(parts[0][0], parts[0][1], out=parts[1])
    return done


def twin_rows(mine: np.ndarray, theirs: np.ndarray, start: int, twin_made: bool) -> None:
    """An output that the parts write by rows (time first), straight into the caller's memory here (run_parts's
    ``here``): the rows start.. of the twin's part 1, which it wrote into its shared block, copied in when it made
    them (else this process wrote them there itself)."""
    if twin_made:
        np.copyto(mine[start:], theirs[start:])


@contextlib.contextmanager
def _stopped_on_error(sent: bool):
    """An exception here while the twin works on a job (a KeyboardInterrupt too) stops it (twin.abandon) before the
    exception goes on: its state is unknown, and it must not write a block any more."""
    try:
        yield
    except BaseException:
        if sent and TWIN._pending:
            TWIN.abandon()
        raise


def _ended(wait) -> bool:
    """Did the twin's job make its share? (False when it stopped early or failed: this process makes it.)"""
    try:
        return wait()
    except TwinFailed:
        return False


def twin_share(lane, part, lane_args, part_args, lo: int, hi: int, step: int, channel) -> None:
    """The twin's share of run_parts: lane lo:hi, LANE_DONE, wait for the other lane's PASSED, part 1."""
    lane(*lane_args, lo, hi, step, None, channel)
    channel.signal(LANE_DONE)
    channel.wait(PASSED)
    part(*part_args, 1)


def _send_after_its_inflow(job: str, args: tuple, use_twin: bool, inflow: tuple, split: tuple[slice, slice]) -> bool:
    """The twin's examples of the inflow copied, then its job sent: was it?"""
    _copy_in(*inflow, split[1].start, split[1].stop)
    if not use_twin:
        return False
    try:
        TWIN.submit(job, *args)
        return True
    except TwinFailed:
        return False


INFLOW_PAGES = 512               # rows × examples per copy of an inflow, at most


def _copy_in(buffer: np.ndarray, caller: np.ndarray, lo: int, hi: int) -> None:
    """The examples lo:hi of the caller's (T_x, m, rows) into the buffer's, a few examples at a time.

    A course's array read so has each element a page apart (da: (n_a, m, T_x)): each row written reads ``rows``
    pages, and a page holds about 10 examples of a row. Copies of INFLOW_PAGES / rows examples keep the pages
    they read within the processor's first table of pages (the bar's da, 64 rows: 125 µs for a lane in one copy,
    96 in copies of 8 examples; x, 32 rows, gains nothing from copies of 4 or 8). Into rows with gaps (the LSTM's x,
    within R), in one copy: in copies of 16 examples it took 110 µs against 87."""
    step = max(1, INFLOW_PAGES // buffer.shape[2]) if buffer.strides[1] == buffer[0, 0].nbytes else max(1, hi - lo)
    for i in range(lo, hi, step):
        j = min(i + step, hi)
        np.copyto(buffer[:, i:j], caller[:, i:j])


def shared(*arrays) -> bool:
    return all(a is None or BLOCKS.where(a) is not None for a in arrays)


def carve(shapes: list[tuple[int, ...]], dtype, want_shared: bool) -> tuple[list[np.ndarray], bool]:
    """Arrays of these shapes in ONE allocation: a shared block when ``want_shared`` and one can be had (True),
    else private memory (False)."""
    arrays = BLOCKS.carve(shapes, dtype) if want_shared else None
    return (arrays, True) if arrays is not None else (lk._carve(shapes, dtype), False)


class Kept:
    """A backward's buffers, kept per shape for this thread's next call: ``kept(shape, dtype, want_shared)`` is
    ``make(*shape, dtype, want_shared)``'s object (its ``shared`` attribute True when in a shared block), made anew
    when shared ones are wanted and the kept ones are not; at most LayerKernels.LIMIT shapes."""

    def __init__(self, make) -> None:
        self._make, self._local = make, threading.local()
        if hasattr(os, "register_at_fork"):                       # kept buffers in a shared block must not be
            os.register_at_fork(after_in_child=self._reset, after_in_parent=self._reset)   # written by both

    def _reset(self) -> None:
        self._local = threading.local()

    def __call__(self, shape: tuple, dtype, want_shared: bool):
        kept = getattr(self._local, "by_shape", None)
        if kept is None:
            kept = self._local.by_shape = {}
        key = (*shape, np.dtype(dtype))
        if key not in kept or (want_shared and not kept[key].shared):
            if len(kept) >= lk.LayerKernels.LIMIT:
                kept.clear()
            kept[key] = self._make(*shape, dtype, want_shared)
        return kept[key]


