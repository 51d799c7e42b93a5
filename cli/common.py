"""What every command shares: the error line (or JSON), the output, layer sizes, choices, the default init."""

import os
import sys
from contextlib import contextmanager
from typing import Annotated, Iterator, Optional

import typer

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

# The initialisation every command uses unless told otherwise (shapecheck.engine.init.INIT_METHODS, without
# importing numpy). He scaling keeps a ReLU network's signals at unit size: training moves, and a gradient
# check's differences sit far above rounding (the course's ×0.01 makes dW1 ~1e-6, inside the noise).
INIT_METHODS = ("he", "xavier", "course")
DEFAULT_INIT = "he"

# set per run by begin(): does the user want JSON on both streams, and which command runs (for the hint)
_state = {"json": False, "command": "shapecheck"}


def begin(args: list[str]) -> None:
    """Start of one run of the application: note whether errors must be JSON, and the command's name."""
    _state["json"] = "--json" in args or _option_value(args, "--format") == "json"
    _state["args"] = list(args)
    words = [arg for arg in args[:2] if not arg.startswith("-")]
    words = words[:2] if words[:1] == ["demo"] else words[:1]
    _state["command"] = " ".join(["shapecheck", *words])


def wants_json() -> bool:
    """Did this run ask for JSON (begin)?"""
    return _state["json"]


def _option_value(args: list[str], option: str) -> str | None:
    for k, arg in enumerate(args):
        if arg == option and k + 1 < len(args):
            return args[k + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return None


def printable(text: str) -> str:
    """Control characters and ANSI escapes (from a file name, say) shown as escapes, never sent to the terminal.
    Directional isolates (Unicode category Cf) stay: they keep Arabic sentences in order."""
    import unicodedata

    return "".join(c if c == "\n" or unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)


def report_error(code: str, message: str, hint: str | None = None, exit_code: int = 2) -> int:
    """One error for the user: a line on stderr, or ``{"error": {"code", "message", "hint"}}`` with --json.
    Returns the exit code (2 bad input, 3 our bug)."""
    from shapecheck.core.messages import language, strip_isolates

    message = printable(message).replace("\n", " ")
    if _state["json"]:
        import json

        error = {"code": code, "message": strip_isolates(message), "hint": hint and strip_isolates(printable(hint))}
        sys.stderr.write(json.dumps({"error": error, "lang": language()}, ensure_ascii=False) + "\n")
    else:
        usage = code == "usage"
        line = msg("cli.usage_error", message=message, command=_state["command"]) if usage else msg("cli.error", message=message)
        typer.echo(line, err=True)
    return exit_code


def interrupted(message: str | None = None) -> int:
    """Ctrl-C: ``message`` (what was kept), or a new line so the shell prompt starts clean; JSON with --json.
    Returns 130, the shell's code for a command stopped by SIGINT."""
    if _state["json"]:
        report_error("interrupted", message or msg("cli.interrupted"))
    else:
        typer.echo(message or "", err=True)
    return 130


class UserError(ShapecheckError):
    """A sentence already made (by ``fail``), carried to the error boundary."""

    def __init__(self, message: str, code: str = "input") -> None:
        self.message_id, self.fields = code, {}
        ValueError.__init__(self, message)


def fail(message: str, code: str = "input") -> UserError:
    """Bad input or usage: ``raise fail(msg(...))`` ends the command with one line on stderr and exit 2."""
    return UserError(message, code)


def report_exception(exc: ShapecheckError) -> int:
    """A ShapecheckError as the user's one error: its message id is the JSON code."""
    from shapecheck.core.messages import _template

    hint_id = exc.message_id + "_hint"
    has_hint = "." in exc.message_id and _template("en", hint_id) is not None
    hint = msg(hint_id, **exc.fields) if has_hint else msg("cli.hint_help", command=_state["command"])
    return report_error(exc.message_id, str(exc), hint=hint)


@contextmanager
def user_errors() -> Iterator[None]:
    """A ShapecheckError inside becomes one line on stderr (JSON with --json) and exit 2. The application's
    boundary (app.py) does the same for the whole command; this keeps a command right in any typer app."""
    try:
        yield
    except ShapecheckError as exc:
        raise typer.Exit(report_exception(exc)) from None


def examples(*lines: str) -> str:
    """The examples that end a command's --help (``app.command(..., epilog=examples(...))``)."""
    return "\n".join(lines)


def choices(names) -> str:
    """The metavar of an option with fixed choices: [relu|tanh|...]."""
    return "[" + "|".join(names) + "]"


def console():
    from rich.console import Console

    return Console(highlight=False)


def show(report, as_json: bool) -> None:
    """A report as a rich renderable for people, or as its JSON alone on stdout."""
    if as_json:
        import json

        sys.stdout.write(json.dumps(with_language(report.to_json()), indent=2, ensure_ascii=False) + "\n")
    else:
        console().print(report)


def with_language(data: dict) -> dict:
    """JSON keeps English keys and machine values; ``lang`` says which language message and hint are in."""
    import json

    from shapecheck.core.messages import language, strip_isolates

    if not isinstance(data, dict):
        return data
    text = json.dumps(data, ensure_ascii=False)
    return {**json.loads(strip_isolates(text)), "lang": language()} if language() != "en" else {**data, "lang": "en"}


# --- layer sizes: positional everywhere, `--dims` kept as an alias --------------------------------------

DimsAlias = Annotated[Optional[str], typer.Option("--dims", help=msg("cli.dims_alias_help"), show_default=False)]


def parse_dims(values: list[str]) -> list[str]:
    """Dims may come as separate arguments or as one comma/space-separated string."""
    out: list[str] = []
    for value in values:
        out.extend(part for part in value.replace(",", " ").split() if part)
    return out


def layer_sizes(positional: list[str] | None, alias: str | None, command: str) -> list[str]:
    """The layer sizes n0 ... nL, however given: ``5 4 1``, ``"5,4,1"``, ``--dims 5 4 1``, ``--dims "5 4 1"``.
    (click gives ``--dims`` one value, so ``--dims 5 4 1`` leaves ``4 1`` among the positional ones.)"""
    if alias and positional and _given_twice(alias, positional):
        raise fail(msg("cli.dims_twice", sizes=" ".join(positional), alias=alias), code="usage")
    sizes = parse_dims([*([alias] if alias else []), *(positional or [])])
    for value in sizes:
        if value.startswith("-") and not value.lstrip("-").isdigit():
            raise fail(_unknown_option(value), code="usage")
        if value.lower().endswith((".py", ".ipynb")):  # a student's file: diagnose is the command for it
            raise fail(msg("cli.sizes_got_student_file", value=value, command=command))
        if not value.lstrip("+-").isdigit() and os.path.isdir(value):
            raise fail(msg("cli.sizes_got_folder", value=value, command=command))
    return sizes


def _unknown_option(option: str) -> str:
    """'no such option: --hiden. Did you mean --hidden?': the running command's options, as click says it."""
    import difflib

    import click

    context = click.get_current_context(silent=True)
    names = [name for param in (context.command.params if context else []) for name in param.opts if name.startswith("--")]
    close = difflib.get_close_matches(option.split("=", 1)[0], names, n=1)
    return msg("cli.unknown_option_close", option=option, close=close[0]) if close else msg("cli.unknown_option", option=option)


def _given_twice(alias: str, positional: list[str]) -> bool:
    """``5 4 1 --dims "3 2"`` (or ``5 4 --dims 1``) gives two networks, not one: only ``--dims 5 4 1``, the sizes
    right after the option (click hands it the first), continues with positional ones."""
    if len(parse_dims([alias])) > 1:
        return True
    args = _state.get("args", [])
    option = next((k for k, arg in enumerate(args) if arg == "--dims" or arg.startswith("--dims=")), None)
    return option is not None and positional[0] in args[:option]


InitOption = Annotated[str, typer.Option("--init", metavar=choices(INIT_METHODS), help=msg("cli.init_help"))]


def _seed(value: int) -> int:
    if value < 0 or value >= 2**32:  # numpy's generators take 0 ... 2**32 - 1 (a negative one is its ValueError)
        raise fail(msg("cli.bad_seed", value=value))
    return value


SeedOption = Annotated[int, typer.Option("--seed", callback=_seed, help=msg("cli.seed_help"))]

ForceOption = Annotated[bool, typer.Option("--force", help=msg("cli.force_help"))]


def afford(cost, force: bool) -> None:
    """Refuse a run the machine cannot hold (or that would take hours) before allocating anything, then cap the
    process's memory so that even a forced run ends in a sentence, never in the out-of-memory killer."""
    from shapecheck.core import cost as costs

    costs.require(cost, force)
    costs.guard()


def out_of_memory() -> int:
    """A MemoryError (after guard(), or in a forced run): one sentence and exit 2."""
    from shapecheck.core.cost import guarded_available, human_bytes

    available = guarded_available()
    free = human_bytes(available) if available is not None else msg("cost.unknown")
    return report_error("cost.out_of_memory", msg("cost.out_of_memory", command=_state["command"], available=free))


def json_after_command(args: list[str], groups: tuple[str, ...] = ("demo",)) -> list[str]:
    """``--json`` given before the command's name (``shapecheck --json shapes ...``) moved after it, where the
    command reads it; before no command (``shapecheck --json --version``, or a group's name alone) it is dropped:
    begin() noted it."""
    name = next((k for k, arg in enumerate(args) if not arg.startswith("-")), len(args))
    if "--json" not in args[:name]:
        return args
    options = [arg for arg in args[:name] if arg != "--json"]
    command = args[name:]
    if not command or command in ([group] for group in groups):
        return options + command
    end = command.index("--") if "--" in command else len(command)
    return [*options, *command[:end], "--json", *command[end:]]


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
