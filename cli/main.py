"""The ``shapecheck`` console script: choose the language first, so even help texts speak it."""

from __future__ import annotations

import sys


def main() -> None:
    from shapecheck.cli.common import take_language
    from shapecheck.core.errors import ShapecheckError
    from shapecheck.core.language import set_language
    from shapecheck.core.messages import language, msg, use_language

    lang, args = take_language(sys.argv[1:])
    if lang is None:  # the environment's language (SHAPECHECK_LANG, LANG, ...), read once: every sentence asks for it
        use_language(language())
    else:
        try:
            set_language(lang)
        except ShapecheckError as exc:
            sys.stderr.write(msg("cli.error", message=str(exc)) + "\n")
            sys.exit(2)
    from shapecheck.cli.app import app  # after the language is set: help texts are read at import

    app(args)
