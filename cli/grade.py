"""``shapecheck grade``: a class's submissions, diagnosed in parallel, scored, summarised."""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from shapecheck.cli.common import examples, fail, show, user_errors
from shapecheck.core.extras import install_command
from shapecheck.core.messages import msg


def grade(
    submissions: Annotated[Optional[list[Path]], typer.Argument(help=msg("grade.cli_submissions"), show_default=False)] = None,
    kind: Annotated[str, typer.Option("--kind", help=msg("cli.diagnose_kind"))] = "auto",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help=msg("grade.cli_jobs"), show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help=msg("grade.cli_out"), show_default=False)] = None,
    rubric: Annotated[Optional[Path], typer.Option("--rubric", help=msg("grade.cli_rubric"), show_default=False)] = None,
    summary: Annotated[bool, typer.Option("--summary", help=msg("grade.cli_summary"))] = False,
    output_format: Annotated[str, typer.Option("--format", help=msg("grade.cli_format"))] = "table",
    gradescope: Annotated[bool, typer.Option("--gradescope", help=msg("grade.cli_gradescope"))] = False,
    results: Annotated[Path, typer.Option("--results", help=msg("grade.cli_results"))] = Path("/autograder/results/results.json"),
    dask: Annotated[Optional[str], typer.Option("--dask", help=msg("grade.cli_dask", command=install_command("cluster")), show_default=False)] = None,
    timeout: Annotated[float, typer.Option("--timeout", help=msg("cli.diagnose_timeout"))] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help=msg("cli.diagnose_seed"))] = 0,
    strict: Annotated[bool, typer.Option("--strict", help=msg("cli.diagnose_strict"))] = False,
    memory: Annotated[int, typer.Option("--memory", help=msg("cli.diagnose_memory"))] = 2048,
    as_json: Annotated[bool, typer.Option("--json", help=msg("cli.json_help"))] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help=msg("grade.cli_html"), show_default=False)] = None,
) -> None:
    from shapecheck.grade import grade as run

    if output_format not in ("table", "json", "junit"):
        raise fail(msg("grade.cli_bad_format", value=output_format))
    if as_json:
        output_format = "json"
    progress = _Progress(enabled=output_format == "table" and sys.stderr.isatty())
    with user_errors(), progress:
        try:
            report = run(submissions, kind=kind, jobs=jobs, out=out, rubric=rubric, timeout=timeout, seed=seed,
                         memory_mb=memory, strict=strict, dask=dask, gradescope=results if gradescope else None,
                         on_progress=progress.update)
        except KeyboardInterrupt:
            progress.stop()
            typer.echo(msg("grade.interrupted", done=progress.done, out=out or "grades"), err=True)
            raise typer.Exit(130) from None
    if html is not None:
        from shapecheck.grade.store import write_atomic

        with user_errors():
            write_atomic(html, report.to_html())
    if output_format != "table":  # the table shows them itself; machine output stays clean on stdout
        for warning in report.warnings:
            typer.echo(warning, err=True)
    if output_format == "junit":
        from shapecheck.grade.junit import junit_xml

        sys.stdout.write(junit_xml(report.records))
    else:
        report.detailed = summary
        show(report, output_format == "json")
    raise typer.Exit(0 if report.passed else 1)


class _Progress:
    """A rich progress bar on stderr: done / failed / timed out. Silent when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.task = None
        self.done = 0

    def __enter__(self) -> "_Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def update(self, counts: dict) -> None:
        self.done = counts.get("done", 0)
        if not self.enabled:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from shapecheck.views.base import label_column

            self.bar = Progress(label_column(msg("grade.progress")), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[counts]}", markup=False), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("grade", total=counts["total"], counts="")
        text = msg("grade.progress_counts", done=counts.get("done", 0), total=counts["total"],
                   failed=counts.get("failed", 0), timed_out=counts.get("timed_out", 0))
        self.bar.update(self.task, completed=counts.get("done", 0), counts=text)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def register(app: typer.Typer) -> None:
    app.command("grade", help=msg("grade.cli_help"), epilog=examples(
        "shapecheck grade submissions/ --kind dnn --out results/ --jobs 2",
        "shapecheck grade submissions/ --out results/ --summary --format junit > junit.xml"))(grade)
