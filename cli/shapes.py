"""The shape commands: shapes, summary, params. No numpy unless an .npz must be read."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import fail, parse_dims, show, user_errors
from shapecheck.messages import msg

# "-4" is a (bad) layer size, not an option: let it through so the user gets our sentence about it
ARGS = {"ignore_unknown_options": True}


def shapes(
    dims: Annotated[list[str], typer.Argument(help=msg("cli.shapes_dims"), show_default=False)],
    m: Annotated[Optional[str], typer.Option("-m", "--examples", help=msg("cli.shapes_m"))] = None,
    hidden: Annotated[str, typer.Option(help=msg("cli.hidden_help"))] = "relu",
    output: Annotated[str, typer.Option(help=msg("cli.output_help"))] = "sigmoid",
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
    svg: Annotated[Optional[Path], typer.Option("--svg", help=msg("cli.shapes_svg"), show_default=False)] = None,
) -> None:
    from shapecheck.spec import dense_net
    from shapecheck.tracer import trace

    with user_errors():
        sizes = parse_dims(dims)
        for value in sizes:
            if value.startswith("-") and not value.lstrip("-").isdigit():
                raise fail(msg("cli.unknown_option", option=value, command="shapecheck shapes"))
        report = trace(dense_net(sizes, hidden=hidden, output=output), m=m if m is not None else "m")
        if svg is not None:  # written before the table: a path we cannot write is the one line on stderr
            report.diagram().save(svg)
            typer.echo(msg("cli.shapes_svg_written", path=str(svg)), err=True)
    show(report, as_json)


def summary(
    file: Annotated[Path, typer.Argument(help=msg("cli.summary_file"), show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.spec import load_spec
    from shapecheck.tracer import trace

    with user_errors():
        report = trace(load_spec(file)).summary()
    show(report, as_json)


def params(
    file: Annotated[Path, typer.Argument(help=msg("cli.params_file"), show_default=False)],
    more: Annotated[Optional[list[str]], typer.Argument(hidden=True, show_default=False)] = None,
    dims: Annotated[Optional[str], typer.Option("--dims", help=msg("cli.params_dims"))] = None,
    spec: Annotated[Optional[Path], typer.Option("--spec", help=msg("cli.params_spec"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.check import check_params
    from shapecheck.spec import dense_net, load_spec

    with user_errors():
        if dims and spec:
            raise fail(msg("cli.dims_and_spec"))
        if more and not dims:  # sizes with no --dims before them
            raise fail(msg("cli.stray_args", args=" ".join(more)))
        # click gives an option one value: `--dims 12288 20 7 5 1` leaves "20 7 5 1" as arguments
        sizes = parse_dims([dims, *(more or [])]) if dims else None
        network = dense_net(sizes) if sizes else load_spec(spec) if spec else None
        from shapecheck.io import load_arrays  # numpy: only this command reads arrays

        report = check_params(network, load_arrays(file))
    show(report, as_json)
    raise typer.Exit(1 if report else 0)


def register(app: typer.Typer) -> None:
    app.command("shapes", help=msg("cli.shapes_help"), context_settings=ARGS)(shapes)
    app.command("summary", help=msg("cli.summary_help"))(summary)
    app.command("params", help=msg("cli.params_help"))(params)
