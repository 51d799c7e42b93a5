"""The shape commands: shapes, summary, params. No numpy unless an .npz must be read."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import DimsAlias, ForceOption, choices, examples, fail, layer_sizes, show, user_errors
from shapecheck.core.messages import msg
from shapecheck.spec.dense import ACTIVATIONS

# "-4" is a (bad) layer size, not an option: let it through so the user gets our sentence about it
ARGS = {"ignore_unknown_options": True}


def shapes(
    dims: Annotated[Optional[list[str]], typer.Argument(metavar="N0 N1 ... NL", help=msg("cli.shapes_dims"),
                                                        show_default=False)] = None,
    dims_alias: DimsAlias = None,
    m: Annotated[Optional[str], typer.Option("-m", "--examples", help=msg("cli.shapes_m"))] = None,
    hidden: Annotated[str, typer.Option(metavar=choices(ACTIVATIONS), help=msg("cli.hidden_help"))] = "relu",
    output: Annotated[str, typer.Option(metavar=choices(ACTIVATIONS), help=msg("cli.output_help"))] = "sigmoid",
    image: Annotated[Optional[str], typer.Option("--input", metavar="HxWxC", help=msg("cli.shapes_input"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
    svg: Annotated[Optional[Path], typer.Option("--svg", help=msg("cli.shapes_svg"), show_default=False)] = None,
) -> None:
    from shapecheck.spec.dense import dense_net
    from shapecheck.tracer.trace import trace

    with user_errors():
        if image is not None:  # a conv net: the image, then one quoted step per layer
            from shapecheck.spec.conv_net import conv_net

            network = conv_net(image, list(dims or []))
        elif dims and len(dims) == 1 and dims[0].lower().endswith((".toml", ".json")):  # a spec file
            from shapecheck.spec.networks import load_spec

            network = load_spec(dims[0])
        else:
            network = dense_net(layer_sizes(dims, dims_alias, "shapecheck shapes"), hidden=hidden, output=output)
        report = trace(network, m=m if m is not None else "m")
        if svg is not None:  # written before the table: a path we cannot write is the one line on stderr
            report.diagram().save(svg)
            typer.echo(msg("cli.shapes_svg_written", path=str(svg)), err=True)
    show(report, as_json)


def summary(
    file: Annotated[Path, typer.Argument(help=msg("cli.summary_file"), show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.spec.networks import load_spec
    from shapecheck.tracer.trace import trace

    with user_errors():
        report = trace(load_spec(file)).summary()
    show(report, as_json)


def params(
    file: Annotated[Path, typer.Argument(help=msg("cli.params_file"), show_default=False)],
    dims: Annotated[Optional[list[str]], typer.Argument(metavar="[N0 N1 ... NL]", help=msg("cli.params_dims"),
                                                        show_default=False)] = None,
    dims_alias: DimsAlias = None,
    spec: Annotated[Optional[Path], typer.Option("--spec", help=msg("cli.params_spec"))] = None,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.validate.params import check_params
    from shapecheck.spec.networks import dense_net, load_spec

    with user_errors():
        sizes = layer_sizes(dims, dims_alias, "shapecheck params")
        if sizes and spec:
            raise fail(msg("cli.dims_and_spec"))
        network = dense_net(sizes) if sizes else load_spec(spec) if spec else None
        from shapecheck.validate.io import load_arrays  # numpy: only this command reads arrays

        report = check_params(network, load_arrays(file, force=force))
    show(report, as_json)
    raise typer.Exit(1 if report else 0)


def register(app: typer.Typer) -> None:
    app.command("shapes", help=msg("cli.shapes_help"), context_settings=ARGS, epilog=examples(
        "shapecheck shapes 12288 20 7 5 1 -m 209", "shapecheck shapes 5 4 3 1 --hidden tanh --output softmax",
        "shapecheck shapes 12288,20,7,5,1 --json",
        'shapecheck shapes --input 64x64x3 "conv f=7 s=1 p=3 c=32 relu" "pool f=2 s=2" "flatten" "dense n=1 sigmoid"',
        "shapecheck shapes lenet.toml -m 32"))(shapes)
    app.command("summary", help=msg("cli.summary_help"), epilog=examples(
        "shapecheck examples write            # writes lstm_lesson.toml, deep_net.toml, ... here",
        "shapecheck summary lstm_lesson.toml"))(summary)
    app.command("params", help=msg("cli.params_help"), context_settings=ARGS, epilog=examples(
        "shapecheck examples write            # writes weights.npz (W2 transposed), ... here",
        "shapecheck params weights.npz 12288 20 7 5 1", "shapecheck params weights.npz --spec deep_net.toml",
        "shapecheck params weights.npz        # the sizes read off the arrays"))(params)
