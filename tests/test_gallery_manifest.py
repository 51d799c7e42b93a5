"""The gallery's manifest is consistent with its files: every buggy file is its correct file plus one
mistake at the manifest's line, every hint and label is defined in HINTS.md, every assignment has
correct files of both editions and at least eight mistakes."""

import difflib
import re
from collections import Counter

import pytest

from gallery_manifest import GALLERY, all_entries

ENTRIES = all_entries()
HINTS = (GALLERY / "HINTS.md").read_text()
DEFINED = set(re.findall(r"^\| `([a-z_0-9]+)` \|", HINTS, flags=re.M))
NEW_ASSIGNMENTS = ("logreg", "planar", "init", "regularization", "gradcheck", "optimization", "dinos", "dnn_app", "conv")


def changed_lines(entry) -> list[int]:
    """Lines of the buggy file that differ from its based_on file (1-based)."""
    old = (GALLERY / entry["based_on"]).read_text().splitlines()
    new = (GALLERY / entry["path"]).read_text().splitlines()
    lines = []
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            lines.extend(range(j1 + 1, j2 + 1))
        elif tag == "delete":
            lines.append(j1 + 1)  # a deleted line: the mistake sits where it was
    return lines


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["kind"] in NEW_ASSIGNMENTS or "two_layer" in e["path"]],
                         ids=lambda e: e["path"])
def test_a_buggy_file_differs_from_its_correct_file_at_the_manifests_line(entry):
    assert (GALLERY / entry["path"]).exists()
    if entry["correct"]:
        assert entry["failing"] == [] and entry["passed"] is True
        return
    lines = changed_lines(entry)
    assert lines, "the file is its based_on file unchanged"
    assert entry["line"] == lines[0], lines
    assert set(entry.get("lines", [entry["line"]])) <= set(lines) | {entry["line"]}
    assert entry["root_cause"] in entry["failing"] and set(entry["inherited"]) <= set(entry["failing"])


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["path"])
def test_every_hint_and_label_is_defined_in_HINTS_md(entry):
    for name in [entry.get("hint")] + list(entry.get("labels", [])):
        if name is not None:
            assert name in DEFINED, name


def test_every_assignment_has_both_editions_and_at_least_eight_mistakes():
    correct = Counter((e["kind"], e.get("edition")) for e in ENTRIES if e["correct"])
    mistakes = Counter(e["kind"] for e in ENTRIES if not e["correct"])
    for kind in NEW_ASSIGNMENTS:
        assert correct[(kind, "old")] >= 1 and correct[(kind, "current")] >= 1, kind
        assert mistakes[kind] >= 8, kind


def test_the_meta_check_of_lines_can_fail(tmp_path, monkeypatch):
    """changed_lines sees a one-line change: a manifest line that points elsewhere would be caught."""
    (tmp_path / "a.py").write_text("x = 1\ny = 2\nz = 3\n")
    (tmp_path / "b.py").write_text("x = 1\ny = 20\nz = 3\n")
    monkeypatch.setattr("test_gallery_manifest.GALLERY", tmp_path)
    assert changed_lines({"based_on": "a.py", "path": "b.py"}) == [2]


# --- what the gallery tests leave out: only assignments without a plug-in ------------------------------


def test_every_entry_of_an_assignment_with_a_plugin_is_checked_and_names_only_its_functions():
    """No entry of a known kind is dropped, and each names only functions its plug-in grades: an entry whose
    function the plug-in does not know would pass unnoticed whatever diagnose says of its file."""
    from gallery_manifest import all_entries, entries, ungraded
    from shapecheck.diagnosis.contract import KINDS

    checked = {e["path"] for e in entries()}
    assert [e["path"] for e in all_entries() if e["kind"] in KINDS and e["path"] not in checked] == []
    assert {e["path"]: ungraded(e) for e in all_entries() if e["kind"] in KINDS and ungraded(e)} == {}


def test_meta_an_entry_whose_failing_function_was_renamed_is_caught():
    from gallery_manifest import diagnosable, ungraded

    entry = next(e for e in ENTRIES if e["kind"] == "dnn" and e.get("failing"))
    renamed = {**entry, "failing": [name + "_v2" for name in entry["failing"]]}
    assert diagnosable(renamed) and ungraded(renamed) == {name + "_v2" for name in entry["failing"]}
