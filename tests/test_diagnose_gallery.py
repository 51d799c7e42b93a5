"""diagnose on the gallery of real-looking student files: every bug found, its root cause named with a
fitting hint, and no correct file flagged (tests/gallery/manifest.toml says what to expect)."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import ast

import pytest

import gallery_manifest

import shapecheck as sc
from shapecheck.core.messages import msg
from shapecheck.diagnosis.assignments import ASSIGNMENTS
from shapecheck.diagnosis.contract import KINDS

GALLERY = Path(__file__).resolve().parent / "gallery"
ENTRIES = gallery_manifest.entries()  # the assignments diagnose knows today
EDITIONS = {"old": "2017-20", "current": "2021+"}
IMPORT_HINTS = {"exit": "exit_at_import", "timeout": "timeout", "output": "output_at_import"}


@pytest.fixture(scope="module")
def reports():
    # each diagnosis waits on its own sandbox process: two at a time keep both cores busy
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda e: (e["path"], sc.diagnose(GALLERY / e["path"], kind=e["kind"], timeout=2.0)), ENTRIES)
        return dict(done)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["path"] for e in ENTRIES])
def test_gallery_file_is_diagnosed_as_its_manifest_says(entry, reports):
    report = reports[entry["path"]]
    status = {f.name: f for f in report.functions}
    assert report.passed is entry["passed"], report.to_text(140)
    for name in entry.get("missing", []):
        assert status[name].status == "missing" and not status[name].problems, name
    for name in entry.get("failing", []):
        assert status[name].status != "pass", name
    root = entry.get("root_cause")
    if root:
        result = status[root]
        assert result.inherited_from is None, f"{root} blamed on {result.inherited_from}"
        expected_status = "missing" if entry.get("hint") == "unfinished_template" else entry["status_of_root"]
        assert result.status == expected_status
        assert entry["hint"] in {p.hint_id for p in result.problems}, [p.to_json() for p in result.problems]
        if report.root_causes:
            assert report.root_causes[0].name == root
        if result.status == "fail":  # a value or shape finding names the line that made the value (issue 14, item 3)
            assert_points_into(entry, result.problems[0], {root, entry.get("location")})
        if entry.get("location") in ASSIGNMENTS[entry["kind"]].helpers:  # the file's own copy of a course helper
            assert msg("diagnose.in_helper", helper=entry["location"]) in result.notes, result.notes
    for name in entry.get("inherited", []):
        assert status[name].inherited_from == root, name
    others = {c.name for c in KINDS[entry["kind"]]} - set(entry.get("failing", [])) - set(entry.get("missing", []))
    optional = {c.name for c in KINDS[entry["kind"]] if c.notes.get("optional")}  # reported only when the file defines it
    for name in others - (optional - set(status)):
        assert status[name].status == "pass", (name, [p.message for p in status[name].problems])
    if "import_finding" in entry:
        assert IMPORT_HINTS[entry["import_finding"]] in {p.hint_id for p in report.findings}
    if "in_place_update" in entry.get("labels", []) and entry["kind"] == "dnn":
        assert any("in place" in note and f":{entry['line']})" in note for note in status[entry["location"]].notes)
    if entry.get("edition") and report.editions:  # the edition a file matches, where its functions tell
        assert report.edition == EDITIONS[entry["edition"]], report.editions
    if "numpy2" in entry.get("labels", []):
        assert [p.line for p in report.findings if p.hint_id == "numpy2"] == entry["lines"]
    if "outside_domain" in entry.get("labels", []):
        assert any("outside the course's networks" in note and f":{entry['line']}" in note for note in status[entry["location"]].notes)
    if "old_edition_keys" in entry.get("labels", []):
        assert any("older edition" in note for f in report.functions for note in f.notes)


def assert_points_into(entry: dict, problem, functions: set) -> None:
    """``problem`` names a line of one of ``functions`` (the root cause, or the helper that holds the mistake),
    in the JSON too."""
    tree = ast.parse((GALLERY / entry["path"]).read_text())
    spans = [(n.lineno, n.end_lineno) for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in functions]
    assert problem.line is not None and problem.cell is None, problem
    assert any(first <= problem.line <= last for first, last in spans), (problem.line, spans, problem.message)
    assert problem.to_json()["line"] == problem.line and problem.code
