"""The results folder: one signed JSON per submission, the class files, every write atomic.

Layout of DIR:
  submissions/<id>.json   the diagnose report plus score, one per student (collect.safe_name(id))
  class.json, class.csv   the class summary, student x function
A file is written to a temporary name in the same folder, flushed to disk, then renamed over the old
one: a run killed at any instant leaves each result whole or absent, never half-written. Leftover
temporary files of a killed run are removed when the folder is opened again.

Only the coordinator (the ``grade`` process) writes records, and it signs each one: an HMAC-SHA256 of
the record's canonical JSON and its file name, under a key that lives outside the results folder
(``key_path()``: ``$SHAPECHECK_GRADE_KEY``, else ``$XDG_STATE_HOME/shapecheck/grade.key``, else
``~/.local/state/shapecheck/grade.key``), created by the coordinator with mode 0600 in a 0700 folder.
Graders and the student's sandbox never receive it: it is read by the coordinator only, after the
graders have started from a fresh interpreter, and the sandbox (SECURITY.md) is denied the file.
A record is opened without following a symlink and only when it is a regular file (a FIFO or a
device at a record path is neither waited on nor read); one whose signature does not verify, or that
another key signed, is not ours: it is graded again. So resume trusts only what this account's
coordinator wrote, and a record copied, edited or planted by anyone else counts for nothing.

Resumable: a verified record is reused when it is for the same student, the same file bytes (sha256)
and the same diagnosis options, the language included (a record keeps the diagnosis's sentences as
they were said: reused in another language, one report would mix two); scores are recomputed from it,
so a changed rubric needs no new diagnosis.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from shapecheck.core.errors import ShapecheckError

TEMP_PREFIX = ".tmp-"
SIGNATURE = "signature"  # the record's key that holds its HMAC
RECORD_LIMIT = 64 * 2**20  # bytes: a larger "record" was not written by us
KEY_BYTES = 32


class ResultStore:
    def __init__(self, root: str | Path, key: bytes | None = None) -> None:
        self.root = Path(root)
        self.submissions = self.root / "submissions"
        self._key = key

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = signing_key()
        return self._key

    def open(self) -> "ResultStore":
        if self.root.exists() and not self.root.is_dir():  # before anything is graded: nothing to keep or go on with
            raise ShapecheckError("grade.out_not_folder", path=self.root)
        try:
            self.submissions.mkdir(parents=True, exist_ok=True)
            for folder in (self.root, self.submissions):
                for stale in folder.glob(TEMP_PREFIX + "*"):
                    _remove(stale)
        except OSError as exc:
            raise ShapecheckError("grade.cannot_write", path=self.root, reason=exc.strerror or exc) from None
        return self

    def path(self, key: str) -> Path:
        return self.submissions / f"{key}.json"

    def load(self, key: str) -> dict | None:
        """The record at ``key`` if this coordinator wrote it (signature verified), else None."""
        data = read_regular(self.path(key), RECORD_LIMIT)
        if data is None:
            return None
        try:
            record = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None  # not ours: graded again
        if not isinstance(record, dict) or not hmac.compare_digest(str(record.pop(SIGNATURE, "")), self.sign(key, record)):
            return None
        return record

    def reusable(self, key: str, student: str, sha256: str, options: dict) -> dict | None:
        record = self.load(key)
        if (record and record.get("status") == "graded" and record.get("id") == student
                and record.get("sha256") == sha256 and record.get("options") == options):
            return record
        return None

    def sign(self, key: str, record: dict) -> str:
        """HMAC-SHA256 of the record (without its signature) and of its file name: a valid record
        moved to another student's path does not verify there."""
        text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return hmac.new(self.key, f"{key}\0{text}".encode(), hashlib.sha256).hexdigest()

    def save(self, key: str, record: dict) -> None:
        write_atomic(self.path(key), dumps({**record, SIGNATURE: self.sign(key, record)}))

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        write_atomic(path, text)
        return path

    def records(self) -> list[dict]:
        """Every verified record in the folder, in file-name order."""
        out = []
        for path in sorted(self.submissions.glob("*.json")):
            if path.name.startswith(TEMP_PREFIX):
                continue
            record = self.load(path.stem)
            if record is not None:
                out.append(record)
        return out


def key_path() -> Path:
    """Where the signing key lives: outside any results folder, in the instructor's own state folder."""
    given = os.environ.get("SHAPECHECK_GRADE_KEY")
    if given:
        return Path(given)
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "shapecheck" / "grade.key"


def signing_key(path: Path | None = None) -> bytes:
    """The coordinator's key: read from ``path`` (0600, ours, a regular file), or created there.

    A key file that others may read, or that is a symlink or not ours, is refused with one line: a
    key someone else can read signs nothing. Where no key can be kept (a read-only home), the key
    lives for this run only and nothing of an earlier run is reused.
    """
    path = path or key_path()
    for _ in range(2):  # a concurrent coordinator may create it between our two calls
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            created = _create_key(path)
            if created is not None:
                return created
            continue
        except OSError as exc:
            raise ShapecheckError("grade.key_unsafe", path=path, reason=exc.strerror or exc) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
                raise ShapecheckError("grade.key_unsafe", path=path, reason=oct(stat.S_IMODE(info.st_mode)))
            key = os.read(fd, 4 * KEY_BYTES).strip()
        finally:
            os.close(fd)
        if len(key) < KEY_BYTES:
            raise ShapecheckError("grade.key_unsafe", path=path, reason=f"{len(key)} bytes")
        return key
    return secrets.token_hex(KEY_BYTES).encode()


def _create_key(path: Path) -> bytes | None:
    """A fresh key at ``path`` (None if another process made one first); an ephemeral one if none can be kept."""
    key = secrets.token_hex(KEY_BYTES).encode()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return None
    except OSError:
        return key  # nowhere to keep it: this run's records verify in this run only
    try:
        os.write(fd, key + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; never follows a symlink,
    never blocks on a FIFO (opened non-blocking, then refused by its type)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return None
    except OSError:
        return None
    finally:
        os.close(fd)


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """``text`` into ``path``, whole or not at all: temporary file, fsync, rename.

    The rename replaces whatever is at ``path`` (a symlink is replaced, not followed); a folder put
    there is removed first, since the results folder is ours."""
    try:
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix="-" + path.name, dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ShapecheckError("grade.cannot_write", path=path, reason=exc.strerror or exc) from None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
