"""Every ``>>>`` example in the package runs, as part of the suite: a docstring cannot drift from the code.

An example that needs a file or a cluster says ``# doctest: +SKIP``; one that cannot run at all is
not an example. The meta-test shows that a wrong example fails.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[0] == "cli":
        parts.insert(0, "shapecheck")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


WITH_EXAMPLES = sorted(
    module_name(p) for p in [*ROOT.joinpath("shapecheck").rglob("*.py"), *ROOT.joinpath("cli").glob("*.py")]
    if ">>> " in p.read_text(encoding="utf-8")
)


def test_the_scan_finds_the_modules_with_examples():
    assert len(WITH_EXAMPLES) > 30 and "shapecheck.core.tensors" in WITH_EXAMPLES


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_the_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=False)
    skipped = "doctest: +SKIP" in Path(module.__file__).read_text(encoding="utf-8")
    assert result.attempted > 0 or skipped, f"{name} has '>>> ' outside a docstring that doctest reads"
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples fail (python -m doctest -v)"


def test_meta_a_wrong_example_fails(tmp_path, monkeypatch):
    (tmp_path / "wrong_example.py").write_text('def f():\n    """\n    >>> 1 + 1\n    3\n    """\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    result = doctest.testmod(importlib.import_module("wrong_example"), optionflags=FLAGS, report=False)
    assert (result.attempted, result.failed) == (1, 1)
