"""Translator tooling: what a catalogue lacks, what went stale, what breaks a placeholder.

    python -m shapecheck.i18n status ar     # missing, stale and broken ids (exit 1 if any)
    python -m shapecheck.i18n stamp ar      # after translating: remember which English each entry translates

Stale means the English text changed after the translation was stamped. The stamps live beside the
catalogue in ``locales/<lang>/sources.json`` (id -> a hash of the English it translates).
See TRANSLATING.md for adding a language.
"""

from __future__ import annotations

import hashlib
import json
import string
import sys
from pathlib import Path

from shapecheck.core.messages import DEFAULT_LANGUAGE, _LOCALES, catalogue


def placeholders(template: str) -> set[str]:
    """The named fields of a template: {name}, {count:,} and {value!r} all name one field."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _stamps(lang: str) -> dict[str, str]:
    path = _LOCALES / lang / "sources.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def status(lang: str) -> dict[str, list[str]]:
    english, other, stamps = catalogue(DEFAULT_LANGUAGE), catalogue(lang), _stamps(lang)
    return {
        "missing": sorted(k for k in english if k not in other),
        "stale": sorted(k for k in english if k in other and stamps.get(k) not in (None, _hash(english[k]))),
        "unstamped": sorted(k for k in other if k in english and k not in stamps),
        "placeholders": sorted(k for k in english if k in other and placeholders(english[k]) != placeholders(other[k])),
        "extra": sorted(k for k in other if k not in english),
    }


def stamp(lang: str) -> int:
    """Record the English each present translation was made from (run after translating or reviewing)."""
    english, other = catalogue(DEFAULT_LANGUAGE), catalogue(lang)
    stamps = {k: _hash(english[k]) for k in sorted(other) if k in english}
    (_LOCALES / lang / "sources.json").write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return len(stamps)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("status", "stamp") or not (_LOCALES / args[1]).is_dir():
        print(__doc__.strip().splitlines()[2].strip())
        print(__doc__.strip().splitlines()[3].strip())
        return 2
    command, lang = args
    if command == "stamp":
        print(f"{stamp(lang)} entries of {lang} stamped")
        return 0
    found = status(lang)
    for kind, ids in found.items():
        print(f"{kind}: {len(ids)}")
        for message_id in ids:
            print(f"  {message_id}")
    problems = found["missing"] + found["stale"] + found["placeholders"] + found["extra"]
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
