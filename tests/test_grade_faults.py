"""Faults of one submission stay with that submission, and the run goes on: processes, writes outside the
scratch folder, a full disk, a loop; duplicated ids; a grader that dies; a rubric that cannot be read."""

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from shapecheck.core.errors import ShapecheckError
from shapecheck.grade import collect, grade, load_rubric
from shapecheck.grade.pool import Pool, grader_env

GALLERY = Path(__file__).resolve().parent / "gallery"
COURSE = (GALLERY / "correct/dnn_course.py").read_text()

# each mischief replaces one function of a correct file, so every other function must still pass
MISCHIEF = {
    "forks": ("linear_forward", "import os\n    if os.fork() == 0:\n        while True:\n            pass\n"),
    "spawns": ("compute_cost", "import subprocess\n    subprocess.Popen(['sleep', '600'])\n"),
    "kills_the_grader": ("update_parameters", "import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n"),
    "writes_outside": ("compute_cost", "open({outside!r}, 'w').write('graded by me')\n"),
    "fills_the_disk": ("update_parameters", "with open('big.bin', 'wb') as f:\n        while True:\n            f.write(b'0' * 2**20)\n"),
    "never_returns": ("linear_backward", "while True:\n        pass\n"),
}


def with_mischief(function: str, body: str) -> str:
    """The correct file, with ``body`` run first whenever ``function`` is called."""
    return COURSE + f"\n\n_{function} = {function}\n\ndef {function}(*args):\n    {body}    return _{function}(*args)\n"


@pytest.fixture(scope="module")
def mischief(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    outside = tmp_path_factory.mktemp("elsewhere") / "planted.txt"
    (root / "honest.py").write_text(COURSE)
    for student, (function, body) in MISCHIEF.items():
        (root / f"{student}.py").write_text(with_mischief(function, body.format(outside=str(outside))))
    report = grade([root], out=root.parent / "grades", jobs=2, timeout=1.0)
    return report, outside


# what the kernel answers in the sandbox (confine.py): no second process for the worker's own user, no path
# outside its scratch folder, no file past the size limit
@pytest.mark.parametrize("student, text", [
    ("forks", "Resource temporarily unavailable"),
    ("spawns", "Resource temporarily unavailable|No module named 'subprocess'|Permission denied"),
    ("writes_outside", "No such file or directory|Permission denied"), ("fills_the_disk", "File too large"),
])
def test_each_mischief_fails_its_own_function_with_a_reason(mischief, student, text):
    report, _ = mischief
    record = report.record(student)
    function = MISCHIEF[student][0]
    result = next(f for f in record["report"]["functions"] if f["name"] == function)
    assert result["status"] == "error" and re.search(text, result["problems"][0]["message"])
    untouched = [f for f in record["report"]["functions"] if f["name"] != function and not f["inherited_from"]]
    assert untouched and all(f["status"] == "pass" for f in untouched)


def test_a_function_that_never_returns_times_out_and_the_rest_is_graded(mischief):
    report, _ = mischief
    statuses = {f["name"]: f["status"] for f in report.record("never_returns")["functions"]}
    assert statuses["linear_backward"] == "timeout" and statuses["linear_forward"] == "pass"


def test_nothing_was_written_outside_and_the_honest_student_passed(mischief):
    report, outside = mischief
    assert not outside.exists()
    assert report.record("honest")["passed"] and report.record("honest")["score"] == 9


def test_killing_the_grader_from_the_sandbox_changes_nothing(mischief):
    report, _ = mischief
    statuses = {f["name"]: f["status"] for f in report.record("kills_the_grader")["report"]["functions"]}
    assert all(status == "pass" for name, status in statuses.items() if name != "update_parameters")
    assert report.record("honest")["score"] == 9


def fate(task: dict) -> dict:
    """A grader's task for the pool's own faults: die once, die always, or hang."""
    marker = Path(task["marker"])
    if task["fate"] == "hang":
        time.sleep(60)
    if task["fate"] == "always" or not marker.exists():
        marker.write_text("died")
        os._exit(3)
    return {"status": "graded", "survived": task["fate"]}


def test_a_grader_that_dies_is_retried_once_then_the_submission_is_an_error(tmp_path):
    env = {**grader_env(), "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    tasks = [(fate, {"fate": fate, "marker": str(tmp_path / fate)}) for fate in ("once", "always", "hang")]
    results = {}
    Pool(2, target="test_grade_faults:fate", wall=3.0, env=env).run(tasks, results.__setitem__)
    assert results["once"] == {"status": "graded", "survived": "once"}
    assert results["always"]["status"] == "error" and "died twice" in results["always"]["error"]
    assert results["hang"]["status"] == "timeout"


def test_a_duplicated_id_is_a_fault_of_that_student_and_the_others_are_graded(tmp_path):
    for group in ("monday", "tuesday"):
        (tmp_path / group).mkdir()
        (tmp_path / group / "alice.py").write_text(COURSE)
    (tmp_path / "monday" / "bob.txt").write_text("my answers")
    found = {s.id: s for s in collect([tmp_path / "monday", tmp_path / "tuesday"])}
    assert found["alice"].fault.id == "duplicate_id" and "tuesday" in found["alice"].fault.message
    assert found["bob"].fault.id == "not_python"
    report = grade([tmp_path / "monday", tmp_path / "tuesday"], out=tmp_path / "out")
    assert [r["status"] for r in report.records] == ["fault", "fault"] and report.graded_now == 0


@pytest.mark.parametrize("text, line, words", [
    ('kind = "dnn"\n\n[points]\nlinear_forward = 2\nlinear_backwards = 3\n', 5, "did you mean linear_backward"),
    ('inherited = "twice"\n', 1, "full"),
    ('kind = "cnn"\n', 1, "dnn"),
    ('[points]\nlinear_forward = -1\n', 2, "from 0 to"),
    ('[points]\nlinear_forward = 1e400\n', 2, "inf"),
    ('[points]\nlinear_forward = 1\nrnn_forward = 1\n', 2, "both assignments"),
    ('title = "HW4"\n', 1, "unknown rubric key"),
    ('[points]\nlinear_forward = \n', 2, "not valid TOML"),
])
def test_an_unreadable_rubric_names_its_line(tmp_path, text, line, words):
    path = tmp_path / "rubric.toml"
    path.write_text(text)
    with pytest.raises(ShapecheckError) as caught:
        load_rubric(path)
    assert f"line {line}" in str(caught.value) and words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_rubric_suggestion_is_one_catalogued_sentence_in_the_chosen_language(tmp_path):
    from shapecheck.core.messages import strip_isolates
    from shapecheck.core.language import set_language

    path = tmp_path / "rubric.toml"
    path.write_text('kind = "dnn"\n\n[points]\nlinear_backwards = 3\n')
    set_language("ar")
    try:
        with pytest.raises(ShapecheckError) as caught:
            load_rubric(path)
    finally:
        set_language(None)
    text = strip_isolates(str(caught.value))
    assert caught.value.message_id == "grade.rubric_unknown_function_close"
    assert "did you mean" not in text and "هل تقصد linear_backward؟" in text
    path.write_text('kind = "dnn"\n\n[points]\nzzz = 3\n')
    with pytest.raises(ShapecheckError) as caught:
        load_rubric(path)
    assert caught.value.message_id == "grade.rubric_unknown_function" and str(caught.value).endswith("(dnn).")
