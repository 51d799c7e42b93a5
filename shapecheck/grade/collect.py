"""Submissions: which file is each student's, under which id, with which hash.

``collect(paths)``: a ``.py`` or ``.ipynb`` file is one student (id: the file's stem); a folder is a
class, whose entries are the students: a ``.py``/``.ipynb`` file each, or a folder each holding it
(id: the folder's name). ``collect_student(folder)`` reads one student's folder (Gradescope's
/autograder/submission). In a student's folder the course's own helpers (dnn_utils.py, testCases.py
...) are not the submission; of several candidates, the one defining most contract functions is.

What cannot be graded is still a submission, with a ``fault``: a folder with no Python file, a file
that is not Python, an id given twice, a symbolic link (to the grader's key, the course's reference or
a classmate's file: never followed inside a class folder), a pipe or device, a file over 5 MB. The run
reports it for that student and goes on. A file is read once (no link followed, never blocking) and
its hash is of exactly the bytes the grader then checks.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.printable import printable
from shapecheck.diagnosis.source import read_source_bytes

PYTHON = (".py", ".ipynb")
# the course's own files that students keep next to their solution
COURSE_FILES = re.compile(r"^(dnn_utils|dnn_app_utils|testCases|test_cases|public_tests|test_utils|rnn_utils|lr_utils"
                          r"|outputs|utils)(_v\d+[a-z]?)?\.(py|ipynb)$", re.IGNORECASE)
SKIPPED = ("__pycache__", ".ipynb_checkpoints", "__MACOSX")


@dataclass(frozen=True)
class Fault:
    """Why a submission cannot be graded: a message id of grade.toml and the sentence."""

    id: str
    message: str

    def to_json(self) -> dict:
        return {"id": self.id, "message": self.message}


@dataclass(frozen=True)
class Submission:
    id: str  # the student
    path: Path  # the file graded, or what was handed in when there is a fault
    sha256: str = ""  # of the file's bytes: a result is reused only for the same bytes
    fault: Fault | None = None

    @property
    def key(self) -> str:
        """The id as a file name in the results folder: readable, and distinct for distinct ids."""
        return safe_name(self.id)


SUFFIXED = re.compile(r"-[0-9a-f]{8,}$")


def safe_name(student_id: str) -> str:
    """Readable, and distinct for distinct ids even on a case-blind disk: an id that had to be cleaned,
    has capitals, or already ends like a suffix gets a suffix of its own hash (so ``Smith_John-7c8fcfa9``
    cannot take the key of ``Smith John``, nor ``ALICE`` the key of ``alice``)."""
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", student_id).lstrip(".") or "_"
    if clean != student_id or clean != clean.lower() or SUFFIXED.search(clean):
        clean += "-" + hashlib.sha256(student_id.encode()).hexdigest()[:16]
    return clean


def file_hash(path: Path) -> str:
    return hashlib.sha256(read_source_bytes(path, follow=False)).hexdigest()


def collect(paths: list[str | Path]) -> list[Submission]:
    """Every student in ``paths`` (files or class folders), in id order; ids given twice are faults."""
    found: list[Submission] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_entry(entry) for entry in sorted(path.iterdir()) if not _skipped(entry))
        elif path.is_file():  # named by the instructor: a link of theirs is followed, once, here
            found.append(_file(Path(os.path.realpath(path)), path.stem))
        else:
            raise ShapecheckError("grade.no_submission", path=path)
    return _unique(found)


def collect_student(folder: str | Path) -> list[Submission]:
    """One student's folder (or file), as Gradescope hands it over: a list of one submission."""
    path = Path(folder)
    if not path.exists():
        raise ShapecheckError("grade.no_submission", path=path)
    if path.is_file():
        return [_file(Path(os.path.realpath(path)), path.stem)]
    return [_folder(path, path.name)]


def _skipped(entry: Path | str) -> bool:
    name = entry if isinstance(entry, str) else entry.name
    return name.startswith(".") or name in SKIPPED


def _entry(path: Path) -> Submission:
    if path.is_symlink():  # a student's entry in the class folder: never followed
        student = printable(path.stem if path.suffix.lower() in PYTHON else path.name, one_line=True)
        return Submission(student, path, fault=Fault("symlink", msg("diagnose.symlink", path=printable(str(path)))))
    if path.is_dir():
        return _folder(path, printable(path.name, one_line=True))
    return _file(path, path.stem)


def _file(path: Path, student: str) -> Submission:
    student, shown = printable(student, one_line=True), printable(str(path))
    if path.suffix.lower() not in PYTHON:
        return Submission(student, path, fault=Fault("not_python", msg("grade.not_python", path=shown)))
    try:
        return Submission(student, path, file_hash(path))
    except ShapecheckError as exc:
        return Submission(student, path, fault=Fault(exc.message_id.split(".")[-1], printable(str(exc))))


def _files(folder: Path) -> list[Path]:
    """The Python files under a student's folder, links included (so one can be refused by name), never
    walking into a linked folder (a link to / would walk the whole machine)."""
    found = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        found += [Path(root) / n for n in names if Path(n).suffix.lower() in PYTHON and not _skipped(n)]
    return sorted(found)


def _folder(folder: Path, student: str) -> Submission:
    files = _files(folder)
    candidates = [p for p in files if not COURSE_FILES.match(p.name)] or files
    if not candidates:
        return Submission(student, folder, fault=Fault("no_python", msg("grade.no_python", path=printable(str(folder)))))
    if len(candidates) == 1:
        return _file(candidates[0], student)
    scored = sorted(((_contract_count(p), p) for p in candidates), key=lambda t: (-t[0], str(t[1])))
    if scored[0][0] == scored[1][0]:
        tied = printable(", ".join(p.name for count, p in scored if count == scored[0][0]))
        return Submission(student, folder, fault=Fault("ambiguous", msg("grade.ambiguous", path=printable(str(folder)), files=tied)))
    return _file(scored[0][1], student)


def _contract_count(path: Path) -> int:
    from shapecheck.diagnosis.contract import NAMES

    try:
        text = read_source_bytes(path, follow=False).decode("utf-8", errors="replace")
    except ShapecheckError:
        return -1
    return sum(f"def {name}(" in text for name in NAMES)


def _unique(found: list[Submission]) -> list[Submission]:
    """One submission per id. Ids that differ only in case are the same file name on some disks: the same id."""
    by_key: dict[str, list[Submission]] = {}
    for submission in found:
        by_key.setdefault(submission.key.lower(), []).append(submission)
    out = []
    for group in by_key.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        # every id of the group, each with its paths: none vanishes from the report
        paths = ", ".join(printable(str(s.path)) for s in group)
        ids = ", ".join(sorted({s.id for s in group}))
        for submission in {s.id: s for s in group}.values():
            out.append(Submission(submission.id, submission.path,
                                  fault=Fault("duplicate_id", msg("grade.duplicate_id", id=ids, paths=paths))))
    return sorted(out, key=lambda s: s.id)
