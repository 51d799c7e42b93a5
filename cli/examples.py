"""``shapecheck examples``: the README's example files, installed with the package, written where you want them.

    shapecheck examples                 # what there is, and the command that uses each file
    shapecheck examples write           # into the current folder (never over a file you have)
    shapecheck examples write demo/     # into demo/ (made if missing)
"""

import shlex
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from shapecheck.cli.common import examples as example_lines
from shapecheck.cli.common import with_language
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg

# name -> (message id of what it is, the command that uses it); weights.npz is made, the others are copied
FILES = {
    "deep_net.toml": ("cli.example_deep_net", "shapecheck summary deep_net.toml"),
    "lstm_lesson.toml": ("cli.example_lstm_lesson", "shapecheck summary lstm_lesson.toml"),
    "weights.npz": ("cli.example_weights", "shapecheck params weights.npz 12288 20 7 5 1"),
    "db_missing_keepdims.py": ("cli.example_db_missing_keepdims", "shapecheck diagnose db_missing_keepdims.py"),
    "dnn_correct.py": ("cli.example_dnn_correct", "shapecheck diagnose dnn_correct.py"),
    "conv_unpad_outside_loop.py": ("cli.example_conv_unpad", "shapecheck diagnose conv_unpad_outside_loop.py"),
}
WEIGHTS_DIMS = (12288, 20, 7, 5, 1)  # the course's cat classifier, deep_net.toml


def path_of(name: str):
    """The installed copy of an example file (a Traversable: read it with .read_text() or open it)."""
    return resources.files("shapecheck.examples").joinpath(name)


def weights_bytes() -> bytes:
    """The course network's parameters (seed 0, ×0.01 as initialize_parameters_deep draws them), W2 transposed."""
    import io

    import numpy as np

    from shapecheck.engine.dense import init_params

    params = init_params(list(WEIGHTS_DIMS), seed=0, method="course")
    params["W2"] = params["W2"].T  # (20, 7) where the rule says (7, 20): what `params` is there to find
    buffer = io.BytesIO()
    np.savez(buffer, **params)
    return buffer.getvalue()


def content(name: str) -> bytes:
    return weights_bytes() if name == "weights.npz" else path_of(name).read_bytes()


def list_files(as_json: bool = False) -> None:
    if as_json:
        files = [{"name": name, "what": msg(what), "command": command} for name, (what, command) in FILES.items()]
        _print_json({"files": files})
        return
    width = max(map(len, FILES))
    lines = [msg("cli.examples_list_title")]
    for name, (what, command) in FILES.items():
        lines += [f"  {name:<{width}}  {msg(what)}", f"  {'':<{width}}  $ {command}"]
    lines.append(msg("cli.examples_list_write"))
    typer.echo("\n".join(lines))


def _print_json(data: dict) -> None:
    import json
    import sys

    sys.stdout.write(json.dumps(with_language(data), indent=2, ensure_ascii=False) + "\n")


def write(
    folder: Annotated[Path, typer.Argument(help=msg("cli.examples_folder"), show_default=False)] = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    if folder.exists() and not folder.is_dir():
        raise ShapecheckError("cli.examples_not_folder", path=folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written, kept = [], []
        for name in FILES:
            target = folder / name
            if target.exists():  # the user's file, maybe edited: never overwritten
                kept.append(name)
                continue
            target.write_bytes(content(name))
            written.append(name)
    except OSError as exc:
        raise ShapecheckError("cli.examples_cannot_write", path=folder, reason=exc.strerror or exc) from None
    if as_json:
        _print_json({"folder": str(folder.resolve()), "written": written, "kept": kept})
        return
    if written:
        typer.echo(msg("cli.examples_written", folder=folder.resolve(), names=", ".join(written)))
    if kept:
        typer.echo(msg("cli.examples_kept", names=", ".join(kept)))
    typer.echo(msg("cli.examples_try", command=FILES["weights.npz"][1] if folder == Path(".") else
                   f"cd {shlex.quote(str(folder))} && {FILES['weights.npz'][1]}"))  # a folder with a space, too


def register(app: typer.Typer) -> None:
    from shapecheck.cli.app import SETTINGS, LazyGroup, ShapecheckTyper

    group = ShapecheckTyper(cls=LazyGroup, context_settings=SETTINGS, help=msg("cli.examples_help"), invoke_without_command=True, rich_markup_mode=None,
                            epilog=example_lines("shapecheck examples", "shapecheck examples write",
                                                 "shapecheck examples write demo/ && cd demo && shapecheck summary deep_net.toml"))

    @group.callback()
    def _list(ctx: typer.Context,
              as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False) -> None:
        if ctx.invoked_subcommand is None:
            list_files(as_json)

    group.command("write", help=msg("cli.examples_write_help"), epilog=example_lines(
        "shapecheck examples write", "shapecheck examples write demo/"))(write)
    app.add_typer(group, name="examples")
