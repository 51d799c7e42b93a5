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
from shapecheck.engine.twin import TWIN, TwinFailed

LANE_EXAMPLES = 16               # examples per lane at least: below, a step's calls cost more than they compute
LANES_WORTH = 10**7              # multiply-adds of a forward pass: below, the twin's hand-overs cost more than they save


def lanes(m: int, multiply_adds: int) -> tuple[slice, slice] | None:
    """The two lanes of a batch of m examples, or None when the pass is too small to split."""
    if m < 2 * LANE_EXAMPLES or multiply_adds < LANES_WORTH:
        return None
    half = (m + 1) // 2
    return slice(0, half), slice(half, m)


def run(job: str, here, args: tuple, twin_args: tuple, use_twin: bool) -> None:
    """here(*args) in this process and here(*twin_args) in the twin (at the same time), or both here."""
    sent = False
    if use_twin:
        try:
            TWIN.submit(job, *twin_args)
            sent = True
        except TwinFailed:
            pass
    wall, cpu = time.perf_counter(), time.thread_time()
    here(*args)
    if sent:
        TWIN.observe(time.perf_counter() - wall, time.thread_time() - cpu)
        try:
            TWIN.wait()
            return
        except TwinFailed:
            pass
    here(*twin_args)


def shared(*arrays) -> bool:
    return all(a is None or BLOCKS.where(a) is not None for a in arrays)


