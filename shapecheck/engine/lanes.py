"""A recurrent pass in two lanes of examples: the first here, the second in the twin process when it can help.

The examples of a batch never meet in a recurrent pass until the weights' gradients sum over them:
examples 0..m/2 and m/2..m are two independent passes through time (lanes), each with its own
sequential chain of steps. At sizes worth it (``lanes``), the course's LSTM runs in lanes always:
this process runs lane 0 while the twin (twin.py) runs lane 1 on the same shared arrays, or this
process runs both when no twin can help, one after the other, with the same calls, so that the
numbers never depend on the machine's load. The backward's weight products then split in two
parts by columns of dWᵀ (and rows of dx), one for each process.

A kernel's lanes (lstm_lanes.py) are functions of the shared arrays and a lane's rows, run by ``run``.
"""

from __future__ import annotations

import time

from shapecheck.engine.shared_blocks import BLOCKS
from shapecheck.engine.twin import ALONE, LANE_DONE, PASSED, TWIN, TwinFailed

LANE_EXAMPLES = 16               # examples per lane at least: below, a step's calls cost more than they compute
LANES_WORTH = 10**7              # multiply-adds of a forward pass: below, the twin's hand-overs cost more than they save


def lanes(m: int, multiply_adds: int) -> tuple[slice, slice] | None:
    """The two lanes of a batch of m examples, or None when the pass is too small to split."""
    if m < 2 * LANE_EXAMPLES or multiply_adds < LANES_WORTH:
        return None
    half = (m + 1) // 2
    return slice(0, half), slice(half, m)


def run(job: str, here, args: tuple, twin_args: tuple, use_twin: bool, prepare=None) -> None:
    """here(*args, ALONE) in this process and ``job`` (here's name there) on twin_args in the twin, at the same
    time; or both here, the twin's after. ``prepare()``, if given, runs here first (after the hand-over)."""
    sent = _send(job, twin_args, use_twin)
    if prepare is not None:
        prepare()
    wall, cpu = time.perf_counter(), time.thread_time()
    here(*args, ALONE)
    if sent:
        TWIN.observe(time.perf_counter() - wall, time.thread_time() - cpu)
        try:
            TWIN.wait()
            return
        except TwinFailed:
            pass
    here(*twin_args, ALONE)


def run_backward(job: str, lane, part, lane_args: tuple, part_args: tuple, split: tuple[slice, slice], step: int,
                 use_twin: bool, prepare=None) -> None:
    """A backward pass's two lanes, then the weights' two parts, with one hand-over to the twin.

    ``lane(*lane_args, lo, hi, step, on_step, channel)`` runs examples lo:hi backward through time, calling
    on_step once it has passed ``step`` (the steps step..T_x are done); ``part(*part_args, p)`` makes the weights'
    share of steps 0..step (p = 0) or step..T_x (p = 1) of every example. The twin: lane 1, says so, waits until
    lane 0 has passed ``step``, part 1 (``twin_share``, run there as ``job``). This process: lane 0 (saying when it
    passes ``step``), waits for lane 1, part 0, waits for the twin's end. Alone, or when the twin fails at any point:
    lane 0, lane 1, part 1, part 0 here, the same calls. ``prepare()``, if given, runs here first (after the
    hand-over)."""
    (lo, mid), (_, hi) = (split[0].start, split[0].stop), (split[1].start, split[1].stop)
    sent = _send(job, (lane_args, part_args, mid, hi, step), use_twin)
    if prepare is not None:
        prepare()
    channel, lost = (TWIN.channel if sent else ALONE), []

    def passed() -> None:
        try:
            channel.signal(PASSED)
        except OSError:                                           # the twin is gone: noted, this lane goes on
            lost.append(True)

    wall, cpu = time.perf_counter(), time.thread_time()
    lane(*lane_args, lo, mid, step, passed, ALONE)
    if sent and not lost:
        TWIN.observe(time.perf_counter() - wall, time.thread_time() - cpu)
        try:
            channel.wait(LANE_DONE)
        except (OSError, EOFError, TimeoutError):                 # gone, or stopped answering
            lost.append(True)
    if sent and lost:
        TWIN.signal_failed()
        sent = False
    if sent:
        part(*part_args, 0)
        try:
            TWIN.wait()
            return
        except TwinFailed:                                        # (its lane and part are made again here)
            pass
    twin_share(lane, part, lane_args, part_args, mid, hi, step, ALONE)
    part(*part_args, 0)


def twin_share(lane, part, lane_args, part_args, lo: int, hi: int, step: int, channel) -> None:
    """The twin's share of run_backward: lane lo:hi, LANE_DONE, wait for the other lane's PASSED, part 1."""
    lane(*lane_args, lo, hi, step, None, channel)
    channel.signal(LANE_DONE)
    channel.wait(PASSED)
    part(*part_args, 1)


def _send(job: str, args: tuple, use_twin: bool) -> bool:
    if not use_twin:
        return False
    try:
        TWIN.submit(job, *args)
        return True
    except TwinFailed:
        return False


def shared(*arrays) -> bool:
    return all(a is None or BLOCKS.where(a) is not None for a in arrays)


