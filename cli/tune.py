"""``shapecheck tune``: the course's hyperparameter method, from the terminal.

    shapecheck tune 2 20 7 5 1 --data flower --alphas 0.001,0.01,0.1,1 --iterations 3000
    shapecheck tune --dims-list "2 20 1;2 20 7 1" --alphas 0.01 --log
    shapecheck tune 2 20 7 1 --activations relu,tanh --png costs.png --boundary regions.png
    shapecheck tune 3 8 1 --data mine.npz --json

Exit codes: 0 the sweep ran (whatever its verdicts), 2 bad input. numpy loads inside the command only.
"""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import (DEFAULT_INIT, DimsAlias, ForceOption, InitOption, SeedOption, afford, choices,
                                   examples, interrupted, layer_sizes, parse_dims, show, user_errors)
from shapecheck.core.extras import install_command
from shapecheck.core.messages import msg
from shapecheck.spec.dense import ACTIVATIONS

ARGS = {"ignore_unknown_options": True}  # "-4" is a (bad) layer size: let the spec say why
DATA_SETS = ("flower", "moons", "circles", "linear")  # shapecheck.engine.data.make_<name>


def tune(
    dims: Annotated[Optional[list[str]], typer.Argument(metavar="[N0 N1 ... NL]", help=msg("tune.cli_dims"),
                                                        show_default=False)] = None,
    dims_alias: DimsAlias = None,
    data: Annotated[str, typer.Option("--data", metavar=choices([*DATA_SETS, "FILE"]), help=msg("tune.cli_data"))] = "flower",
    alphas: Annotated[str, typer.Option("--alphas", help=msg("tune.cli_alphas"))] = "0.001,0.01,0.1,1",
    iterations: Annotated[int, typer.Option("--iterations", help=msg("tune.cli_iterations"))] = 3000,
    every: Annotated[int, typer.Option("--every", help=msg("tune.cli_every"))] = 100,
    dims_list: Annotated[Optional[str], typer.Option("--dims-list", help=msg("tune.cli_dims_list"))] = None,
    activations: Annotated[Optional[str], typer.Option("--activations", help=msg("tune.cli_activations"))] = None,
    log: Annotated[bool, typer.Option("--log", help=msg("tune.cli_log"))] = False,
    png: Annotated[Optional[Path], typer.Option("--png", help=msg("tune.cli_png", command=install_command("png")))] = None,
    boundary: Annotated[Optional[Path], typer.Option("--boundary", help=msg("tune.cli_boundary"))] = None,
    seed: SeedOption = 0,
    m: Annotated[int, typer.Option("-m", "--examples", help=msg("tune.cli_m"))] = 400,
    test_fraction: Annotated[float, typer.Option("--test-fraction", help=msg("tune.cli_test_fraction"))] = 0.2,
    init: InitOption = DEFAULT_INIT,
    hidden: Annotated[str, typer.Option(metavar=choices(ACTIVATIONS), help=msg("cli.hidden_help"))] = "relu",
    output: Annotated[str, typer.Option(metavar=choices(ACTIVATIONS), help=msg("cli.output_help"))] = "sigmoid",
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    with user_errors():
        sizes = layer_sizes(dims, dims_alias, "shapecheck tune")
        networks = _dims_list(dims_list)
        rates = _numbers(alphas, "--alphas", "0.001,0.01,0.1,1")
        for option, path in (("--png", png), ("--boundary", boundary)):
            _picture_path(option, path)
        if png is not None or boundary is not None:
            from shapecheck.tune.chart import require_matplotlib

            require_matplotlib()  # before the training, not after it
        if boundary is not None:
            first = networks[0] if networks else sizes
            if first and str(first[0]) != "2":
                from shapecheck.core.errors import ShapecheckError

                raise ShapecheckError("tune.boundary_needs_2d", n0=first[0])
        _afford(networks or [sizes], data, m, rates, _names(activations), iterations, hidden, output, force)
        from shapecheck.tune.sweep import sweep

        report = sweep(
            sizes or None, data, learning_rates=rates, iterations=iterations, every=every, seed=seed,
            dims_list=networks, activations=_names(activations), hidden=hidden, output=output, init=init,
            m=m, test_fraction=test_fraction, progress=not as_json and sys.stderr.isatty(),
        ).with_log_scale(log)
        saved = []
        if png is not None:
            from shapecheck.tune.chart import save_png

            save_png(report, png)
            saved.append(png)
        if boundary is not None:
            from shapecheck.tune.chart import save_boundary_png

            save_boundary_png(report, boundary)
            saved.append(boundary)
    show(report, as_json)
    for path in saved:  # on stderr: with --json, stdout holds the JSON alone
        typer.echo(msg("tune.saved", path=path), err=True)
    if saved:
        from shapecheck.tune.chart import png_in_english

        if png_in_english():
            typer.echo(msg("tune.png_in_english"), err=True)
    if report.interrupted:  # Ctrl-C: what was done is shown (and saved) above; the exit code says it was cut short
        raise typer.Exit(interrupted(msg("tune.interrupted")))


def _picture_path(option: str, path: Path | None) -> None:
    """A picture goes to a file: not to a folder, and into a folder that exists (checked before training)."""
    from shapecheck.core.errors import ShapecheckError

    if path is None:
        return
    if path.is_dir():
        raise ShapecheckError("tune.picture_is_folder", option=option, path=path)
    if not path.parent.is_dir():
        raise ShapecheckError("tune.picture_no_folder", option=option, path=path, folder=path.parent)


def _afford(networks, data: str, m: int, rates, activations, iterations: int, hidden: str, output: str,
            force: bool) -> None:
    """The sweep's memory and time, estimated from the sizes before any array exists."""
    import os

    from shapecheck.core.cost import Cost, dense_training, describe
    from shapecheck.spec.dense import dense_net

    specs = [dense_net(dims, hidden=hidden, output=output) for dims in networks if dims]
    if not specs:
        return  # sweep says what is missing
    if data not in DATA_SETS:  # a file: m from its size (8 bytes a number at least for .npz, 2 for a CSV)
        try:
            size = os.path.getsize(data)
        except OSError:
            return  # the loader says why it cannot read it
        per_number = 8 if data.endswith(".npz") else 2
        m = max(1, size // (per_number * (specs[0].layer_dims[0] + specs[0].layer_dims[-1])))
    runs = len(rates) * len(activations or [hidden])
    what = msg("cost.training_what", runs=runs * len(specs), dims="; ".join(describe(s.layer_dims) for s in specs),
               m=m, iterations=iterations)
    costs = [dense_training(s.layer_dims, m, runs, iterations) for s in specs]
    afford(Cost(what, sum(c.bytes for c in costs), sum(c.seconds for c in costs)), force)


def _numbers(text: str, option: str, example: str) -> list[float]:
    from shapecheck.core.errors import ShapecheckError

    try:
        return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise ShapecheckError("tune.bad_number_list", option=option, example=example, value=text) from None


def _dims_list(text: str | None) -> list[list[str]] | None:
    if text is None:
        return None
    networks = [parse_dims([part]) for part in text.split(";") if part.strip()]
    if not networks:
        from shapecheck.core.errors import ShapecheckError

        raise ShapecheckError("tune.bad_dims_list", value=text)
    return networks


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def register(app: typer.Typer) -> None:
    app.command("tune", help=msg("tune.cli_help"), context_settings=ARGS, epilog=examples(
        "shapecheck tune 2 20 7 5 1 --data flower --alphas 0.001,0.01,0.1,1 --iterations 3000",
        'shapecheck tune --dims-list "2 20 1;2 20 7 1" --alphas 0.01 --log',
        "shapecheck tune 2 20 7 1 --activations relu,tanh --png costs.png   # needs matplotlib",
        "shapecheck tune 3 8 1 --data mine.npz --json"))(tune)
