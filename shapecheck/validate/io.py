"""Loading arrays from files, safely: ``.npz`` read by its headers first, then with ``allow_pickle=False``.

Before a byte of array data is read, every member's ``.npy`` header says its dtype and shape; the archive is
refused, in one sentence, when it is not a zip (random bytes, a CSV named .npz), when a header claims more
numbers than its member holds (10¹² elements in a few bytes), when it needs pickle, when it would unpack to
far more than it weighs (a zip bomb), or when its arrays would not fit in the memory this machine has free.
"""

from __future__ import annotations

import math
import os
import zipfile
from pathlib import Path

import numpy as np

from shapecheck.core.errors import ShapecheckError

NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
BOMB_RATIO = 200  # unpacked / packed: real weights compress little; deflate's most is about 1000
BOMB_FLOOR = 256 << 20  # a small archive may be all zeros: only a large unpacked size is suspect


def load_arrays(path: str | os.PathLike, force: bool = False) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` archive (or one ``.npy``), refusing pickled objects and non-numeric data.

    ``force``: load even when the estimate says the arrays do not fit in the memory available.
    """
    p = Path(path)
    if p.is_dir():
        raise ShapecheckError("check.npz_folder", path=p)
    if not p.is_file():
        raise ShapecheckError("check.npz_missing" if not p.exists() else "check.npz_not_regular", path=p)
    numbers, itemsize = inspect_archive(p)
    from shapecheck.core.cost import arrays, require

    from shapecheck.core.messages import msg

    require(arrays(numbers, msg("cost.archive_what", path=p, numbers=numbers), itemsize), force)
    try:
        archive = np.load(p, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ShapecheckError("check.npz_bad", path=p, reason=str(exc).split("\n")[0] or type(exc).__name__) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        archive = {"arr_0": archive}  # a bare .npy
    arrays_read = {}
    with_close = getattr(archive, "close", None)
    try:
        for name in archive.keys():
            try:
                value = archive[name]
            except ValueError:  # object arrays need pickle, which we refuse
                raise ShapecheckError("check.npz_pickled", path=p, name=name) from None
            except (OSError, zipfile.BadZipFile, EOFError) as exc:  # a member cut short or corrupted
                raise ShapecheckError("check.npz_bad", path=p, reason=str(exc).split("\n")[0] or type(exc).__name__) from None
            if value.dtype.kind not in "biufc":
                raise ShapecheckError("check.npz_not_numeric", path=p, name=name, dtype=value.dtype)
            arrays_read[name] = value
    finally:
        if with_close:
            with_close()
    if not arrays_read:
        raise ShapecheckError("check.npz_empty", path=p)
    return arrays_read


def inspect_archive(p: Path) -> tuple[int, int]:
    """(numbers, largest itemsize) that the archive's headers declare, each header checked against its member's
    real size; nothing but headers is read."""
    with p.open("rb") as f:
        head = f.read(512)
    if head.startswith(NPY_MAGIC):
        with p.open("rb") as f:
            return _member(f, p.name, p.stat().st_size, p)
    if head[:4] not in ZIP_MAGICS:
        raise ShapecheckError("check.npz_text" if _looks_like_text(head) else "check.npz_not_zip", path=p)
    try:
        with zipfile.ZipFile(p) as archive:
            members = archive.infolist()
            packed = sum(info.compress_size for info in members)
            unpacked = sum(info.file_size for info in members)
            if unpacked > BOMB_FLOOR and unpacked > BOMB_RATIO * max(packed, 1):
                raise ShapecheckError("check.npz_bomb", path=p, packed=packed, unpacked=unpacked)
            numbers, itemsize = 0, 1
            for info in members:
                with archive.open(info) as member:
                    count, size = _member(member, info.filename, info.file_size, p)
                numbers, itemsize = numbers + count, max(itemsize, size)
            return numbers, itemsize
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise ShapecheckError("check.npz_bad", path=p, reason=str(exc).split("\n")[0] or type(exc).__name__) from None


def _member(stream, name: str, size: int, p: Path) -> tuple[int, int]:
    """(elements, itemsize) of one .npy member from its header; its data must be exactly as long as declared."""
    from numpy.lib import format as npy

    key = name.removesuffix(".npy")
    try:
        version = npy.read_magic(stream)
        reader = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, _, dtype = reader(stream, max_header_size=10_000)
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as exc:
        raise ShapecheckError("check.npz_bad", path=p, reason=f"{key}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    if dtype.hasobject:
        raise ShapecheckError("check.npz_pickled", path=p, name=key)
    elements = math.prod(shape)
    declared = elements * dtype.itemsize
    if declared != size - stream.tell():
        raise ShapecheckError("check.npz_header_lies", path=p, name=key, shape=tuple(shape), dtype=dtype,
                              elements=elements, declared=declared, actual=max(0, size - stream.tell()))
    return elements, dtype.itemsize


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text) and all(c.isprintable() or c in "\r\n\t" for c in text)
