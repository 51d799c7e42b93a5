"""diagnose on the gallery of real-looking student files: every bug found, its root cause named with a
fitting hint, and no correct file flagged (tests/gallery/manifest.toml says what to expect)."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import gallery_manifest

import shapecheck as sc
from shapecheck.diagnosis.contract import KINDS

GALLERY = Path(__file__).resolve().parent / "gallery"
ENTRIES = gallery_manifest.entries()  # the assignments diagnose knows today
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
    for name in entry.get("inherited", []):
        assert status[name].inherited_from == root, name
    others = {c.name for c in KINDS[entry["kind"]]} - set(entry.get("failing", [])) - set(entry.get("missing", []))
    for name in others:
        assert status[name].status == "pass", (name, [p.message for p in status[name].problems])
    if "import_finding" in entry:
        assert IMPORT_HINTS[entry["import_finding"]] in {p.hint_id for p in report.findings}
    if "old_edition_keys" in entry.get("labels", []):
        assert any("older edition" in note for f in report.functions for note in f.notes)
