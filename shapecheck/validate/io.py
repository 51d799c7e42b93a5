"""Loading arrays from files, safely: ``.npz`` with ``allow_pickle=False``, numbers only."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from shapecheck.core.errors import ShapecheckError


def load_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` archive, refusing pickled objects and non-numeric data."""
    p = Path(path)
    if not p.is_file():
        raise ShapecheckError("check.npz_missing", path=p)
    try:
        archive = np.load(p, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ShapecheckError("check.npz_bad", path=p, reason=str(exc).split("\n")[0] or type(exc).__name__) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        archive = {"arr_0": archive}  # a bare .npy
    arrays = {}
    with_close = getattr(archive, "close", None)
    try:
        for name in archive.keys():
            try:
                value = archive[name]
            except ValueError:  # object arrays need pickle, which we refuse
                raise ShapecheckError("check.npz_pickled", path=p, name=name) from None
            if value.dtype.kind not in "biufc":
                raise ShapecheckError("check.npz_not_numeric", path=p, name=name, dtype=value.dtype)
            arrays[name] = value
    finally:
        if with_close:
            with_close()
    if not arrays:
        raise ShapecheckError("check.npz_empty", path=p)
    return arrays
