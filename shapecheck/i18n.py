"""Translator tooling: what a catalogue lacks, what went stale, what breaks a placeholder.

    python -m shapecheck.i18n status ar          # missing, stale, unstamped and broken ids (exit 1 if any)
    python -m shapecheck.i18n stamp ar           # after translating new ids: remember the English they translate
    python -m shapecheck.i18n stamp ar ID ...    # after updating stale ids: the same, for those ids only

Stale means the English text changed after the translation was stamped. The stamps live beside the
catalogue in ``locales/<lang>/sources.json`` (id -> a hash of the English it translates). A plain
``stamp`` never re-stamps a stale id: only naming it, once its translation says what the English now
says, does (so stamping new entries cannot silently bless an outdated one).
See TRANSLATING.md for adding a language.
"""

from __future__ import annotations

import hashlib
import json
import string
import sys
from pathlib import Path

from shapecheck.core.messages import DEFAULT_LANGUAGE, _LOCALES, catalogue, msg


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


def stamp(lang: str, ids: list[str] | None = None) -> int:
    """Record the English each translation was made from: the unstamped ones, or exactly ``ids`` (reviewed).

    Returns how many were stamped; raises KeyError naming an id that is not in both catalogues.
    """
    english, other, stamps = catalogue(DEFAULT_LANGUAGE), catalogue(lang), _stamps(lang)
    if ids is None:
        ids = [k for k in other if k in english and k not in stamps]
    unknown = [k for k in ids if k not in english or k not in other]
    if unknown:
        raise KeyError(", ".join(unknown))
    stamps.update({k: _hash(english[k]) for k in ids})
    stamps = {k: v for k, v in stamps.items() if k in english and k in other}  # ids that left the catalogue
    (_LOCALES / lang / "sources.json").write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] not in ("status", "stamp") or (args[0] == "status" and len(args) != 2) \
            or not (_LOCALES / args[1]).is_dir():
        for line in __doc__.strip().splitlines()[2:5]:
            print(line.strip())
        return 2
    command, lang, ids = args[0], args[1], args[2:]
    if command == "stamp":
        try:
            print(msg("i18n.stamped", count=stamp(lang, ids or None), lang=lang))
        except KeyError as exc:
            print(msg("i18n.unknown_ids", lang=lang, ids=exc.args[0]))
            return 2
        stale = status(lang)["stale"]
        if stale:
            print(msg("i18n.still_stale", lang=lang, ids=" ".join(stale)))
        return 0
    found = status(lang)
    for kind, ids in found.items():
        print(f"{kind}: {len(ids)}")
        for message_id in ids:
            print(f"  {message_id}")
    problems = found["missing"] + found["stale"] + found["unstamped"] + found["placeholders"] + found["extra"]
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
