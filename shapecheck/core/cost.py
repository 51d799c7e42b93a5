"""What a run will cost, estimated from its sizes before anything is allocated.

    cost = dense_training([2, 20, 1], m=400, runs=4, iterations=10**9)
    require(cost)            # ShapecheckError with both numbers when the machine has less; force=True to try

Memory: the arrays a run keeps (float64, 8 bytes a number), with the work arrays of its passes, from the
sizes alone. Time, for long runs: a conservative rate per multiply-add and per pass. The machine's memory
is the smallest of MemAvailable, the cgroup's limit, the process's RLIMIT_AS and ``SHAPECHECK_MAX_MEMORY``
(e.g. ``2G``, for a shared machine). ``guard()`` then caps the process's address space at that, so a run
that outgrows its estimate (or was forced) gets a MemoryError, a sentence and exit 2, never the kernel's
out-of-memory killer. Standard library only: the shape commands import it without numpy.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Sequence

from shapecheck.core.errors import ShapecheckError

FLOAT = 8  # bytes of one float64: the engine computes in float64
BASE = 64 << 20  # the interpreter, numpy and the work arrays a pass reuses (fastcheck's CHUNK, BUDGET...)
SLACK = 256 << 20  # address space threads and allocators reserve without using it
LONG = 3600.0  # seconds: a run estimated longer than this is refused (--force to start it anyway)
PASS_SECONDS = 3e-5  # numpy's fixed cost of one layer's forward and backward, whatever its size
FLOP_SECONDS = 1e-9  # one multiply-add in a small matrix product: slow on purpose, estimates must not flatter


@dataclass(frozen=True)
class Cost:
    """An estimate: the bytes a run needs at its peak and, for runs that take a while, its seconds."""

    what: str
    bytes: int
    seconds: float = 0.0
    fix: str = "cost.fix_sizes"  # the message id of what to change


def human_bytes(n: float) -> str:
    """1.2 GB, 480.0 MB, 3.8 KB: 1024 to the KB, as Keras writes a model's size (and as free(1) counts)."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1024 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"  # pragma: no cover


def human_seconds(s: float) -> str:
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 3 * 86400:
        return f"{s / 3600:.0f} h"
    return f"{s / 86400:,.0f} days"


# --- what the machine has ----------------------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii") as f:
            return f.read()
    except (OSError, ValueError):
        return None


def _meminfo(field: str, text: str | None) -> int | None:
    for line in (text or "").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return None


def parse_size(text: str) -> int:
    """``2G``, ``512M``, ``1.5GB``, ``1000000``: bytes."""
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in units else ""
    try:
        number = float(value[: len(value) - len(unit)])
    except ValueError:
        raise ShapecheckError("cost.bad_limit", value=text) from None
    if not math.isfinite(number) or number <= 0:
        raise ShapecheckError("cost.bad_limit", value=text)
    return int(number * units[unit])


def _address_space_in_use() -> int:
    return _meminfo("VmSize", _read("/proc/self/status")) or 0


def available_memory() -> int | None:
    """Bytes this process may still use, or None where the system does not say (then nothing is refused)."""
    found = []
    available = _meminfo("MemAvailable", _read("/proc/meminfo"))
    if available is not None:
        found.append(available)
    limit, usage = _read("/sys/fs/cgroup/memory.max"), _read("/sys/fs/cgroup/memory.current")
    if limit and usage and limit.strip().isdigit() and usage.strip().isdigit():
        found.append(max(0, int(limit) - int(usage)))
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            found.append(max(0, soft - _address_space_in_use()))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not POSIX
        pass
    if os.environ.get("SHAPECHECK_MAX_MEMORY"):
        found.append(parse_size(os.environ["SHAPECHECK_MAX_MEMORY"]))
    return min(found) if found else None


_guarded: list[int] = []  # what guard() found available: the number to quote when memory runs out anyway


def guard() -> None:
    """Cap this process's address space at what is available (plus what threads reserve unused), so running
    out of memory is a MemoryError we can explain, never a kill. Only ever lowers the limit; Linux only."""
    available = available_memory()
    in_use = _address_space_in_use()
    if available is None or not in_use:
        return
    _guarded[:] = [available]
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = in_use + available + SLACK
        if soft == resource.RLIM_INFINITY or cap < soft:
            resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not POSIX, or not allowed
        pass


def guarded_available() -> int | None:
    """The memory that was available when guard() capped the process (None before), else what is now."""
    return _guarded[0] if _guarded else available_memory()


def require(cost: Cost, force: bool = False) -> None:
    """Refuse ``cost`` when it needs more memory than is available or runs longer than LONG (unless forced)."""
    if force:
        return
    available = available_memory()
    from shapecheck.core.messages import msg

    if available is not None and cost.bytes > available:
        raise ShapecheckError("cost.too_much_memory", what=cost.what, needed=human_bytes(cost.bytes),
                              available=human_bytes(available), fix=msg(cost.fix))
    if cost.seconds > LONG:
        raise ShapecheckError("cost.too_long", what=cost.what, seconds=human_seconds(cost.seconds),
                              limit=human_seconds(LONG), fix=msg(cost.fix))


# --- estimates, one per kind of run ------------------------------------------------------------------


def _dims(layer_dims: Sequence[int]) -> tuple[int, int, int]:
    """(Σ n[l], weights Σ n[l]·n[l-1], params) of [n0, ..., nL]."""
    units = sum(layer_dims)
    weights = sum(a * b for a, b in zip(layer_dims[1:], layer_dims[:-1]))
    return units, weights, weights + sum(layer_dims[1:])


def describe(layer_dims: Sequence[int]) -> str:
    return "[" + ", ".join(str(n) for n in layer_dims) + "]"


def dense_training(layer_dims: Sequence[int], m: int, runs: int = 1, iterations: int = 1, what: str = "") -> Cost:
    """Training ``runs`` networks side by side for ``iterations`` steps on m examples: X, Y, each run's Z[l],
    A[l], dZ[l], dA[l] (4·m·Σ n), W, b and their gradients (3·params), and the cost curve (iterations + 1)."""
    units, weights, params = _dims(layer_dims)
    numbers = 2 * m * (layer_dims[0] + layer_dims[-1]) + runs * (4 * m * units + 3 * params + iterations + 1)
    seconds = runs * iterations * (len(layer_dims) * PASS_SECONDS + 6 * m * weights * FLOP_SECONDS)
    return Cost(what or describe(layer_dims), BASE + FLOAT * numbers, seconds)


def dense_gradcheck(layer_dims: Sequence[int], m: int, mode: str = "full", k: int = 10, what: str = "") -> Cost:
    """The fast full check: the forward pass at θ, its caches and batched perturbations (≈ 8·m·Σ n), and
    S = ∂Z[K]/∂A[l] over the examples (≤ 2·m·max n[l]·n[l+1]); its time grows with params × m."""
    units, weights, params = _dims(layer_dims)
    widest = max(a * b for a, b in zip(layer_dims[1:], layer_dims[:-1]))
    numbers = 2 * m * (layer_dims[0] + layer_dims[-1]) + 8 * m * units + 2 * m * widest + 6 * params
    coordinates = params if mode == "full" else 2 * k
    seconds = coordinates * (len(layer_dims) * PASS_SECONDS + 4 * m * FLOP_SECONDS * max(1, units))
    return Cost(what or describe(layer_dims), BASE + FLOAT * numbers, seconds)


def recurrent_training(units: int, features: int, timesteps: int, samples: int, epochs: int, what: str) -> Cost:
    """An LSTM (4 gates) trained for ``epochs``: weights and Adam's two moments (4·params), each step's gate
    cache (≈ 10·units per sample and step), and the history."""
    params = 4 * (units * (units + features) + units)
    numbers = 4 * params + 10 * units * samples * timesteps + epochs
    seconds = epochs * timesteps * (4 * PASS_SECONDS + 8 * samples * params * FLOP_SECONDS)
    return Cost(what, BASE + FLOAT * numbers, seconds)


def arrays(numbers: int, what: str, itemsize: int = FLOAT) -> Cost:
    """Arrays of ``numbers`` elements in all, read from a file (each read once, then checked)."""
    return Cost(what, (16 << 20) + 2 * itemsize * numbers, fix="cost.fix_archive")
