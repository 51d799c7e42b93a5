"""Records that cannot be forged: the coordinator signs each with a key no one else can read; a record
that does not verify (edited, moved, planted, signed by another key) is graded again; a FIFO or a
symlink at a record path is neither waited on nor followed."""

import json
import os
import signal
import stat
from pathlib import Path

import pytest

from shapecheck.core.errors import ShapecheckError
from shapecheck.grade import grade
from shapecheck.grade.store import SIGNATURE, ResultStore, signing_key
from test_grade_class import build_class

STUDENTS = {"ada": "correct/dnn_course.py", "eve": "dnn/dW_missing_1_over_m.py"}


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAPECHECK_GRADE_KEY", str(tmp_path / "state" / "grade.key"))


@pytest.fixture(autouse=True)
def never_hang():
    """A run that waits on a FIFO would hang the suite: fail it instead."""
    def stop(*_):
        raise TimeoutError("the grading run hung")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def graded(tmp_path):
    submissions = build_class(tmp_path / "submissions", STUDENTS)
    out = tmp_path / "out"
    first = grade([submissions], out=out, jobs=2)
    assert (first.record("ada")["score"], first.record("eve")["score"]) == (9.0, 8.0)
    return submissions, out


def record_file(out: Path, student: str) -> Path:
    return out / "submissions" / f"{student}.json"


def test_an_edited_record_is_graded_again_and_its_forged_score_is_gone(graded):
    submissions, out = graded
    path = record_file(out, "eve")
    forged = json.loads(path.read_text())
    forged["report"]["functions"] = [{**f, "status": "pass", "inherited_from": None, "problems": []}
                                     for f in forged["report"]["functions"]]
    forged["report"]["passed"] = True
    path.write_text(json.dumps(forged))  # the old signature kept: it no longer matches
    again = grade([submissions], out=out, jobs=2)
    assert (again.reused, again.graded_now) == (1, 1)
    assert again.record("eve")["score"] == 8.0 and not again.record("eve")["passed"]
    assert json.loads(path.read_text())["score"] == 8.0


def test_a_classmates_valid_record_copied_over_mine_does_not_verify(graded):
    submissions, out = graded
    ada = json.loads(record_file(out, "ada").read_text())
    (submissions / "eve.py").write_bytes((submissions / "ada.py").read_bytes())  # same bytes: only the id differs
    record_file(out, "eve").write_text(json.dumps({**ada, "id": "eve"}))
    store = ResultStore(out)
    assert store.load("ada") is not None and store.load("eve") is None  # the id is signed, and so is the path


def test_a_record_signed_with_another_key_is_not_trusted(graded, tmp_path, monkeypatch):
    submissions, out = graded
    monkeypatch.setenv("SHAPECHECK_GRADE_KEY", str(tmp_path / "elsewhere" / "grade.key"))
    again = grade([submissions], out=out, jobs=2)
    assert (again.reused, again.graded_now) == (0, 2)


def test_a_record_with_no_signature_is_not_ours(graded):
    _, out = graded
    path = record_file(out, "ada")
    record = json.loads(path.read_text())
    del record[SIGNATURE]
    path.write_text(json.dumps(record))
    assert ResultStore(out).load("ada") is None


def test_a_fifo_at_a_record_path_neither_hangs_the_run_nor_is_read(tmp_path):
    submissions = build_class(tmp_path / "submissions", STUDENTS)
    out = tmp_path / "out"
    (out / "submissions").mkdir(parents=True)
    os.mkfifo(record_file(out, "eve"))
    report = grade([submissions], out=out, jobs=2)
    assert report.graded_now == 2 and report.record("eve")["score"] == 8.0
    assert stat.S_ISREG(record_file(out, "eve").lstat().st_mode)


def test_a_symlink_at_a_record_path_is_replaced_not_followed(tmp_path):
    submissions = build_class(tmp_path / "submissions", STUDENTS)
    out = tmp_path / "out"
    (out / "submissions").mkdir(parents=True)
    victim = tmp_path / "instructor_notes.txt"
    victim.write_text("do not touch")
    record_file(out, "ada").symlink_to(victim)
    (out / "submissions" / "eve.json").mkdir()  # a folder in the way, too
    report = grade([submissions], out=out, jobs=2)
    assert report.graded_now == 2 and victim.read_text() == "do not touch"
    assert not record_file(out, "ada").is_symlink() and ResultStore(out).load("ada")["score"] == 9.0
    assert ResultStore(out).load("eve")["score"] == 8.0


def test_the_key_is_made_private_outside_the_results_and_reused(tmp_path):
    path = tmp_path / "state" / "shapecheck" / "grade.key"
    key = signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert signing_key(path) == key and len(key) >= 32


@pytest.mark.parametrize("spoil", ["readable", "symlink", "short"])
def test_a_key_others_could_read_or_swap_is_refused_in_one_line(tmp_path, spoil):
    path = tmp_path / "grade.key"
    if spoil == "symlink":
        (tmp_path / "real.key").write_text("k" * 64)
        os.chmod(tmp_path / "real.key", 0o600)
        path.symlink_to(tmp_path / "real.key")
    else:
        path.write_text("k" * (64 if spoil == "readable" else 3))
        os.chmod(path, 0o644 if spoil == "readable" else 0o600)
    with pytest.raises(ShapecheckError) as caught:
        signing_key(path)
    assert caught.value.message_id == "grade.key_unsafe" and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
