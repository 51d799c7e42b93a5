"""Memory that a second process can write: blocks of anonymous shared memory, reused once free.

A recurrent kernel split in two lanes of examples (lanes.py) runs one lane in a second process
(twin.py), which writes its rows of the tape and of the gradients where this process reads them:
the arrays live in these blocks. A block is a Linux memfd mapped here, and mapped there when the
twin first sees its descriptor; no file name exists, so nothing is left behind when either ends.

A block is free when no array outside this module views it (CPython's reference count of its base
array: views of it hold a reference to it): a kernel's buffers kept per shape hold theirs while
the kernel lives. The course's functions make a new tape at every call
and drop it when the caller drops its caches: the next call takes the same block again, so its
pages are faulted in once (a new block of 12 MB costs about 3000 page faults, 3-5 ms). Blocks
that the caller keeps are left alone; past ``LIMIT`` blocks in use, ``carve`` answers None and the
caller allocates private memory (and runs both lanes itself).
"""

from __future__ import annotations

import math
import mmap
import os
import sys
import threading
import weakref

import numpy as np

LIMIT = 32                       # blocks in use at once, at most (the caller's caches and kept kernels included)
ALIGN = 64                       # bytes: each carved array starts on a cache line
KEEP = 2**25                     # bytes: a free block up to this size is kept for the next call; a bigger one goes
                                 # back to the system as soon as nothing views it (as glibc does above 32 MB)


class Block:
    """One memfd mapping. Up to KEEP bytes, the registry holds its base (the uint8 array every carved array views)
    and hands the block out again once free; a bigger one only weakly: it is unmapped, and its descriptor closed,
    when the last view of it goes."""

    __slots__ = ("number", "fd", "size", "address", "_base", "_weak")

    def __init__(self, number: int, fd: int, base: np.ndarray) -> None:
        self.number, self.fd, self.size, self.address = number, fd, base.size, base.ctypes.data
        self._base = base if base.size <= KEEP else None
        self._weak = None if self._base is not None else weakref.ref(base)
        if self._base is None:
            weakref.finalize(base, _gone, number, fd)

    @property
    def base(self) -> np.ndarray | None:
        return self._base if self._base is not None else self._weak()

    def free(self) -> bool:
        """Kept, and no array views it (CPython's reference count of its base: its own, getrefcount's argument)."""
        return self._base is not None and sys.getrefcount(self._base) <= 2


def _gone(number: int, fd: int) -> None:
    """A big block's last view went: its descriptor closed, the twin told (TELL: at once when it is idle, else at its
    next job), so that its memory goes back to the system."""
    try:
        os.close(fd)
    except OSError:
        pass
    FORGOTTEN.append(number)
    if TELL is not None:
        TELL()


def available() -> bool:
    """Shared blocks need Linux's memfd_create (Python's os.memfd_create)."""
    return hasattr(os, "memfd_create") and sys.platform.startswith("linux")


class Blocks:
    """This process's blocks; ``carve`` hands out arrays from a free one."""

    def __init__(self) -> None:
        self._forget()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget, after_in_parent=self._retire)

    def _forget(self) -> None:
        """No blocks (a forked child starts so: its parent's are MAP_SHARED, and its parent writes them)."""
        self._blocks: list[Block] = []
        self._lock = threading.Lock()
        self._count = 0
        self._refused = False
        FORGOTTEN.clear()

    def _retire(self) -> None:
        """After a fork, in the parent: no block of before is handed out again (the child may view it: a shared
        mapping is not copied on write); the parent's own arrays keep theirs while they live."""
        with self._lock:
            for block in self._blocks:
                if block._base is not None:
                    os.close(block.fd)
                    FORGOTTEN.append(block.number)
            self._blocks = [b for b in self._blocks if b._base is None]   # (a big one is never handed out again)

    def carve(self, shapes: list[tuple[int, ...]], dtype) -> list[np.ndarray] | None:
        """Arrays of these shapes in ONE shared block (each on a 64-byte boundary), or None when no block can be had."""
        if not available():
            return None
        itemsize = np.dtype(dtype).itemsize
        sizes = [math.prod(shape) * itemsize for shape in shapes]         # (np.prod: 4 µs a shape)
        offsets, total = [], 0
        for size in sizes:
            offsets.append(total)
            total += -(-size // ALIGN) * ALIGN
        total = max(total, ALIGN)
        with self._lock:                                          # (views made under the lock: then it is not free)
            self._blocks = [b for b in self._blocks if b.base is not None]
            block = next((b for b in self._blocks if total <= b.size <= 2 * total and b.free()), None)
            if block is None:
                if self._refused or sum(not b.free() for b in self._blocks) >= LIMIT:
                    return None
                self._drop_free()
                try:
                    base = self._new(total)
                except OSError:                                   # (a sandbox that refuses memfd, no memory left)
                    self._refused = True
                    return None
            else:
                base = block.base
            return [base[o : o + n].view(dtype).reshape(shape) for o, n, shape in zip(offsets, sizes, shapes)]

    def _new(self, size: int) -> np.ndarray:
        """A new block's base (registered; the caller holds it: a big block's registry holds it only weakly)."""
        fd = os.memfd_create("shapecheck-lanes", os.MFD_CLOEXEC)
        try:
            os.ftruncate(fd, size)
            mapping = mmap.mmap(fd, size)
        except OSError:
            os.close(fd)
            raise
        self._count += 1
        base = np.frombuffer(mapping, np.uint8)
        self._blocks.append(Block(self._count, fd, base))
        return base

    def _drop_free(self) -> None:
        """Forget the free blocks before a new one is made: a shape that changed leaves none behind."""
        for block in [b for b in self._blocks if b.free()]:
            self._blocks.remove(block)
            os.close(block.fd)
            FORGOTTEN.append(block.number)

    def where(self, array: np.ndarray) -> tuple | None:
        """(block number, fd, byte offset, block size) of an array that views one of these blocks, else None."""
        base = array.base
        if base is None:
            return None
        for block in self._blocks:
            if block.base is base:
                return block.number, block.fd, array.__array_interface__["data"][0] - block.address, block.size
        return None


FORGOTTEN: list[int] = []        # blocks the twin may unmap (told with its next job)
TELL = None                      # tells an idle twin of FORGOTTEN now (twin.py sets it: Twin.forget)
BLOCKS = Blocks()
