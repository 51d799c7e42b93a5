"""``shapecheck gradcheck``: the engine's own network, gradient-checked on random data.

    shapecheck gradcheck 5 4 3 1 -m 10                      # every coordinate, fast and exact
    shapecheck gradcheck 5 4 3 1 --bug missing_1_over_m     # what a failing report looks like, and why
    shapecheck gradcheck --list-bugs

Exit codes: 0 the check passed, 1 it failed, 2 bad input. numpy loads inside the command only.
"""

import sys
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import (DEFAULT_INIT, DimsAlias, ForceOption, InitOption, SeedOption, afford, choices,
                                   console, examples, fail, layer_sizes, show, user_errors)
from shapecheck.core.messages import msg
from shapecheck.spec.dense import ACTIVATIONS

ARGS = {"ignore_unknown_options": True}  # "-4" is a (bad) layer size: let the spec say why
MODES = ("full", "sample", "directional")
PROGRESS_FROM = 50_000  # coordinates: below this a check is over before a bar could help


def gradcheck(
    dims: Annotated[Optional[list[str]], typer.Argument(metavar="N0 N1 ... NL", help=msg("gradcheck.cli_dims"),
                                                        show_default=False)] = None,
    dims_alias: DimsAlias = None,
    m: Annotated[int, typer.Option("-m", "--examples", help=msg("gradcheck.cli_m"))] = 10,
    mode: Annotated[str, typer.Option("--mode", metavar=choices(MODES), help=msg("gradcheck.cli_mode"))] = "full",
    k: Annotated[int, typer.Option("-k", help=msg("gradcheck.cli_k"))] = 10,
    seed: SeedOption = 0,
    bug: Annotated[Optional[str], typer.Option("--bug", help=msg("gradcheck.cli_bug"))] = None,
    list_bugs: Annotated[bool, typer.Option("--list-bugs", help=msg("gradcheck.cli_list_bugs"))] = False,
    hidden: Annotated[str, typer.Option(metavar=choices(ACTIVATIONS), help=msg("cli.hidden_help"))] = "relu",
    output: Annotated[str, typer.Option(metavar=choices(ACTIVATIONS), help=msg("cli.output_help"))] = "sigmoid",
    init: InitOption = DEFAULT_INIT,
    eps: Annotated[float, typer.Option("--eps", help=msg("gradcheck.cli_eps"))] = 1e-7,
    batch: Annotated[Optional[int], typer.Option("--batch", help=msg("gradcheck.cli_batch"))] = None,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.gradients.bugs import BUGS

    if list_bugs:
        _list_bugs(BUGS, as_json)
        raise typer.Exit(0)
    with user_errors():
        sizes = layer_sizes(dims, dims_alias, "shapecheck gradcheck")
        if not sizes:
            raise fail(msg("gradcheck.cli_no_dims"))
        report = _check(sizes, m, mode, k, seed, bug, hidden, output, init, eps, batch, as_json, force)
    show(report, as_json)
    raise typer.Exit(0 if report.passed else 1)


def _check(sizes, m, mode, k, seed, bug, hidden, output, init, eps, batch, as_json, force=False):
    from shapecheck.gradients.bugs import get_bug
    from shapecheck.gradients.fastcheck import gradcheck_network
    from shapecheck.engine.dense import init_params
    from shapecheck.core.cost import dense_gradcheck, describe
    from shapecheck.core.errors import ShapecheckError
    from shapecheck.spec.dense import dense_net

    spec = dense_net(sizes, hidden=hidden, output=output)
    if isinstance(m, bool) or m < 1:
        raise ShapecheckError("engine.bad_count", name="m", value=m, least=1)
    if bug is not None:
        get_bug(bug)  # an unknown name is bad input, before any work
    what = msg("cost.gradcheck_what", dims=describe(spec.layer_dims), m=m)
    afford(dense_gradcheck(spec.layer_dims, m, mode, k, what=what), force)  # before numpy allocates anything
    import numpy as np

    params = init_params(spec, seed=seed, method=init)
    X, Y = _random_data(np.random.default_rng(seed), spec, m)
    total = sum(v.size for v in params.values())
    progress = None
    if not as_json and sys.stderr.isatty() and mode == "full" and total >= PROGRESS_FROM:
        from shapecheck.views.gradcheck_view import progress_bar

        progress = progress_bar()
    return gradcheck_network(spec, params, X, Y, bug=bug, mode=mode, k=k, seed=seed, eps=eps, batch=batch,
                             progress=progress)


def _random_data(rng, spec, m):
    """X (n0, m) standard normal; Y (n[L], m) labels that fit the output: 0/1, one-hot, or real numbers."""
    import numpy as np

    n_L, output = spec.layer_dims[-1], spec.activations[-1]
    X = rng.standard_normal((spec.layer_dims[0], m))
    if output == "softmax":
        Y = np.eye(n_L)[:, rng.integers(0, n_L, m)]
    elif output == "sigmoid":
        Y = rng.integers(0, 2, (n_L, m)).astype(np.float64)
    else:
        Y = rng.standard_normal((n_L, m))
    return X, Y


def _list_bugs(bugs, as_json: bool) -> None:
    if as_json:
        import json

        rows = [{"name": b.name, "description": b.describe(), "touches": b.where()} for b in bugs]
        sys.stdout.write(json.dumps({"bugs": rows}, indent=2, ensure_ascii=False) + "\n")
        return
    from shapecheck.views.gradcheck_view import bug_list_view

    console().print(bug_list_view(bugs))


def register(app: typer.Typer) -> None:
    app.command("gradcheck", help=msg("gradcheck.cli_help"), context_settings=ARGS, epilog=examples(
        "shapecheck gradcheck 5 4 3 1 -m 10                    # every coordinate, fast and exact",
        "shapecheck gradcheck 5 4 3 1 --bug missing_1_over_m   # what a classic mistake looks like",
        "shapecheck gradcheck --list-bugs",
        "shapecheck gradcheck 784 128 10 --output softmax --mode sample -k 20"))(gradcheck)
