"""Every hint id diagnose can put on a problem is documented in tests/gallery/HINTS.md, and every id
HINTS.md documents is one diagnose emits or a label the gallery's manifest uses (no dead rows).

The ids diagnose emits: every hint rule's (the shared relations, the plug-ins' own rules, the mutants'),
the two generic ones, and the ids the diagnosis writes as literals (compare's ``"id", hints.hint_text(...)``,
an exception's ``return "id", msg(...)``, a problem's ``hint_id="id"``), read from the source with ``re``.
"""

import re
from pathlib import Path

import gallery_manifest
from shapecheck.diagnosis import hints

ROOT = Path(__file__).resolve().parent.parent
DIAGNOSIS = ROOT / "shapecheck" / "diagnosis"
HINTS_MD = ROOT / "tests" / "gallery" / "HINTS.md"
_LITERALS = (re.compile(r'"([a-z0-9_]+)",\s*hints\.hint_text\('), re.compile(r'return "([a-z0-9_]+)", msg\('),
             re.compile(r'hint_id="([a-z0-9_]+)"'), re.compile(r'^\s+return "([a-z0-9_]+)"$', re.M))


def documented(text: str) -> set[str]:
    return set(re.findall(r"^\| `([A-Za-z0-9_]+)` \|", text, re.M))


def literal_ids(source: str) -> set[str]:
    return {found for pattern in _LITERALS for found in pattern.findall(source)}


def emitted() -> set[str]:
    source = "\n".join(p.read_text() for p in DIAGNOSIS.rglob("*.py"))
    return {rule.id for rule in hints.RULES} | {hints.GENERIC_SHAPE.id, hints.GENERIC_VALUES.id} | literal_ids(source)


def test_every_hint_id_diagnose_can_emit_is_documented_in_HINTS_md():
    assert sorted(emitted() - documented(HINTS_MD.read_text())) == []


def test_every_documented_id_is_emitted_or_a_manifest_label():
    labels = {label for e in gallery_manifest.all_entries() for label in e.get("labels", [])}
    hints_used = {e["hint"] for e in gallery_manifest.all_entries() if e.get("hint")}
    assert sorted(documented(HINTS_MD.read_text()) - emitted() - labels - hints_used) == []


def test_meta_the_readers_see_rows_and_literals():
    assert documented("| id | meaning |\n|---|---|\n| `wrong_sign` | x | y |\n") == {"wrong_sign"}
    source = 'self.add(1, "minibatch_count", hints.hint_text("minibatch_count"))\nreturn "float_size", msg("x")\nP(hint_id="timeout")'
    assert literal_ids(source) == {"minibatch_count", "float_size", "timeout"}
