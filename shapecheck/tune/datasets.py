"""The data a sweep learns from: a built-in set by name, the user's own file, or arrays.

- ``"flower"``, ``"moons"``, ``"circles"``, ``"linear"``: made by numpy from a seed
  (``shapecheck.engine.data``), nothing downloaded; ``"linear"`` takes as many features as n0 asks.
- ``PATH.npz``: the arrays ``X`` (n0, m) and ``Y`` (1, m), e.g. ``np.savez(path, X=X, Y=Y)``.
- ``PATH.csv``: the course's layout, one column per example: the n0 rows of X, then the row of
  labels Y, as ``np.savetxt(path, np.vstack([X, Y]), delimiter=",")`` writes them. Lines that
  start with ``#`` are comments. A file with one example per row (a spreadsheet's layout) is
  named as transposed, with the fix; it is never transposed silently.
- ``(X, Y)``: the user's arrays, used as they are (never written into, never copied).

Shapes are the tracer's business (``sweep`` checks X and Y against every network before any
training, with the tracer's sentences); here we check what the tracer cannot see: that the file
holds X and Y, that every number is finite, and that labels for a sigmoid output lie in [0, 1].

    >>> data = load_data("moons", m=10)
    >>> data.name, data.X.shape, data.Y.shape
    ('moons', (2, 10), (1, 10))
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shapecheck.engine import data as built_in
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.text_files import not_utf8

BUILT_IN = ("flower", "moons", "circles", "linear")
TWO_D = ("flower", "moons", "circles")  # points in the plane: n0 is 2


@dataclass(frozen=True)
class Dataset:
    """X (n0, m) and Y (n_y, m), examples as columns, and where they came from."""

    name: str
    X: np.ndarray
    Y: np.ndarray

    @property
    def m(self) -> int:
        return self.X.shape[1]


def load_data(source, m: int = 400, seed: int | None = 0, n0: int | None = None, n_y: int = 1) -> Dataset:
    """A Dataset from a built-in set's name, an .npz or .csv path, an (X, Y) pair, or a Dataset.

    ``n0`` (the network's input size) lets a CSV file be told apart from its transpose and makes
    the linear set as wide as the network; ``m`` and ``seed`` shape the built-in sets only.
    """
    if isinstance(source, Dataset):
        return source
    if isinstance(source, tuple) and len(source) == 2:
        X, Y = source
        return Dataset("arrays", np.asarray(X), np.asarray(Y))
    if isinstance(source, str) and source in BUILT_IN:
        return _built_in(source, m, seed, n0)
    if not isinstance(source, (str, os.PathLike)):
        raise ShapecheckError("tune.data_type", type=type(source).__name__, known=", ".join(BUILT_IN))
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in (".npz", ".csv"):
        raise ShapecheckError("tune.data_unknown", value=str(source), known=", ".join(BUILT_IN))
    if not path.exists():
        raise ShapecheckError("tune.data_missing", path=path)
    if suffix == ".npz":
        return read_npz(path)  # the archive reader names a folder, a pipe or a device itself
    if not path.is_file():  # a pipe would block np.loadtxt forever
        raise ShapecheckError("tune.data_not_regular", path=path)
    return read_csv(path, n0=n0, n_y=n_y)


def _built_in(name: str, m: int, seed: int | None, n0: int | None) -> Dataset:
    if name == "linear":
        X, Y = built_in.make_linear(m=m, seed=seed, n_x=n0 or 2)
    else:
        X, Y = getattr(built_in, f"make_{name}")(m=m, seed=seed)
    return Dataset(name, X, Y)


def check_built_in_width(name: str, n0: int) -> None:
    """The flower, moons and circles are points in the plane: a network on them starts with n0 = 2."""
    if name in TWO_D and n0 != 2:
        raise ShapecheckError("tune.data_two_d", name=name, n0=n0)


def read_npz(path: Path) -> Dataset:
    """X and Y from an .npz archive (loaded with allow_pickle=False)."""
    from shapecheck.validate.io import load_arrays

    arrays = load_arrays(path)
    names = {key.upper(): key for key in arrays if key.upper() in ("X", "Y")}
    if "X" not in names or "Y" not in names:
        raise ShapecheckError("tune.npz_keys", path=path, keys=", ".join(sorted(arrays)))
    return Dataset(path.name, arrays[names["X"]], arrays[names["Y"]])


def read_csv(path: Path, n0: int | None = None, n_y: int = 1) -> Dataset:
    """The course's layout: n0 rows of features, then n_y rows of labels; one column per example."""
    try:
        table = np.loadtxt(path, delimiter=",", ndmin=2, dtype=np.float64)
    except UnicodeDecodeError:  # a ValueError too, but about the file's encoding, not its numbers
        raise not_utf8(path, path.read_bytes()) from None
    except ValueError as exc:  # a header, a stray word, rows of different lengths
        raise ShapecheckError("tune.csv_bad", path=path, reason=str(exc).split("\n")[0].rstrip(".")) from None  # the sentence ends it
    rows, columns = table.shape
    if rows == 0 or columns == 0:
        raise ShapecheckError("tune.csv_empty", path=path)
    if n0 is not None and rows != n0 + n_y:
        key = "tune.csv_transposed" if columns == n0 + n_y else "tune.csv_rows"
        raise ShapecheckError(key, path=path, rows=rows, columns=columns, n0=n0, n_y=n_y, want=n0 + n_y)
    if rows <= n_y:
        raise ShapecheckError("tune.csv_rows", path=path, rows=rows, columns=columns, n0="n0", n_y=n_y, want=f"n0 + {n_y}")
    return Dataset(path.name, table[:-n_y], table[-n_y:])


def check_values(data: Dataset, output: str) -> None:
    """Every number finite; labels in [0, 1] when the output is a sigmoid (or softmax): log(A) needs them there."""
    for name, array in (("X", data.X), ("Y", data.Y)):
        if array.dtype.kind not in "biuf":
            continue  # the tracer names a non-numeric array
        bad = ~np.isfinite(array)
        if bad.any():
            where = np.argwhere(bad)[0]
            raise ShapecheckError("tune.not_finite", source=data.name, name=name, value=array[tuple(where)],
                                  index=tuple(int(i) for i in where))
    if output in ("sigmoid", "softmax") and data.Y.dtype.kind in "biuf":
        outside = (data.Y < 0) | (data.Y > 1)
        if outside.any():
            where = np.argwhere(outside)[0]
            raise ShapecheckError("tune.labels_range", source=data.name, value=data.Y[tuple(where)],
                                  index=tuple(int(i) for i in where), output=output)
