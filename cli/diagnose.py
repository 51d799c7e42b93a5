"""``shapecheck diagnose``: a student's file, function by function."""

from pathlib import Path
from typing import Annotated

import typer

from shapecheck.cli.common import examples, show, user_errors
from shapecheck.core.messages import msg


def diagnose(
    file: Annotated[Path, typer.Argument(help=msg("cli.diagnose_file"), show_default=False)],
    kind: Annotated[str, typer.Option("--kind", help=msg("cli.diagnose_kind"))] = "auto",
    timeout: Annotated[float, typer.Option("--timeout", help=msg("cli.diagnose_timeout"))] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help=msg("cli.diagnose_seed"))] = 0,
    strict: Annotated[bool, typer.Option("--strict", help=msg("cli.diagnose_strict"))] = False,
    memory: Annotated[int, typer.Option("--memory", help=msg("cli.diagnose_memory"))] = 2048,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
) -> None:
    from shapecheck.diagnosis.runner import diagnose as run

    with user_errors():
        report = run(file, kind, timeout=timeout, seed=seed, memory_mb=memory, strict=strict)
    show(report, as_json)
    raise typer.Exit(0 if report.passed else 1)


def register(app: typer.Typer) -> None:
    app.command("diagnose", help=msg("cli.diagnose_help"), epilog=examples(
        "shapecheck diagnose my_solution.py", "shapecheck diagnose Building_your_Deep_Neural_Network.ipynb --json",
        "shapecheck examples write && shapecheck diagnose db_missing_keepdims.py"))(diagnose)
