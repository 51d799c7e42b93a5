"""The one catalogue of user-facing text.

Every sentence a person reads comes from here: ``msg("shapes.transposed", name="W2", ...)``.
Templates live in ``locales/<lang>/<area>.toml`` (one file per area, so several people can edit
the catalogue at once); a message id is ``<area>.<key>``. Placeholders are named, ``{name}``,
so a translator can reorder them. Loading is lazy and stdlib-only (tomllib).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

_LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"


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
    """The text of ``message_id`` with its named placeholders filled in."""
    return catalogue()[message_id].format_map(fields)
