"""``shapecheck``: the typer application and the conventions every command gets for free.

- ``-h``/``--help`` everywhere; ``--version``; ``shapecheck`` (or ``shapecheck demo``) alone prints a
  short overview and exits 0;
- ``--lang`` listed in every command's help (it is read before parsing, by ``common.take_language``); ``--json``
  before the command's name moved after it (``common.json_after_command``), and ``--version --json`` as JSON;
- the examples a command registers (``epilog=examples(...)``) end its ``--help``;
- commands load lazily: ``shapecheck shapes`` imports the shapes module only, not numpy or the grader;
- one error boundary (``ShapecheckGroup.main``): bad input is one line on stderr with exit 2 (JSON with
  ``--json``), a bug of ours one line with exit 3 (``SHAPECHECK_DEBUG=1`` for the traceback), Ctrl-C 130.

Shell completion: ``eval "$(_SHAPECHECK_COMPLETE=source_bash shapecheck)"`` (``source_zsh``, ``source_fish``).
"""

import os
import sys
from importlib import import_module

import click
import typer
from typer.core import TyperCommand, TyperGroup

from shapecheck.cli import common
from shapecheck.core.messages import languages, msg

# name -> the module whose register(app) defines it; the order is the order of the overview and of --help
COMMANDS = {
    "shapes": "shapecheck.cli.shapes",
    "summary": "shapecheck.cli.shapes",
    "params": "shapecheck.cli.shapes",
    "gradcheck": "shapecheck.cli.gradcheck",
    "diagnose": "shapecheck.cli.diagnose",
    "tune": "shapecheck.cli.tune",
    "grade": "shapecheck.cli.grade",
    "demo": "",  # a group of its own: demo_app, with DEMOS
    "examples": "shapecheck.cli.examples",
}
DEMOS = {"lstm": "shapecheck.cli.demo_lstm", "dense": "shapecheck.cli.demo_dense"}


class ShapecheckCommand(TyperCommand):
    """A command whose help lists --lang (read before parsing) and ends with its examples."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        return [*params[:-1], lang_option(), *params[-1:]] if params else [lang_option()]

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not self.epilog:
            return
        formatter.write_paragraph()
        with formatter.section(msg("cli.examples_heading")):
            for line in self.epilog.splitlines():  # as written: a command line must not be re-wrapped
                formatter.write(" " * formatter.current_indent + line + "\n")


def lang_option() -> click.Option:
    return click.Option(["--lang"], metavar="[" + "|".join(languages()) + "]", help=msg("cli.lang_help"),
                        expose_value=False)


class LazyGroup(TyperGroup):
    """Commands imported on first use (``lazy``: name -> module), so a command pays only for itself."""

    lazy: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = [name for name in self.lazy if self.get_command(ctx, name) is not None]
        return lazy + [name for name in self.commands if name not in lazy]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            self._load(self.lazy[name], name)
        return self.commands.get(name)

    def names(self) -> list[str]:
        """Every command's name, without importing any of them."""
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """A typo ('shapse') gets the command it was meant to be, as an unknown option gets its close match."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.names(), n=1)
            if close:
                ctx.fail(msg("cli.no_such_command_close", name=name, close=close[0]))
        return super().resolve_command(ctx, args)

    def _load(self, module_name: str, name: str) -> None:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:  # a real missing dependency inside the module: surface it
                raise
            return
        target = ShapecheckTyper()
        module.register(target)
        # build only the command asked for (typer turns each parameter into a click one): `shapes` need not pay
        # for `summary` and `params`, which its module registers too
        target.registered_commands = [info for info in target.registered_commands if info.name == name]
        target.registered_groups = [info for info in target.registered_groups if info.name == name]
        if not (target.registered_commands or target.registered_groups):
            return
        built = typer.main.get_command(target)
        commands = built.commands if isinstance(built, click.Group) else {built.name: built}
        if name in commands:
            self.commands[name] = commands[name]

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        return [*params[:-1], lang_option(), *params[-1:]]

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ShapecheckCommand.format_epilog(self, ctx, formatter)  # type: ignore[arg-type]


class DemoGroup(LazyGroup):
    lazy = DEMOS


class ShapecheckGroup(LazyGroup):
    """The application, and the one error boundary around every command."""

    lazy = COMMANDS

    def names(self) -> list[str]:
        return [*super().names(), "demo"]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "demo" and name not in self.commands:
            self.commands["demo"] = typer.main.get_command(demo_app)
        return super().get_command(ctx, name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from shapecheck.core.errors import ShapecheckError
        from shapecheck.core.language import set_language

        lang, args = common.take_language(list(sys.argv[1:] if args is None else args))
        common.begin(args)
        args = common.json_after_command(args)
        if os.environ.get("_SHAPECHECK_COMPLETE"):  # typer's completion scripts, not click's: see the docstring
            from typer._completion_classes import completion_init

            completion_init()
        try:
            if lang is not None:  # every command takes --lang (the console script has already set it)
                set_language(lang)
            code = super().main(args, prog_name or "shapecheck", complete_var, standalone_mode=False, **extra)
        except ShapecheckError as exc:
            code = common.report_exception(exc)
        except click.exceptions.NoArgsIsHelpError as exc:  # e.g. `shapecheck shapes`: its help is the answer
            typer.echo(exc.ctx.get_help())
            code = 0
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "shapecheck"
            common._state["command"] = command
            code = common.report_error("usage", exc.format_message(), hint=msg("cli.hint_help", command=command))
        except MemoryError:
            code = common.out_of_memory()
        except (typer.Abort, KeyboardInterrupt):
            code = common.interrupted()
        except SystemExit as exc:  # shell completion exits on its own
            code = exc.code
        except Exception as exc:  # our bug, not the user's: still one line, and how to report it
            if os.environ.get("SHAPECHECK_DEBUG"):
                raise
            code = common.report_error("internal", msg("cli.internal_error", type=type(exc).__name__,
                                                       message=str(exc)[:300]), exit_code=3)
        return self._exit(code, standalone_mode)

    @staticmethod
    def _exit(code, standalone_mode: bool):
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


OneLineErrors = ShapecheckGroup  # the name other modules knew


class ShapecheckTyper(typer.Typer):
    """A Typer whose commands are ShapecheckCommands: --lang in their help, their examples at the end."""

    def command(self, name=None, *, cls=None, **kwargs):
        return super().command(name, cls=cls or ShapecheckCommand, **kwargs)


# Help is plain click text (rich_markup_mode=None), but typer still escapes "[required]" and "[default: …]"
# for rich whenever rich is installed, so a student would read "\\[required]". Its help code reads this flag.
typer.core.HAS_RICH = False
SETTINGS = {"help_option_names": ["-h", "--help"]}

app = ShapecheckTyper(
    cls=ShapecheckGroup,
    help=msg("cli.app_help"),
    epilog=common.examples("shapecheck shapes 12288 20 7 5 1 -m 209", "shapecheck shapes --help",
                           'eval "$(_SHAPECHECK_COMPLETE=source_bash shapecheck)"'),
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never show a student a traceback with locals
    rich_markup_mode=None,
    context_settings=SETTINGS,
)
demo_app = ShapecheckTyper(cls=DemoGroup, help=msg("cli.demo_help"), invoke_without_command=True,
                           epilog=common.examples("shapecheck demo lstm", "shapecheck demo dense 2 20 7 5 1"),
                           rich_markup_mode=None, context_settings=SETTINGS)


def _version(value: bool) -> None:
    if value:
        from shapecheck import __version__

        python = ".".join(map(str, sys.version_info[:3]))
        if common.wants_json():
            import json

            typer.echo(json.dumps(common.with_language({"version": __version__, "python": python})))
        else:
            typer.echo(msg("cli.version", version=__version__, python=python))
        raise typer.Exit(0)


@app.callback()
def _overview(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", "-V", help=msg("cli.version_help"), is_eager=True,
                                 callback=_version),
) -> None:
    """Bare ``shapecheck``: a short overview, exit 0 (``--help`` has the whole help)."""
    if ctx.invoked_subcommand is None:
        overview(ctx)


@demo_app.callback()
def _demo_overview(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        overview(ctx)


def overview(ctx: click.Context) -> None:
    group = ctx.command
    assert isinstance(group, click.Group)
    rows = [(name, group.get_command(ctx, name).get_short_help_str(70)) for name in group.list_commands(ctx)]
    width = max(len(name) for name, _ in rows)
    lines = [msg("cli.overview_title", command=ctx.command_path), ""]
    lines += [f"  {name:<{width}}  {text}" for name, text in rows]
    lines += ["", msg("cli.overview_more", command=ctx.command_path)]
    typer.echo("\n".join(lines))
    raise typer.Exit(0)


def main() -> None:
    """Run the application (the console script, ``cli/main.py``, sets the language before importing it)."""
    app()
