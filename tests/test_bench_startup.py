"""The start-up benchmark's baseline is fair: it prints the table `shapecheck shapes` prints (benchmarks/bench_startup.py).

The baseline is a minimal typer + rich command that knows the rules by heart. If our table gains a row or a rule
changes its words, the baseline must follow, or the ratio compares two different outputs.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_startup.py"
DIMS = ["12288", "20", "7", "5", "1"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_startup", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(baseline's output, shapecheck's output, shapecheck's rows as JSON), 80 columns, no colour."""
    program = tmp_path_factory.mktemp("bench") / "same_table.py"
    program.write_text(_bench().SAME_TABLE)
    env = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=True).stdout

    def shapecheck(*args: str) -> str:
        return run("-c", f"import sys; sys.argv[1:] = {list(args)!r}; from shapecheck.cli.main import main; main()")

    return run(str(program), *DIMS), shapecheck("shapes", *DIMS), json.loads(shapecheck("shapes", *DIMS, "--json"))["rows"]


def _tensors(text: str) -> list[tuple[str, str, str]]:
    """(layer, tensor, shape) of each row, in order."""
    return re.findall(r"(\d+)\s+[│ ]\s*(d?[A-Za-z]\w*)\s+[│ ]\s*(\([^)]*\)\s+\([^)]*\))", text)


def test_the_baseline_prints_every_row_of_ours_in_order_with_its_shapes(printed):
    baseline, ours, rows = printed
    assert len(_tensors(ours)) == len(rows) == 35
    assert _tensors(baseline) == _tensors(ours)


def test_the_baseline_states_the_same_rules_and_the_same_total(printed):
    baseline, ours, rows = printed
    assert set(_bench_rules()) == {row["rule"] for row in rows}
    total = re.search(r"Total params: [\d,]+", ours).group()
    assert total in baseline


def _bench_rules() -> list[str]:
    namespace: dict = {}
    source = _bench().SAME_TABLE
    exec(source[source.index("RULES = {"):source.index("app = typer.Typer()")], namespace)
    return list(namespace["RULES"].values())


def test_meta_the_row_pattern_sees_a_missing_row(printed):
    # If this fails, the comparison above could not see a row the baseline leaves out.
    baseline, ours, _ = printed
    assert _tensors(baseline.replace("dW3", "dV3")) != _tensors(ours)
