"""Grading throughput: `shapecheck grade --jobs 2` on copies of the gallery, against the baseline of
running `shapecheck diagnose` once per file in a shell loop, measured in the same run.

    python benchmarks/bench_grade.py [--copies 200] [--loop-copies 1] [--jobs 2] [--no-fork]

Each copy of the gallery's files (correct and buggy; some loop until their time limit)
gets its own bytes (a comment with the copy's number), so no result can be reused from another copy.
The loop is timed on --loop-copies copies (one copy is one diagnose per gallery file); both rows report
submissions per minute, and the ratio is the grader's rate over the loop's. --no-fork adds a row for
the grader starting a sandbox template per submission (the diagnose way), to show what the warm template buys.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GALLERY = Path(__file__).resolve().parent.parent / "tests" / "gallery"


def make_class(root: Path, copies: int) -> list[Path]:
    files = sorted(GALLERY.glob("*/*.py"))
    made = []
    for copy in range(copies):
        for f in files:
            target = root / f"c{copy:03d}__{f.parent.name}__{f.name}"
            target.write_text(f.read_text() + f"\n# copy {copy}\n")
            made.append(target)
    return made


def shapecheck_exe() -> str:
    return shutil.which("shapecheck") or str(Path(sys.executable).with_name("shapecheck"))


def grade_command(folder: Path, out: Path, jobs: int, fork: bool) -> list[str]:
    exe = shapecheck_exe()
    registered = subprocess.run([exe, "grade", "--help"], capture_output=True).returncode == 0
    if registered and fork:
        return [exe, "grade", str(folder), "--jobs", str(jobs), "--out", str(out), "--json"]
    code = (f"from shapecheck.grade import grade; "
            f"grade([{str(folder)!r}], jobs={jobs}, out={str(out)!r}, fork={fork})")
    return [sys.executable, "-c", code]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--loop-copies", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-fork", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        root = Path(tmp)
        loop_dir, class_dir = root / "loop", root / "class"
        loop_dir.mkdir()
        class_dir.mkdir()
        loop_files = make_class(loop_dir, args.loop_copies)
        class_files = make_class(class_dir, args.copies)
        rows = []
        script = 'for f in "$@"; do "$0" diagnose "$f" --json > /dev/null; done'
        seconds = timed(["bash", "-c", script, shapecheck_exe(), *map(str, loop_files)])
        rows.append(("shell loop: shapecheck diagnose FILE", len(loop_files), seconds))
        if args.no_fork:
            seconds = timed(grade_command(loop_dir, root / "out-nofork", args.jobs, fork=False))
            rows.append((f"grade --jobs {args.jobs}, no fork (worker started anew)", len(loop_files), seconds))
        seconds = timed(grade_command(class_dir, root / "out", args.jobs, fork=True))
        done = len(list((root / "out" / "submissions").glob("*.json")))
        if done != len(class_files):
            sys.exit(f"bench_grade: only {done} of {len(class_files)} results were written")
        rows.append((f"shapecheck grade --jobs {args.jobs}", len(class_files), seconds))
    base = rows[0][1] / rows[0][2] * 60
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'what':<52} {'files':>6} {'seconds':>9} {'per minute':>11} {'x loop':>7}")
    for label, files, seconds in rows:
        rate = files / seconds * 60
        print(f"{label:<52} {files:>6} {seconds:>9.1f} {rate:>11.1f} {rate / base:>7.2f}")


if __name__ == "__main__":
    main()
