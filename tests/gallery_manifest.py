"""The gallery's manifest entries that today's diagnosis can check.

The gallery holds files for every numpy assignment of the specialization; an assignment's entries
join the gallery tests as soon as its diagnosis plug-in exists (its kind is in ``KINDS`` and its
functions in the kind's contract), so the gallery can be written ahead of the plug-ins.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from shapecheck.diagnosis.contract import KINDS

GALLERY = Path(__file__).resolve().parent / "gallery"


def all_entries() -> list[dict]:
    return tomllib.loads((GALLERY / "manifest.toml").read_text())["file"]


def diagnosable(entry: dict) -> bool:
    """True when diagnose knows the entry's assignment and every function it expects to fail."""
    contracts = KINDS.get(entry["kind"])
    if contracts is None:
        return False
    return set(entry.get("failing", [])) <= {c.name for c in contracts}


def entries() -> list[dict]:
    return [e for e in all_entries() if diagnosable(e)]
