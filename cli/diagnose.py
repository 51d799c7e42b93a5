"""``shapecheck diagnose``: a student's file, function by function."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import examples, show, user_errors
from shapecheck.core.messages import msg


class AssignmentList:
    """Every assignment diagnose knows: its --kind, its notebook and its functions (``diagnose --list``)."""

    def __init__(self) -> None:
        from shapecheck.diagnosis.contract import KINDS

        self.rows = [(kind, msg(f"diagnose.kind_{kind}"), [c.name for c in contracts]) for kind, contracts in KINDS.items()]

    def to_json(self) -> dict:
        return {"assignments": [{"kind": kind, "name": name, "functions": functions} for kind, name, functions in self.rows]}

    def __rich__(self):
        from rich.table import Table
        from rich.text import Text

        table = Table(title=msg("cli.diagnose_list_title"))
        for header in (msg("cli.diagnose_list_kind"), msg("cli.diagnose_list_name"), msg("cli.diagnose_list_functions")):
            table.add_column(header)
        for kind, name, functions in self.rows:
            table.add_row(Text(kind), Text(name), Text(", ".join(functions)))
        return table


def diagnose(
    file: Annotated[Optional[Path], typer.Argument(help=msg("cli.diagnose_file"), show_default=False)] = None,
    kind: Annotated[str, typer.Option("--kind", help=msg("cli.diagnose_kind"))] = "auto",
    timeout: Annotated[float, typer.Option("--timeout", help=msg("cli.diagnose_timeout"))] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help=msg("cli.diagnose_seed"))] = 0,
    strict: Annotated[bool, typer.Option("--strict", help=msg("cli.diagnose_strict"))] = False,
    memory: Annotated[int, typer.Option("--memory", help=msg("cli.diagnose_memory"))] = 2048,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
    list_kinds: Annotated[bool, typer.Option("--list", help=msg("cli.diagnose_list"))] = False,
) -> None:
    if list_kinds:
        show(AssignmentList(), as_json)
        raise typer.Exit(0)
    from shapecheck.core.errors import ShapecheckError
    from shapecheck.diagnosis.sandbox import Template

    with user_errors():
        if file is None:
            raise ShapecheckError("cli.diagnose_needs_file")
    with Template() as template:  # python and numpy start in the sandbox while the checker loads here
        from shapecheck.diagnosis.runner import diagnose as run

        with user_errors():
            report = run(file, kind, timeout=timeout, seed=seed, memory_mb=memory, strict=strict, template=template)
    show(report, as_json)
    raise typer.Exit(0 if report.passed else 1)


def register(app: typer.Typer) -> None:
    app.command("diagnose", help=msg("cli.diagnose_help"), epilog=examples(
        "shapecheck diagnose my_solution.py", "shapecheck diagnose Building_your_Deep_Neural_Network.ipynb --json",
        "shapecheck diagnose --list",
        "shapecheck examples write && shapecheck diagnose db_missing_keepdims.py"))(diagnose)
