"""Attacks on the TRUSTED side of grading (issue 13's second attack round): what the coordinator reads,
names, decodes and writes. Each test is built from the attacker's own file in ``tests/attacks13/``
(the first line of each says what it tries).

- a09/a08: a symlinked solution (to the grader's key, the course's reference, a classmate) is refused;
- a10/a11/a12: a FIFO, /dev/zero, a link to / never hang or exhaust the run;
- a06/a06b: ids that look suffixed, or differ only in case, keep their own keys;
- a07/a14/a15: control characters from file names and the student's exceptions reach no output raw;
  the JUnit XML parses;
- a13: no CSV cell is a formula;
- a16: a crafted frame is the protocol's error, not the grader's crash;
- a01: a file whose top level sleeps for minutes is loaded within one budget.
"""

import json
import os
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.printable import printable
from shapecheck.diagnosis import worker as wire
from shapecheck.diagnosis.confine import landlock_abi
from shapecheck.diagnosis.source import MAX_SOURCE_BYTES, read_source_bytes
from shapecheck.grade import collect, grade
from shapecheck.grade.collect import safe_name
from shapecheck.grade.junit import junit_xml, xml_text
from shapecheck.grade.summary import csv_cell

ATTACKS = Path(__file__).resolve().parent / "attacks13"
GALLERY = Path(__file__).resolve().parent / "gallery"
INCLUDE = "# <<gallery: "
COURSE = (Path(__file__).resolve().parent / "gallery/correct/dnn_course.py").read_text()
CONTROL = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))]

sandboxed = pytest.mark.skipif(not os.path.exists("/proc/self/ns/pid") or os.geteuid() != 0 and not landlock_abi(),
                               reason="the sandbox's isolation needs Linux namespaces (root) or Landlock")


def attack(name: str) -> str:
    """The attacker's file as it was graded. A line ``# <<gallery: PATH>>`` stands for the whole of that
    gallery submission (the attack is what surrounds it), so the files keep only what they add."""
    lines = (ATTACKS / name).read_text().splitlines(keepends=True)
    return "".join(GALLERY.joinpath(line[len(INCLUDE):-3]).read_text() if line.startswith(INCLUDE) else line
                   for line in lines)


def no_control(value) -> bool:
    """No string anywhere in ``value`` holds a control character other than tab and newline."""
    if isinstance(value, str):
        return not any(c in value for c in CONTROL)
    if isinstance(value, dict):
        return all(no_control(k) and no_control(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(map(no_control, value))
    return True


def in_time(function, seconds: float = 20.0):
    """``function()``, failing (not hanging) when it blocks: a FIFO must never stop a run."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    return box["value"]


# --- a09, a08: symlinks are refused, never followed ------------------------------------------------------
def test_a09_a_symlinked_solution_is_refused_whatever_it_points_to(tmp_path):
    assert "ln -s" in attack("a09_symlink_folder.sh")
    key = tmp_path / "grade.key"
    key.write_text("deadbeef" * 8)
    import shapecheck

    reference = Path(shapecheck.__file__).parent / "diagnosis/assignments/dnn/course.py"
    assert reference.is_file()
    room = tmp_path / "class"
    for student in ("alice", "eve_key", "eve_ref", "eve_copy"):
        (room / student).mkdir(parents=True)
    (room / "alice/solution.py").write_text(COURSE)
    (room / "eve_key/solution.py").symlink_to(key)
    (room / "eve_ref/solution.py").symlink_to(reference)
    (room / "eve_copy/solution.py").symlink_to("../alice/solution.py")
    (room / "zz_keylink.py").symlink_to(key)  # a08: flat entries
    (room / "zz_envlink.py").symlink_to("/proc/self/environ")
    found = {s.id: s for s in collect([room])}
    assert found["alice"].fault is None and found["alice"].sha256
    for student in ("eve_key", "eve_ref", "eve_copy", "zz_keylink", "zz_envlink"):
        assert found[student].fault is not None and found[student].fault.id == "symlink", student
        assert "symbolic link" in found[student].fault.message


@sandboxed
def test_a09_the_key_never_reaches_a_record(tmp_path):
    key = tmp_path / "grade.key"
    key.write_text("abcdef" * 10)
    room = tmp_path / "class"
    (room / "eve_key").mkdir(parents=True)
    (room / "eve_key/solution.py").symlink_to(key)
    report = grade([room], out=tmp_path / "out", jobs=1, timeout=1.0)
    assert report.record("eve_key")["status"] == "fault" and report.record("eve_key")["score"] == 0
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert "abcdef" * 3 not in path.read_text(errors="replace"), path


def test_a12_a_link_to_root_in_a_students_folder_is_not_walked(tmp_path):
    assert "ln -s / " in attack("a12_symlink_dir_root.sh")
    (tmp_path / "eve").mkdir()
    (tmp_path / "eve/solution.py").write_text(COURSE)
    (tmp_path / "eve/stuff").symlink_to("/")
    [eve] = in_time(lambda: collect([tmp_path]), 10.0)
    assert eve.fault is None and eve.path.name == "solution.py"


# --- a10, a11: a FIFO or a device never blocks or fills the grader ---------------------------------------
def test_a10_a_fifo_in_the_class_folder_is_a_fault_not_a_hang(tmp_path):
    assert "mkfifo" in attack("a10_fifo_in_class.sh")
    (tmp_path / "alice.py").write_text(COURSE)
    os.mkfifo(tmp_path / "zz_fifo.py")
    (tmp_path / "bob").mkdir()
    os.mkfifo(tmp_path / "bob/solution.py")
    found = {s.id: s for s in in_time(lambda: collect([tmp_path]))}
    assert found["alice"].fault is None
    assert found["zz_fifo"].fault.id == "not_regular" and found["bob"].fault.id == "not_regular"


def test_a11_a_link_to_dev_zero_is_refused_and_a_device_is_never_read_whole(tmp_path):
    assert "/dev/zero" in attack("a11_devzero_symlink.sh")
    (tmp_path / "zz_zero.py").symlink_to("/dev/zero")
    [zero] = in_time(lambda: collect([tmp_path]))
    assert zero.fault.id == "symlink"
    with pytest.raises(ShapecheckError) as caught:  # followed (diagnose on one's own file): still refused by type
        read_source_bytes("/dev/zero")
    assert caught.value.message_id == "diagnose.not_regular"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_whole(tmp_path):
    big = tmp_path / "big.py"
    big.write_bytes(b"#" * (MAX_SOURCE_BYTES + 1))
    with pytest.raises(ShapecheckError) as caught:
        read_source_bytes(big, follow=False)
    assert caught.value.message_id == "diagnose.too_big"
    [found] = collect([tmp_path])
    assert found.fault.id == "too_big"


def test_the_grader_checks_exactly_the_bytes_that_were_hashed(tmp_path):
    from shapecheck.grade.task import grade_one

    path = tmp_path / "alice.py"
    path.write_text(COURSE)
    [alice] = collect([tmp_path])
    path.write_text(COURSE + "\n# changed after collect\n")
    result = grade_one({"path": str(path), "sha256": alice.sha256, "timeout": 1.0})
    assert result["status"] == "fault" and result["fault"]["id"] == "grade.changed"


# --- a06, a06b: keys never collide ------------------------------------------------------------------------
def test_a06_a_name_that_looks_suffixed_keeps_a_key_of_its_own(tmp_path):
    attacker = "a06_id_collision__Smith_John-7c8fcfa9.py"
    (tmp_path / "Smith John.py").write_text(COURSE)
    (tmp_path / "Smith_John-7c8fcfa9.py").write_text(attack(attacker))
    (tmp_path / "alice.py").write_text(COURSE)
    (tmp_path / "ALICE.py").write_text(attack("a06b_case_collision__ALICE.py"))
    found = collect([tmp_path])
    assert sorted(s.id for s in found) == ["ALICE", "Smith John", "Smith_John-7c8fcfa9", "alice"]
    assert all(s.fault is None for s in found)
    assert len({s.key.lower() for s in found}) == 4


def test_a_true_duplicate_names_every_path_and_keeps_its_id(tmp_path):
    for room in ("a", "b"):
        (tmp_path / room).mkdir()
        (tmp_path / room / "carol.py").write_text(COURSE)
    [carol] = collect([tmp_path / "a", tmp_path / "b"])
    assert carol.id == "carol" and carol.fault.id == "duplicate_id"
    assert str(tmp_path / "a") in carol.fault.message and str(tmp_path / "b") in carol.fault.message


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_distinct_ids_have_distinct_keys_even_on_a_case_blind_disk(a, b):
    if a != b:
        assert safe_name(a).lower() != safe_name(b).lower()
    assert safe_name(a) == safe_name(a) and "/" not in safe_name(a) and not safe_name(a).startswith(".")


# --- a07, a14, a15, a13: what a student writes reaches no output raw ----------------------------------------
@given(st.text())
def test_printable_leaves_no_control_character_and_keeps_the_rest(text):
    shown = printable(text)
    assert no_control(shown)
    assert all(c in shown for c in text if c not in CONTROL and not "\u202a" <= c <= "\u202e"
               and not "\u2066" <= c <= "\u2069" and not "\ud800" <= c <= "\udfff")
    ET.fromstring(f"<a b='{xml_text(text).replace('&', '&amp;').replace('<', '&lt;').replace(chr(39), '&apos;')}'/>")


def test_a13_no_csv_cell_is_a_formula():
    assert "=HYPERLINK" in attack("a13_csv_formula.sh")
    for text in ('=HYPERLINK("http:evil","x")+cmd', "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("alice") == "alice" and csv_cell(9) == 9


@pytest.fixture(scope="module")
def hostile_names(tmp_path_factory):
    """a07, a13, a14, a16 graded in one class with an honest classmate; JUnit as a15 asks for it."""
    room = tmp_path_factory.mktemp("class")
    (room / "alice.py").write_text(COURSE)
    (room / "evil\x1b[31m<script>\nname.py").write_text(attack("a07_evil_name.py"))
    (room / '=HYPERLINK("http:evil","x")+cmd.py').write_text(COURSE)
    (room / "ansi.py").write_text(attack("a14_ansi_message.py"))
    (room / "overflow.py").write_text(attack("a16_wire_overflow.py"))
    out = room.parent / "out"
    report = grade([room], out=out, jobs=2, timeout=1.0)
    return {"report": report, "out": out}


@sandboxed
def test_a15_the_class_junit_parses_whatever_the_students_wrote(hostile_names):
    assert "\\x1b" in attack("a14_ansi_message.py")
    records = hostile_names["report"].records
    document = junit_xml(records)
    suites = ET.fromstring(document)  # a14/a15: one student's escape character must not break the class's XML
    assert len(suites.findall("testsuite")) == len(records) == 5
    assert "\x1b" not in document and "\\x1b" in document  # shown, not obeyed


@sandboxed
def test_a07_a14_no_control_character_reaches_a_record_or_a_file(hostile_names):
    report = hostile_names["report"]
    for record in report.records:
        assert no_control(record), record["id"]
    for path in hostile_names["out"].rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert "\x1b" not in text and no_control(json.loads(text) if path.suffix == ".json" else ""), path
    [evil] = [r for r in report.records if r["id"].startswith("evil")]
    assert evil["id"] == "evil\\x1b[31m<script>\\x0aname"  # a07: one line, shown, not obeyed
    ansi = report.record("ansi")
    assert ansi["score"] == 8  # compute_cost raised: only that function is lost


@sandboxed
def test_a13_the_class_csv_holds_no_formula(hostile_names):
    lines = (hostile_names["out"] / "class.csv").read_text().splitlines()
    assert any(line.startswith('"\'=HYPERLINK(') for line in lines), lines
    assert not any(line.startswith(("=", '"=', "+", "-", "@")) for line in lines)


@sandboxed
def test_a16_a_crafted_frame_is_the_protocols_error_not_the_graders_crash(hostile_names):
    report = hostile_names["report"]
    assert report.record("alice")["score"] == 9
    overflow = report.record("overflow")
    assert overflow["status"] == "graded" and overflow["score"] < 9
    forward = {f["name"]: f for f in overflow["report"]["functions"]}["linear_forward"]
    assert forward["status"] != "pass"


@pytest.mark.parametrize("document", [
    '{"$d": [["status", "ok"], ["value", {"$c": [' + "9" * 400 + ', 0]}]]}',  # a16's own frame
    '{"$a": 0, "dtype": "float64", "shape": [0, 1000000000000000000000000000000]}',  # its second: a 1e30 dimension
    '{"$a": 0, "dtype": "float64", "shape": [0, 4294967296, 4294967296]}',
    '{"$c": [1e308, "x"]}', '{"$d": [[["k"], 1]]}', '[' * 5000 + ']' * 5000,
])
def test_a16_every_bad_frame_is_a_protocol_error(document):
    with pytest.raises(wire.ProtocolError):
        wire.decode(document.encode(), [b""])


def test_a16_the_attackers_frame_is_the_one_tested():
    text = attack("a16_wire_overflow.py")
    assert '"9" * 400' in text and "$c" in text


# --- a01: one load budget per file --------------------------------------------------------------------------
@sandboxed
def test_a01_a_file_that_sleeps_at_top_level_loads_within_one_budget(tmp_path, monkeypatch):
    from shapecheck.diagnosis import sandbox
    from shapecheck.diagnosis.runner import diagnose

    text = attack("a01_sleep_load.py")
    assert text.count("\ntime.sleep(9)") == 30
    monkeypatch.setattr(sandbox, "LOAD_FLOOR", 1.0)
    monkeypatch.setattr(sandbox, "LOAD_BUDGET", 1)
    path = tmp_path / "a01.py"
    path.write_text(text)
    report = diagnose(path, timeout=1.0)
    assert [f.status for f in report.functions] == ["pass"] * 9  # the definitions still loaded
    assert any("took more than 1 s" in p.message for p in report.findings)


# --- a19: inherited credit the student's code controls --------------------------------------------------------
@sandboxed
def test_a19_a_stand_in_carries_no_tell_tale_file_name(tmp_path):
    """The stand-ins are compiled under the student's own file name, so a19's ``co_filename == "<course>"``
    switch never turns on: it earns no more than its control (the same code without the switch).
    What remains (a student's code comparing function identities) is documented in SECURITY.md."""
    assert '"<course>"' in attack("a19_aide_inherit.py")
    (tmp_path / "aide_inherit.py").write_text(attack("a19_aide_inherit.py"))
    (tmp_path / "control_garbage.py").write_text(attack("a19_control_garbage.py"))
    report = grade([tmp_path], out=tmp_path.parent / "out19", jobs=2, timeout=1.0)
    attacker, control = report.record("aide_inherit"), report.record("control_garbage")
    assert attacker["score"] <= control["score"] < 9, (attacker["score"], control["score"])


# --- a04: frames written ahead are no later replies ------------------------------------------------------------
@sandboxed
def test_a04_forged_frames_are_a_crash_of_that_call_not_later_replies(tmp_path):
    from shapecheck.diagnosis.runner import diagnose

    text = attack("a04_fd3_desync.py")
    assert "fileno=3" in text and "range(20)" in text
    path = tmp_path / "a04.py"
    path.write_text(text)
    functions = {f.name: f for f in diagnose(path, timeout=1.0).functions}
    forward = functions["linear_forward"]
    assert forward.status == "error" and forward.problems[0].hint_id == "crash"  # not "returned None" from a forged frame
    assert functions["initialize_parameters_deep"].status == "pass"
    assert functions["update_parameters"].status == "pass"  # later calls get their own replies
