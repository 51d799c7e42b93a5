"""The CLI's one error boundary and its output: rich for people, JSON for machines."""

import json
import sys
from contextlib import contextmanager
from typing import Iterator

import typer

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg


def fail(message: str) -> "typer.Exit":
    """Print one line on stderr and exit 2 (bad input or usage)."""
    typer.echo(msg("cli.error", message=message), err=True)
    return typer.Exit(2)


@contextmanager
def user_errors() -> Iterator[None]:
    """A ShapecheckError becomes one line on stderr and exit code 2. Our own bugs still show a traceback."""
    try:
        yield
    except ShapecheckError as exc:
        raise fail(str(exc)) from None


def console():
    from rich.console import Console

    return Console(highlight=False)


def show(report, as_json: bool) -> None:
    """A report as a rich renderable for people, or as its JSON alone on stdout."""
    if as_json:
        sys.stdout.write(json.dumps(with_language(report.to_json()), indent=2, ensure_ascii=False) + "\n")
    else:
        console().print(report)


def with_language(data: dict) -> dict:
    """JSON keeps English keys and machine values; ``lang`` says which language message and hint are in."""
    from shapecheck.core.messages import language, strip_isolates

    if not isinstance(data, dict):
        return data
    text = json.dumps(data, ensure_ascii=False)
    return {**json.loads(strip_isolates(text)), "lang": language()} if language() != "en" else {**data, "lang": "en"}


def parse_dims(values: list[str]) -> list[str]:
    """Dims may come as separate arguments or as one comma/space-separated string."""
    out: list[str] = []
    for value in values:
        out.extend(part for part in value.replace(",", " ").split() if part)
    return out
