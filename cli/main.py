"""The ``shapecheck`` console script: choose the language first, so even help texts speak it."""

from __future__ import annotations

import sys


def take_language(args: list[str]) -> tuple[str | None, list[str]]:
    """``--lang ar`` or ``--lang=ar`` anywhere on the command line; the other arguments untouched."""
    lang, rest, it = None, [], iter(args)
    for arg in it:
        if arg == "--lang":
            lang = next(it, "")
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return lang, rest


def main() -> None:
    from shapecheck.core.errors import ShapecheckError
    from shapecheck.core.messages import msg, set_language

    lang, args = take_language(sys.argv[1:])
    if lang is not None:
        try:
            set_language(lang)
        except ShapecheckError as exc:
            sys.stderr.write(msg("cli.error", message=str(exc)) + "\n")
            sys.exit(2)
    from shapecheck.cli.app import app  # after the language is set: help texts are read at import

    app(args)
