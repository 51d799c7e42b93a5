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

import marshal
import os
import re
import zlib
from functools import cache
from pathlib import Path

_LOCALES = Path(__file__).parent.parent / "locales"  # package data, beside the layers
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

# Unicode directional isolates: LRI ... PDI keeps a left-to-right piece whole; FSI ... PDI lets a
# filled-in value pick its own direction
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"

_language: str | None = None
_ENVIRONMENT_CHOICE = os.environ.get("SHAPECHECK_LANG")  # what use_language(None) goes back to


@cache
def languages() -> list[str]:
    """The languages with a catalogue, English first."""
    # os.scandir, not Path.glob: a glob compiles a regular expression, and every command's --lang asks this
    with os.scandir(_LOCALES) as entries:
        found = sorted(e.name for e in entries if e.is_dir() and any(n.endswith(".toml") for n in os.listdir(e.path)))
    return sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE)


def _from_environment() -> str:
    for variable in ("SHAPECHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code and code not in ("c", "posix"):
            return code if code in languages() else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def use_language(lang: str | None) -> str:
    """Speak ``lang`` from now on, unchecked (``core.language.set_language`` checks it first)."""
    global _language
    _language = lang
    # the processes we start (sandboxed student code, graders) speak the same language
    if lang is not None:
        os.environ["SHAPECHECK_LANG"] = lang
    elif _ENVIRONMENT_CHOICE is None:
        os.environ.pop("SHAPECHECK_LANG", None)
    else:
        os.environ["SHAPECHECK_LANG"] = _ENVIRONMENT_CHOICE
    return language()


def language() -> str:
    return _language or _from_environment()


def is_rtl(lang: str | None = None) -> bool:
    return (lang or language()) in RTL_LANGUAGES


@cache
def catalogue(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every message of one language, keyed by id (``area.key``)."""
    return {f"{path.stem}.{key}": template
            for path in sorted((_LOCALES / lang).glob("*.toml")) for key, template in _area(lang, path.stem).items()}


@cache
def _area(lang: str, area: str) -> dict[str, str]:
    """One file of a catalogue (``cli``, ``rules``, ...): read when its first message is needed, which keeps
    the shape commands' start-up from parsing every area's TOML. A parsed copy is kept in the user's cache
    folder, keyed by the TOML's path, mtime and size: importing tomllib and parsing costs more than the
    rest of ``shapecheck shapes`` (benchmarks/bench_startup.py)."""
    path = _LOCALES / lang / f"{area}.toml"
    try:
        stat = path.stat()
    except OSError:
        return {}
    folder = _cache_folder()
    cached = folder / f"{lang}.{area}.{zlib.crc32(str(path).encode())}.{stat.st_mtime_ns}.{stat.st_size}.marshal" \
        if folder else None
    if cached:
        try:
            data = marshal.loads(cached.read_bytes())
            if isinstance(data, dict):
                return data
        except (OSError, ValueError, EOFError, TypeError):
            pass
    import tomllib

    with path.open("rb") as f:
        data = tomllib.load(f)
    if cached:
        _keep(cached, data)
    return data


def _cache_folder() -> Path | None:
    """Where the parsed catalogue is kept: the user's cache ($XDG_CACHE_HOME, else ~/.cache), never the package
    folder, whose files pip owns: a copy left there outlived `pip uninstall`, and the empty ``shapecheck/``
    it left behind shadowed the next (editable) install as a namespace package."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative (which the XDG specification says to ignore)
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder ("~" left as it is): never a cache in the working folder
        return None
    return Path(base) / "shapecheck" / "catalogue"


def _keep(cached: Path, data: dict) -> None:
    """Write the parsed area atomically, dropping older copies; without a writable cache it parses each time."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(cached.name.rsplit(".", 3)[0] + ".*.marshal"):
            old.unlink(missing_ok=True)
        temporary = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(data))
        os.replace(temporary, cached)
    except OSError:
        pass


def _template(lang: str, message_id: str) -> str | None:
    area, _, key = message_id.partition(".")
    return _area(lang, area).get(key)


def msg(message_id: str, /, **fields: object) -> str:
    """The text of ``message_id`` in the current language, its named placeholders filled in."""
    return msg_in(language(), message_id, **fields)


def msg_in(lang: str, message_id: str, /, **fields: object) -> str:
    """The text of ``message_id`` in ``lang``, whatever the current language (e.g. English labels in a picture
    whose renderer cannot lay out the current language's script)."""
    template = _template(lang, message_id) if lang != DEFAULT_LANGUAGE else None
    if template is None:
        template = _template(DEFAULT_LANGUAGE, message_id)
        if template is None:
            raise KeyError(message_id)
        return template.format_map(fields)
    if lang in RTL_LANGUAGES:
        return _isolated(template).format_map(fields)
    return template.format_map(fields)


# --- right-to-left: isolate the left-to-right pieces ---------------------------------------------------

_RTL = "\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF"
_ARABIC_PUNCTUATION = "،؛؟"  # ends a left-to-right run
_SLOT = "\ue000"  # stands for a placeholder while runs are found


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The placeholders, the left-to-right runs, and a placeholder joined to notation: n{index}, {name}.T,
    {a} = {b}, W[{l}]. Compiled on first use, by a right-to-left language only (compiling costs start-up time).
    A run starts and ends on a visible non-Arabic character: W[l], (n[l], n[l-1]), --json, −(1/m)·Σ, A_prevᵀ."""
    placeholder = re.compile(r"\{[^{}]*\}")
    ltr_run = re.compile(
        rf"(?:\.(?=\w))?[^\s{_RTL}{_ARABIC_PUNCTUATION}.,:;!?)\]}}](?:[^{_RTL}{_ARABIC_PUNCTUATION}]*[^\s{_RTL}{_ARABIC_PUNCTUATION}.,:;!?(\[{{])?"
    )
    code_join = re.compile(rf"{_SLOT}\s*[=·+*/@\[(.]|[=·+*/@\])(]\s*{_SLOT}")
    return placeholder, ltr_run, code_join


_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trim(run: str) -> str:
    """Drop brackets the run does not pair: they belong to the Arabic sentence around it."""
    while run and run[-1] in _PAIRS and run.count(run[-1]) > run.count(_PAIRS[run[-1]]):
        run = run[:-1].rstrip()
    opening = {v: k for k, v in _PAIRS.items()}
    while run and run[0] in opening and run.count(run[0]) > run.count(opening[run[0]]):
        run = run[1:].lstrip()
    return run


@cache
def _isolated(template: str) -> str:
    """An RTL template with its left-to-right runs (notation, code, and the placeholders inside them) in
    LRI…PDI, and each placeholder in FSI…PDI (a filled-in value may itself be Arabic)."""
    placeholder, ltr_run, code_join = _patterns()
    slots: list[str] = []
    masked = template.replace("{{", "\ue001").replace("}}", "\ue002")  # doubled braces are literal
    masked = placeholder.sub(lambda m: slots.append(m.group(0)) or _SLOT, masked)

    def wrap(match: re.Match) -> str:
        run = match.group(0)
        core = _trim(run)
        if not core:
            return run
        literal = any(c.isalnum() for c in core.replace(_SLOT, ""))
        if not literal and not code_join.search(core):
            return run  # placeholders only: each keeps its own isolate
        start = run.index(core)
        return run[:start] + LRI + core + PDI + run[start + len(core):]

    out = ltr_run.sub(wrap, masked)
    values = iter(slots)
    out = re.sub(_SLOT, lambda m: FSI + next(values) + PDI, out)
    return out.replace("\ue001", "{{").replace("\ue002", "}}")


def strip_isolates(text: str) -> str:
    """The text without directional isolates (for tests and for terminals that print them)."""
    return text.replace(LRI, "").replace(FSI, "").replace(PDI, "")
