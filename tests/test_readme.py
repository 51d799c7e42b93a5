"""The README's examples run as written."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_the_instructor_strategy_example_runs_and_checks_something():
    block = next(b for b in python_blocks() if "@given" in b and "check_params" in b)
    namespace = {}
    exec(compile(block, "README.md", "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_")]
    assert tests
    for test in tests:
        test()


def test_the_set_up_commands_are_there():
    assert "pip install ." in README and '.venv/bin/pip install ".[test]" && .venv/bin/pytest' in README
    marker = README.index("<!-- test-command -->")
    assert README[marker:].splitlines()[2].startswith("python -m venv .venv")
