"""A grading run killed midway (SIGKILL, as a machine that dies) loses nothing it finished; run again, it
grades only the rest, and the results are byte for byte those of a run that was never interrupted."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from shapecheck.grade import grade
from shapecheck.grade.store import TEMP_PREFIX, ResultStore, write_atomic
from shapecheck.core.language import set_language
from test_grade_class import build_class

# graded one at a time in id order: five quick ones, then one that loops until its time limit (the
# run is surely midway while it runs), then two more
STUDENTS = {
    "a": "correct/dnn_course.py", "b": "dnn/dW_missing_1_over_m.py", "c": "dnn/db_missing_keepdims.py",
    "d": "correct/dnn_partial_forward.py", "e": "dnn/linear_forward_W_transposed.py",
    "f_slow": "correct/dnn_course.py", "g": "dnn/update_parameters_wrong_sign.py",
    "h": "correct/dnn_flat_cache.py",
}
# a loop on one line: its CPU-time limit always stops it on that line, so its result is the same in every run.
# On a loaded machine that takes many wall seconds: the sandbox's wall-clock backstop then waits for a worker
# still computing (sandbox._Worker._answers_within), or one run would report the loop without its line.
ENDLESS = "\n\ndef compute_cost(AL, Y):\n    while True: pass\n"
OPTIONS = dict(jobs=1, timeout=1.0)
KILL_WITHIN = 600  # seconds for the first five results: a backstop against a hang, not a timing


def results(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_killed_run_resumes_with_only_what_was_left_and_identical_results(tmp_path):
    submissions = build_class(tmp_path / "submissions", STUDENTS)
    with open(submissions / "f_slow.py", "a") as f:
        f.write(ENDLESS)
    out = tmp_path / "killed"
    code = f"from shapecheck.grade import grade; grade([{str(submissions)!r}], out={str(out)!r}, **{OPTIONS!r})"
    run = subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + KILL_WITHIN
    while len([p for p in (out / "submissions").glob("*.json") if not p.name.startswith(TEMP_PREFIX)]) < 5:
        assert run.poll() is None, run.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    run.stderr.close()

    kept = sorted(p.stem for p in (out / "submissions").glob("*.json") if not p.name.startswith(TEMP_PREFIX))
    assert 5 <= len(kept) < len(STUDENTS) and not (out / "class.json").exists()  # a temporary may be there too
    store = ResultStore(out)
    assert all(store.load(student)["status"] == "graded" for student in kept)  # whole files only
    before = results(out)

    resumed = grade([submissions], out=out, **OPTIONS)
    assert (resumed.reused, resumed.graded_now) == (len(kept), len(STUDENTS) - len(kept))
    after = results(out)
    done = [name for name in before if not Path(name).name.startswith(TEMP_PREFIX)]
    assert len(done) >= 5 and all(after.get(name) == before[name] for name in done)  # what was done is kept, as it was

    straight = grade([submissions], out=tmp_path / "straight", **OPTIONS)
    assert straight.graded_now == len(STUDENTS)
    uninterrupted = results(tmp_path / "straight")
    differ = sorted(name for name in {*after, *uninterrupted} if after.get(name) != uninterrupted.get(name))
    # on a difference, say which students' functions ended otherwise (a time limit met in one run only?)
    def statuses(files, name):
        return [(f["name"], f["status"]) for f in json.loads(files[name]).get("functions", [])] if name in files else None

    assert differ == [], {name: (statuses(after, name), statuses(uninterrupted, name)) for name in differ
                          if name.startswith("submissions/")}
    assert resumed.record("f_slow")["functions"][4]["status"] == "timeout"  # compute_cost: the slow one did run


def test_a_changed_file_is_graded_again_and_the_others_are_not(tmp_path):
    submissions = build_class(tmp_path / "submissions", {"a": "correct/dnn_course.py", "b": "dnn/dW_missing_1_over_m.py"})
    first = grade([submissions], out=tmp_path / "out", jobs=2)
    assert first.record("b")["passed"] is False
    (submissions / "b.py").write_bytes((submissions / "a.py").read_bytes())  # b fixed the mistake
    second = grade([submissions], out=tmp_path / "out", jobs=2)
    assert (second.reused, second.graded_now) == (1, 1) and second.record("b")["passed"] is True
    third = grade([submissions], out=tmp_path / "out", jobs=2, seed=1)  # other diagnosis options: all again
    assert (third.reused, third.graded_now) == (0, 2)


def test_an_interrupted_write_leaves_the_old_file_whole_and_no_temporary_behind(tmp_path, monkeypatch):
    target = tmp_path / "result.json"
    write_atomic(target, '{"old": true}\n')

    def crash(*args):
        raise KeyboardInterrupt  # as a Ctrl-C between writing and renaming

    monkeypatch.setattr(os, "replace", crash)
    try:
        write_atomic(target, '{"new": true}\n')
    except KeyboardInterrupt:
        pass
    assert target.read_text() == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_temporaries_of_a_killed_run_are_removed_when_the_folder_is_opened(tmp_path):
    (tmp_path / "submissions").mkdir()
    stale = tmp_path / "submissions" / f"{TEMP_PREFIX}abc-x.json"
    stale.write_text('{"half": ')
    ResultStore(tmp_path).open()
    assert not stale.exists()


ARABIC = re.compile("[\u0600-\u06FF]")


def test_results_kept_in_one_language_are_graded_again_in_another_never_mixed(tmp_path):
    submissions = build_class(tmp_path / "submissions", {"a": "correct/dnn_course.py", "b": "dnn/dW_missing_1_over_m.py"})
    out = tmp_path / "out"
    english = grade([submissions], out=out, jobs=2)
    assert not ARABIC.search(english.record("b")["report"]["conclusion"])
    set_language("ar")
    try:
        arabic = grade([submissions], out=out, jobs=2)
        again = grade([submissions], out=out, jobs=2)
    finally:
        set_language(None)
    assert (arabic.reused, arabic.graded_now) == (0, 2)  # nothing English kept for an Arabic report
    assert ARABIC.search(arabic.record("b")["report"]["conclusion"])
    assert [r["options"]["lang"] for r in ResultStore(out).records()] == ["ar", "ar"]
    assert (again.reused, again.graded_now) == (2, 0)  # and in the same language, resumable as before


def test_a_grader_speaks_the_tasks_language_whatever_its_environment(tmp_path):
    # a Dask worker runs `python -m shapecheck.grade.pool --one` in its own environment (here: English)
    source = Path(__file__).resolve().parent / "gallery" / "dnn" / "dW_missing_1_over_m.py"
    task = {"path": str(source), "kind": "auto", "timeout": 3.0, "seed": 0, "memory_mb": 2048, "strict": False,
            "lang": "ar", "fork": False}
    env = {**os.environ, "SHAPECHECK_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "shapecheck.grade.pool", "--one"], input=json.dumps(task),
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "graded" and ARABIC.search(result["report"]["conclusion"])
