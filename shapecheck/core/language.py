"""Which language shapecheck speaks: ``sc.set_language("ar")``, checked against the catalogues.

Here rather than in ``messages`` because a wrong choice is a ``ShapecheckError``, and the error's
sentence comes from ``messages``: the catalogue stays below the error, with no cycle.
"""

from __future__ import annotations

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import language, languages, use_language

__all__ = ["language", "set_language"]


def set_language(lang: str | None) -> str:
    """Speak ``lang`` ("en", "ar") from now on; None goes back to the environment's choice."""
    if lang is not None and lang not in languages():
        use_language(None)
        raise ShapecheckError("cli.bad_language", value=lang, known=", ".join(languages()))
    return use_language(lang)
