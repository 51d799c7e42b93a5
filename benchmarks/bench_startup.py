"""How fast `shapecheck shapes` starts, against a minimal typer command that prints a rich table, measured
in the same run (the goal: a ratio at or below 1.00).

    python benchmarks/bench_startup.py [runs]

Every command runs `runs` times, interleaved (one of each in turn, so a neighbour's load hits them all
alike); the medians are compared. Where the time goes: `python -X importtime -c "from shapecheck.cli.app
import main"` and `SHAPECHECK_PROFILE=1`-free profiling with `python -m cProfile -s cumtime`.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The baseline: the least a typer + rich command can do that prints a table like ours.
MINIMAL = '''
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def shapes(dims: list[int]) -> None:
    table = Table(title="Shapes")
    for name in ("Layer", "Tensor", "Shape", "Rule"):
        table.add_column(name)
    for l, n in enumerate(dims[1:], start=1):
        table.add_row(str(l), f"W{l}", f"({n}, {dims[l - 1]})", "W[l] is (n[l], n[l-1])")
    Console().print(table)


app()
'''


def wall(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run. On a shared machine the CPU time is the steadier measure:
    waiting for a core counts in the wall time only."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    exe = shutil.which("shapecheck") or str(Path(sys.executable).with_name("shapecheck"))
    dims = ["12288", "20", "7", "5", "1"]
    with tempfile.TemporaryDirectory() as folder:
        # Every command reads compiled bytecode, as after `pip install` (which compiles it). With
        # PYTHONDONTWRITEBYTECODE=1 (set on some machines, and in CI) an editable checkout is compiled from source
        # on every run, about 20 ms that the baseline's site-packages never pay: the warm-up writes all of it,
        # ours and typer's alike, under one fresh cache folder.
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL)
        rows = {
            'python -c "pass"': [sys.executable, "-c", "pass"],
            "minimal typer + rich table (baseline)": [sys.executable, str(minimal), *dims],
            "shapecheck shapes 12288 20 7 5 1": [exe, "shapes", *dims],
            "shapecheck shapes ... --json": [exe, "shapes", *dims, "--json"],
            "shapecheck (overview)": [exe],
            "shapecheck summary lesson (--json)": [exe, "summary", str(Path(__file__).parents[1] / "examples" /
                                                                    "lstm_lesson.toml"), "--json"],
        }
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in rows}
        for label, command in rows.items():  # warm the file cache once, and write the bytecode
            wall(command, env)
        for _ in range(runs):
            for label, command in rows.items():
                times[label].append(wall(command, env))
    base = times["minimal typer + rich table (baseline)"]
    base_wall, base_cpu = statistics.median(w for w, _ in base), statistics.median(c for _, c in base)
    print(f"medians of {runs} interleaved runs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'command':<40} {'wall s':>7} {'x base':>7} {'CPU s':>7} {'x base':>7}")
    for label, values in times.items():
        w, c = statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)
        print(f"{label:<40} {w:7.3f} {w / base_wall:7.2f} {c:7.3f} {c / base_cpu:7.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
