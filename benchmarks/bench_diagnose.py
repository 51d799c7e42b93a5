"""How long `shapecheck diagnose` takes on a correct file of each assignment (issue 14's bar: under 1 s).

Each row: the median wall time of the whole command (start-up, sandbox, every function), and its ratio to
`python -c "import numpy"` measured interleaved in the same run (the share of the machine others leave us
moves both alike). The load average is printed with every row: others share the CPU.

    python benchmarks/bench_diagnose.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "tests" / "gallery" / "correct"
FILES = ("logreg_course", "init_course", "reg_course", "gradcheck_course", "optim_course", "dnn_app_course",
         "dnn_course", "rnn_course", "planar_course", "dinos_course", "conv_course")
SHAPECHECK = [sys.executable, "-m", "shapecheck.cli"] if not (Path(sys.executable).parent / "shapecheck").exists() \
    else [str(Path(sys.executable).parent / "shapecheck")]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:  # a correct file that does not pass: its time would measure something else
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    baseline = [sys.executable, "-c", "import numpy"]
    print(f"{'correct file':22s} {'diagnose s':>10s} {'numpy s':>8s} {'ratio':>6s}  load")
    for name in FILES:
        path = CORRECT / f"{name}.py"
        if not path.exists():
            raise SystemExit(f"{path} is missing: every assignment has a row")
        ours, base = [], []
        for _ in range(repeats):  # interleaved: both see the same machine
            base.append(wall(baseline))
            ours.append(wall([*SHAPECHECK, "diagnose", str(path)]))
        a, b = statistics.median(ours), statistics.median(base)
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{name:22s} {a:10.3f} {b:8.3f} {a / b:6.1f}x  {load}")


if __name__ == "__main__":
    main()
