"""``shapecheck``: the typer application. Commands parse, call the library, render, exit.

Exit codes: 0 all checks passed, 1 a check failed, 2 bad input or usage (one line on stderr),
3 a bug in shapecheck itself (one line too; SHAPECHECK_DEBUG=1 shows the traceback), 130 Ctrl-C.
"""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 vendors its own click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer depends on click
    from click.exceptions import UsageError

from shapecheck.core.messages import msg


class OneLineErrors(TyperGroup):
    """Usage errors as one line on stderr with exit 2, instead of a boxed panel."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from shapecheck.cli.main import take_language
        from shapecheck.core.errors import ShapecheckError
        from shapecheck.core.messages import set_language

        lang, args = take_language(list(sys.argv[1:] if args is None else args))
        if lang is not None:  # every command takes --lang (the console script has already set it)
            try:
                set_language(lang)
            except ShapecheckError as exc:
                typer.echo(msg("cli.error", message=str(exc)), err=True)
                return self._exit(2, standalone_mode)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "shapecheck"
            typer.echo(msg("cli.usage_error", message=exc.format_message(), command=command), err=True)
            code = 2
        except (typer.Abort, KeyboardInterrupt):
            typer.echo("", err=True)
            code = 130
        except Exception as exc:  # our bug, not the user's: still one line, and how to report it
            if os.environ.get("SHAPECHECK_DEBUG"):
                raise
            typer.echo(msg("cli.internal_error", type=type(exc).__name__, message=str(exc)[:300]), err=True)
            code = 3
        return self._exit(code, standalone_mode)

    @staticmethod
    def _exit(code, standalone_mode: bool):
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


# Help is plain click text (rich_markup_mode=None), but typer still escapes "[required]" and "[default: …]"
# for rich whenever rich is installed, so a student would read "\\[required]". Its help code reads this flag.
typer.core.HAS_RICH = False

app = typer.Typer(
    cls=OneLineErrors,
    help=msg("cli.app_help"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never show a student a traceback with locals
    rich_markup_mode=None,
)
demo_app = typer.Typer(help=msg("cli.demo_help"), no_args_is_help=True)


def _register() -> None:
    from shapecheck.cli import shapes

    shapes.register(app)
    for module, name in (("shapecheck.cli.gradcheck", "register"), ("shapecheck.cli.diagnose", "register"),
                         ("shapecheck.cli.tune", "register"), ("shapecheck.cli.grade", "register")):
        _optional(module, name, app)
    for module in ("shapecheck.cli.demo_lstm", "shapecheck.cli.demo_dense"):
        _optional(module, "register", demo_app)
    app.add_typer(demo_app, name="demo")


def _optional(module: str, name: str, target: typer.Typer) -> None:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:  # a real missing dependency inside the module: surface it
            raise
        return
    getattr(mod, name)(target)


_register()


def main() -> None:
    from shapecheck.cli.main import main as console_main

    console_main()
