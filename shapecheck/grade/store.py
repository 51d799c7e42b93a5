"""The results folder: one JSON per submission, the class files, every write atomic.

Layout of DIR:
  submissions/<id>.json   the diagnose report plus score, one per student (collect.safe_name(id))
  class.json, class.csv   the class summary, student x function
A file is written to a temporary name in the same folder, flushed to disk, then renamed over the old
one: a run killed at any instant leaves each result whole or absent, never half-written. Leftover
temporary files of a killed run are removed when the folder is opened again.

Resumable: a record is reused when it is for the same student, the same file bytes (sha256) and the
same diagnosis options, the language included (a record keeps the diagnosis's sentences as they were
said: reused in another language, one report would mix two); scores are recomputed from it, so a
changed rubric needs no new diagnosis.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from shapecheck.core.errors import ShapecheckError

TEMP_PREFIX = ".tmp-"


class ResultStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.submissions = self.root / "submissions"

    def open(self) -> "ResultStore":
        try:
            self.submissions.mkdir(parents=True, exist_ok=True)
            for folder in (self.root, self.submissions):
                for stale in folder.glob(TEMP_PREFIX + "*"):
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            raise ShapecheckError("grade.cannot_write", path=self.root, reason=exc.strerror or exc) from None
        return self

    def path(self, key: str) -> Path:
        return self.submissions / f"{key}.json"

    def load(self, key: str) -> dict | None:
        try:
            with open(self.path(key), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None  # absent, or not ours: graded again

    def reusable(self, key: str, student: str, sha256: str, options: dict) -> dict | None:
        record = self.load(key)
        if (record and record.get("status") == "graded" and record.get("id") == student
                and record.get("sha256") == sha256 and record.get("options") == options):
            return record
        return None

    def save(self, key: str, record: dict) -> None:
        write_atomic(self.path(key), dumps(record))

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        write_atomic(path, text)
        return path

    def records(self) -> list[dict]:
        """Every record in the folder, in file-name order."""
        out = []
        for path in sorted(self.submissions.glob("*.json")):
            if path.name.startswith(TEMP_PREFIX):
                continue
            record = self.load(path.stem)
            if record is not None:
                out.append(record)
        return out


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """``text`` into ``path``, whole or not at all: temporary file, fsync, rename."""
    try:
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix="-" + path.name, dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ShapecheckError("grade.cannot_write", path=path, reason=exc.strerror or exc) from None
