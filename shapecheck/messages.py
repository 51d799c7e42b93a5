"""The one catalogue of user-facing text, in every language we speak.

Every sentence a person reads comes from here: ``msg("check.transposed", name="W2", ...)``.
Templates live in ``locales/<lang>/<area>.toml`` (one file per area); a message id is
``<area>.<key>``. Placeholders are named, ``{name}``, so a translator can reorder them. English is
the default and the fallback: an id a translation lacks is said in English.

The language: ``set_language("ar")``, else ``SHAPECHECK_LANG``, else the locale (LC_ALL,
LC_MESSAGES, LANG), else English. In a right-to-left language, the left-to-right pieces of a
sentence (W[l], (n[l], n[l-1]), np.dot, numbers, paths, and every filled-in value) are wrapped in
Unicode directional isolates, so they keep their order inside Arabic text.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path

_LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

# Unicode directional isolates: LRI ... PDI keeps a left-to-right piece whole; FSI ... PDI lets a
# filled-in value pick its own direction
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"

_language: str | None = None


def languages() -> list[str]:
    """The languages with a catalogue, English first."""
    found = sorted(p.name for p in _LOCALES.iterdir() if p.is_dir() and any(p.glob("*.toml")))
    return sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE)


def _from_environment() -> str:
    for variable in ("SHAPECHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code and code not in ("c", "posix"):
            return code if code in languages() else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    """Speak ``lang`` ("en", "ar") from now on; None goes back to the environment's choice."""
    global _language
    if lang is not None and lang not in languages():
        from shapecheck.errors import ShapecheckError  # late: errors imports this module

        _language = None
        raise ShapecheckError("cli.bad_language", value=lang, known=", ".join(languages()))
    _language = lang
    return language()


def language() -> str:
    return _language or _from_environment()


def is_rtl(lang: str | None = None) -> bool:
    return (lang or language()) in RTL_LANGUAGES


@cache
def catalogue(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every message of one language, keyed by id (``area.key``)."""
    messages: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.toml")):
        with path.open("rb") as f:
            for key, template in tomllib.load(f).items():
                messages[f"{path.stem}.{key}"] = template
    return messages


def msg(message_id: str, /, **fields: object) -> str:
    """The text of ``message_id`` in the current language, its named placeholders filled in."""
    lang = language()
    template = catalogue(lang).get(message_id) if lang != DEFAULT_LANGUAGE else None
    if template is None:
        return catalogue(DEFAULT_LANGUAGE)[message_id].format_map(fields)
    if lang in RTL_LANGUAGES:
        return _isolated(template).format_map(fields)
    return template.format_map(fields)


# --- right-to-left: isolate the left-to-right pieces ---------------------------------------------------

# a run of Latin letters, digits, code punctuation and the spaces between them: W[l], (n[l], n[l-1]), np.dot
_LTR_RUN = re.compile(r"[A-Za-z0-9_\[({`'\"](?:[A-Za-z0-9_\[\](){}.,:;=+\-*/<>'\"`·ᵀ∗−Σ|!?@#%&^~\\ ]*[A-Za-z0-9_\])}`'\"])?")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@cache
def _isolated(template: str) -> str:
    """An RTL template with its literal LTR runs in LRI…PDI and its placeholders in FSI…PDI."""
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(template):
        out.append(_isolate_runs(template[last:match.start()]))
        out.append(FSI + match.group(0) + PDI)
        last = match.end()
    out.append(_isolate_runs(template[last:]))
    return "".join(out)


def _isolate_runs(text: str) -> str:
    def wrap(match: re.Match) -> str:
        run = match.group(0)
        stripped = run.strip()
        if not any(c.isalnum() for c in stripped):
            return run
        lead = run[: len(run) - len(run.lstrip())]
        return lead + LRI + stripped + PDI

    return _LTR_RUN.sub(wrap, text)


def strip_isolates(text: str) -> str:
    """The text without directional isolates (for tests and for terminals that print them)."""
    return text.replace(LRI, "").replace(FSI, "").replace(PDI, "")
