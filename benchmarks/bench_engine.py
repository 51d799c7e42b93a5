"""The engine's benchmark, in one run: the course's dense net, an LSTM, and the Keras lesson's 300 epochs,
each against a straightforward baseline measured here and now (and PyTorch / Keras when installed).

    python benchmarks/bench_engine.py
    python benchmarks/bench_engine.py --before ../before   # and an older checkout's LSTM, RNN and lesson fit
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_dense  # noqa: E402
import bench_lesson  # noqa: E402
import bench_lstm  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None,
                        help="an older checkout whose LSTM, RNN and lesson fit to time too, in the same run")
    args = parser.parse_args()
    import bench_recurrent

    before = bench_recurrent.load_before(args.before) if args.before else None
    rows = bench_dense.rows() + bench_lstm.rows(before) + bench_lesson.rows(before=args.before)
    print(f"{'case':<62} {'ours ms':>9} {'base ms':>9} {'base/ours':>9} {'ref ms':>9} {'ref/ours':>9} "
          f"{'before ms':>9} {'ours/before':>11}  load")
    for row in rows:
        ours, base = row["ours_s"] * 1e3, row["baseline_s"] * 1e3
        ref = row.get("keras_s") or row.get("torch_s")
        ref_ms = f"{ref * 1e3:9.2f}" if ref else f"{'-':>9}"
        ref_ratio = f"{ref * 1e3 / ours:9.2f}" if ref else f"{'-':>9}"
        old = row.get("before_s")
        old_ms = f"{old * 1e3:9.2f}" if old else f"{'-':>9}"
        old_ratio = f"{ours / (old * 1e3):10.2f}×" if old else f"{'-':>11}"
        print(f"{row['case'][:62]:<62} {ours:9.2f} {base:9.2f} {base / ours:9.1f} {ref_ms} {ref_ratio} {old_ms} {old_ratio}  "
              f"{os.getloadavg()[0]:.1f}/{os.cpu_count()}")
    print("ref = PyTorch CPU float64 (dense, LSTM) or Keras's own fit (lesson), when installed; "
          "before = the same course functions / fit from --before")


if __name__ == "__main__":
    main()
