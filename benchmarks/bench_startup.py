"""How fast `shapecheck shapes` starts, against a minimal typer command that prints the same rich table, measured
in the same run (the goal: a ratio at or below 1.00).

    python benchmarks/bench_startup.py [runs] [--instructions]

Every command runs `runs` times, interleaved (one of each in turn, so a neighbour's load hits them all
alike); the medians are compared. `--instructions` adds what callgrind counts for one run of each (valgrind
must be installed): steady on a shared machine, where the times are not. Two baselines: the same table as
`shapecheck shapes` (the fair one), and the 4-row table of the earlier stops (much less output).

Where the time goes: `python -X importtime -c "from shapecheck.cli.app import main"`, a profile of the render
(`python -m cProfile -s tottime`), and `valgrind --tool=callgrind` for instruction counts.
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

# The baseline: the least a typer + rich command does to print the table `shapecheck shapes` prints, the same
# rows with the same words: every tensor of the L-layer network (35 rows for 12288 20 7 5 1), its size and symbols,
# the course's rule where it first applies, forward and backward in two sections, the total. It is written the
# way a minimal command would be (strings in a default rich Table, escaped so that "W[l]" is not taken for
# markup; rich wraps the long rules) and knows the rules by heart, so it pays nothing of shapecheck's.
SAME_TABLE = '''
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

RULES = {
    "X": "X = A[0] is (n[0], m): one column per example",
    "W": "W[l] is (n[l], n[l-1]): rows = this layer's units, columns = previous layer's units",
    "b": "b[l] is (n[l], 1): a column, broadcast over the m examples; never rank-1 (n,)",
    "Z": "Z[l] = W[l]·A[l-1] + b[l] is (n[l], m)",
    "A": "A[l] = g[l](Z[l]) is (n[l], m), the same shape as Z[l]",
    "Y": "Y is (n[L], m): one label column per example, like A[L]",
    "dAL": "dA[L] = −(Y/A[L] − (1−Y)/(1−A[L])) is (n[L], m), like A[L]",
    "dZ": "dZ[l] = dA[l] ∗ g'[l](Z[l]) is (n[l], m), like Z[l]",
    "dW": "dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ is (n[l], n[l-1]), like W[l]",
    "db": "db[l] = (1/m)·Σ dZ[l] over examples (axis=1, keepdims=True) is (n[l], 1), like b[l]",
    "dA": "dA[l-1] = W[l]ᵀ·dZ[l] is (n[l-1], m), like A[l-1]",
}

app = typer.Typer()


@app.command()
def shapes(dims: list[int]) -> None:
    L = len(dims) - 1
    n = lambda l: (dims[l], f"n{l}")  # a layer's size, and its symbol
    forward = [(0, "X", "X", n(0), ("m", "m"))]
    for l in range(1, L + 1):
        forward += [(l, "W", f"W{l}", n(l), n(l - 1)), (l, "b", f"b{l}", n(l), (1, 1)),
                    (l, "Z", f"Z{l}", n(l), ("m", "m")), (l, "A", f"A{l}", n(l), ("m", "m"))]
    forward.append((L, "Y", "Y", n(L), ("m", "m")))
    backward = [(L, "dAL", f"dA{L}", n(L), ("m", "m"))]
    for l in range(L, 0, -1):
        backward += [(l, "dZ", f"dZ{l}", n(l), ("m", "m")), (l, "dW", f"dW{l}", n(l), n(l - 1)),
                     (l, "db", f"db{l}", n(l), (1, 1)), (l, "dA", f"dA{l - 1}", n(l - 1), ("m", "m"))]
    table = Table(title=f"Shapes of {dims}", caption="Ng convention (examples are columns)")
    for name in ("Layer", "Tensor", "Shape", "Rule"):
        table.add_column(name)
    seen = set()
    for rows in (forward, backward):
        for l, kind, name, (rows_, rows_symbol), (cols, cols_symbol) in rows:
            shape = f"({rows_}, {cols})  ({rows_symbol}, {cols_symbol})"
            table.add_row(str(l), name, shape, "" if kind in seen else escape(RULES[kind]))
            seen.add(kind)
        table.add_section()
    console = Console()
    console.print(table)
    console.print(f"Total params: {sum(dims[l] * (dims[l - 1] + 1) for l in range(1, L + 1)):,}")


app()
'''

# The baseline of the earlier stops, kept for comparison: 4 rows (the weights only), and its rule column reads
# "W is (n, n)" (rich takes "[l]" and "[l-1]" for markup tags). It prints much less than `shapecheck shapes`.
FOUR_ROWS = '''
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


def instructions(command: list[str], env: dict[str, str]) -> int | None:
    """Instructions one run executes (valgrind's callgrind): unlike the time, the same on a busy machine."""
    with tempfile.NamedTemporaryFile() as out:
        result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}", *command],
                                capture_output=True, text=True, env=env)
    found = [line for line in result.stderr.splitlines() if "Collected :" in line]
    return int(found[-1].split(":")[-1]) if found else None


SAME, FOUR = "minimal typer + rich, same table (baseline)", "minimal typer + rich, 4 rows (earlier)"


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    runs = int(args[0]) if args else 21
    count = "--instructions" in sys.argv and shutil.which("valgrind") is not None
    exe = shutil.which("shapecheck") or str(Path(sys.executable).with_name("shapecheck"))
    dims = ["12288", "20", "7", "5", "1"]
    with tempfile.TemporaryDirectory() as folder:
        # Every command reads compiled bytecode, as after `pip install` (which compiles it). With
        # PYTHONDONTWRITEBYTECODE=1 (set on some machines, and in CI) an editable checkout is compiled from source
        # on every run, about 20 ms that the baseline's site-packages never pay: the warm-up writes all of it,
        # ours and typer's alike, under one fresh cache folder.
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        same, four = Path(folder) / "same_table.py", Path(folder) / "four_rows.py"
        same.write_text(SAME_TABLE)
        four.write_text(FOUR_ROWS)
        rows = {
            'python -c "pass"': [sys.executable, "-c", "pass"],
            SAME: [sys.executable, str(same), *dims],
            FOUR: [sys.executable, str(four), *dims],
            "shapecheck shapes 12288 20 7 5 1": [exe, "shapes", *dims],
            "shapecheck shapes ... --json": [exe, "shapes", *dims, "--json"],
            "shapecheck (overview)": [exe],
            "shapecheck summary lesson": [exe, "summary", str(Path(__file__).parents[1] / "examples" / "lstm_lesson.toml")],
            "shapecheck summary lesson --json": [exe, "summary", str(Path(__file__).parents[1] / "examples" /
                                                                 "lstm_lesson.toml"), "--json"],
            "shapecheck gradcheck --help": [exe, "gradcheck", "--help"],
        }
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in rows}
        for label, command in rows.items():  # warm the file cache once, and write the bytecode
            wall(command, env)
        load_before = os.getloadavg()
        for _ in range(runs):
            for label, command in rows.items():
                times[label].append(wall(command, env))
        load_after = os.getloadavg()
        counted = {label: instructions(command, env) for label, command in rows.items()} if count else {}
    medians = {label: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
               for label, values in times.items()}
    print(f"medians of {runs} interleaved runs; load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.2f}' for x in load_after)}")
    header = f"{'command':<46} {'wall s':>7} {'x base':>7} {'x 4 rows':>8} {'CPU s':>7} {'x base':>7} {'x 4 rows':>8}"
    print(header + (f" {'M instr':>8} {'x base':>7} {'x 4 rows':>8}" if counted else ""))
    for label, (w, c) in medians.items():
        line = (f"{label:<46} {w:7.3f} {w / medians[SAME][0]:7.2f} {w / medians[FOUR][0]:8.2f} {c:7.3f} "
                f"{c / medians[SAME][1]:7.2f} {c / medians[FOUR][1]:8.2f}")
        if counted and counted[label] and counted[SAME] and counted[FOUR]:
            n = counted[label]
            line += f" {n / 1e6:8.1f} {n / counted[SAME]:7.2f} {n / counted[FOUR]:8.2f}"
        print(line)


if __name__ == "__main__":
    main()
