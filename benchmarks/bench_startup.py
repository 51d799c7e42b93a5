"""How fast the shape commands start: `shapecheck shapes 12288 20 7 5 1` against the floor that any
typer + rich CLI pays, `python -c "import typer, rich"`, measured in the same run.

    python benchmarks/bench_startup.py [runs]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    exe = shutil.which("shapecheck") or str(Path(sys.executable).with_name("shapecheck"))
    rows = [
        ('python -c "pass"', [sys.executable, "-c", "pass"]),
        ('python -c "import typer, rich"', [sys.executable, "-c", "import typer, rich"]),
        ('python -c "import numpy"', [sys.executable, "-c", "import numpy"]),
        ("shapecheck shapes 12288 20 7 5 1", [exe, "shapes", "12288", "20", "7", "5", "1"]),
        ("shapecheck shapes 12288 20 7 5 1 --json", [exe, "shapes", "12288", "20", "7", "5", "1", "--json"]),
    ]
    baseline = None
    print(f"median wall time of {runs} runs")
    print(f"{'command':<44} {'seconds':>8} {'x typer+rich':>13}")
    for label, command in rows:
        seconds = median_wall(command, runs)
        if "typer" in label:
            baseline = seconds
        ratio = f"{seconds / baseline:.2f}" if baseline else "-"
        print(f"{label:<44} {seconds:8.3f} {ratio:>13}")


if __name__ == "__main__":
    main()
