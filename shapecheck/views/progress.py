"""The one progress bar: a callback ``progress(done, total)`` that draws a transient rich bar on stderr.

rich loads on the first call, so a check or a sweep run with ``progress=False`` never imports it.
"""

from __future__ import annotations

from typing import Callable


def progress_bar(label: str, *, counts: bool = False, min_total: int = 0,
                 once: bool = False) -> Callable[[int, int], None]:
    """A bar labelled ``label``; ``counts``: "37/120" rather than a percentage; totals under
    ``min_total`` draw nothing; ``once``: after the bar is full, later calls draw nothing."""
    state: dict = {}

    def update(done: int, total: int) -> None:
        if total < min_total or state.get("finished"):
            return
        if "progress" not in state:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TimeRemainingColumn

            from shapecheck.views.base import label_column

            count = MofNCompleteColumn() if counts else TaskProgressColumn()
            progress = Progress(label_column(label), BarColumn(), count, TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            progress.start()
            state["progress"], state["task"] = progress, progress.add_task("", total=total)
        state["progress"].update(state["task"], completed=done, total=total)
        if done >= total:
            state.pop("progress").stop()
            state["finished"] = once

    return update
