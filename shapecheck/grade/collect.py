"""Submissions: which file is each student's, under which id, with which hash.

``collect(paths)``: a ``.py`` or ``.ipynb`` file is one student (id: the file's stem); a folder is a
class, whose entries are the students: a ``.py``/``.ipynb`` file each, or a folder each holding it
(id: the folder's name). ``collect_student(folder)`` reads one student's folder (Gradescope's
/autograder/submission). In a student's folder the course's own helpers (dnn_utils.py, testCases.py
...) are not the submission; of several candidates, the one defining most contract functions is.

What cannot be graded is still a submission, with a ``fault``: a folder with no Python file, a file
that is not Python, an id given twice. The run reports it for that student and goes on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

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


def safe_name(student_id: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", student_id).lstrip(".") or "_"
    if clean != student_id:
        clean += "-" + hashlib.sha256(student_id.encode()).hexdigest()[:8]
    return clean


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def collect(paths: list[str | Path]) -> list[Submission]:
    """Every student in ``paths`` (files or class folders), in id order; ids given twice are faults."""
    found: list[Submission] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_entry(entry) for entry in sorted(path.iterdir()) if not _skipped(entry))
        elif path.is_file():
            found.append(_entry(path))
        else:
            raise ShapecheckError("grade.no_submission", path=path)
    return _unique(found)


def collect_student(folder: str | Path) -> list[Submission]:
    """One student's folder (or file), as Gradescope hands it over: a list of one submission."""
    path = Path(folder)
    if not path.exists():
        raise ShapecheckError("grade.no_submission", path=path)
    if path.is_file():
        return [_entry(path)]
    return [_folder(path, path.name)]


def _skipped(entry: Path | str) -> bool:
    name = entry if isinstance(entry, str) else entry.name
    return name.startswith(".") or name in SKIPPED


def _entry(path: Path) -> Submission:
    if path.is_dir():
        return _folder(path, path.name)
    return _file(path, path.stem)


def _file(path: Path, student: str) -> Submission:
    if path.suffix.lower() not in PYTHON:
        return Submission(student, path, fault=Fault("not_python", msg("grade.not_python", path=path)))
    try:
        return Submission(student, path, file_hash(path))
    except OSError as exc:
        return Submission(student, path, fault=Fault("unreadable", msg("grade.unreadable", path=path, reason=exc.strerror or exc)))


def _folder(folder: Path, student: str) -> Submission:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PYTHON
                   and not any(_skipped(part) for part in p.relative_to(folder).parts))
    candidates = [p for p in files if not COURSE_FILES.match(p.name)] or files
    if not candidates:
        return Submission(student, folder, fault=Fault("no_python", msg("grade.no_python", path=folder)))
    if len(candidates) == 1:
        return _file(candidates[0], student)
    scored = sorted(((_contract_count(p), p) for p in candidates), key=lambda t: (-t[0], str(t[1])))
    if scored[0][0] == scored[1][0]:
        tied = ", ".join(p.name for count, p in scored if count == scored[0][0])
        return Submission(student, folder, fault=Fault("ambiguous", msg("grade.ambiguous", path=folder, files=tied)))
    return _file(scored[0][1], student)


def _contract_count(path: Path) -> int:
    from shapecheck.diagnosis.contract import CONTRACTS

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return -1
    return sum(f"def {name}(" in text for name in CONTRACTS)


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
        paths = ", ".join(str(s.path) for s in group)
        out.append(Submission(group[0].id, group[0].path, fault=Fault("duplicate_id", msg("grade.duplicate_id", id=group[0].id, paths=paths))))
    return sorted(out, key=lambda s: s.id)
