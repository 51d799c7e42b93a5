"""The gallery's manifest entries that today's diagnosis can check.

The gallery holds files for every numpy assignment of the specialization; an assignment's entries
join the gallery tests as soon as its diagnosis plug-in exists (its kind is in ``KINDS``). An entry of
such a kind is never left out: one that names a function its plug-in does not grade fails the tests
(a skip there once hid two files whose mistake passed unnoticed).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from shapecheck.diagnosis.contract import KINDS

GALLERY = Path(__file__).resolve().parent / "gallery"


def all_entries() -> list[dict]:
    return tomllib.loads((GALLERY / "manifest.toml").read_text())["file"]


def diagnosable(entry: dict) -> bool:
    """True when diagnose knows the entry's assignment (whether it grades the entry's functions is tested)."""
    return entry["kind"] in KINDS


def ungraded(entry: dict) -> set[str]:
    """The functions an entry names (failing, root cause, inherited, missing) that its kind's plug-in does not grade."""
    named = {*entry.get("failing", []), *entry.get("inherited", []), *entry.get("missing", [])}
    if entry.get("root_cause"):
        named.add(entry["root_cause"])
    return named - {c.name for c in KINDS.get(entry["kind"], ())}


def entries() -> list[dict]:
    return [e for e in all_entries() if diagnosable(e)]
