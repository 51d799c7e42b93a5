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
    assert "pip install ." in README
    marker = README.index("<!-- test-command -->")
    command = README[marker:].splitlines()[2]
    assert command.startswith("python3 -m venv .venv")  # stock Debian and Ubuntu have no `python`
    # editable, so the suite tests the checkout in front of you, not a copy in site-packages
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/pytest' in command
    assert README.count(command) == 2, "the Arabic section shows the same test command"


def test_ci_runs_the_readme_test_command():
    import subprocess

    ci = Path(__file__).resolve().parent.parent / ".ci" / "run"
    script = ci.read_text(encoding="utf-8")
    awk = script.split("command=$(", 1)[1].split(" README.md)", 1)[0]
    read = subprocess.run(["bash", "-c", f"{awk} README.md"], cwd=ci.parent.parent, capture_output=True, text=True)
    marker = README.index("<!-- test-command -->")
    assert read.stdout.strip() == README[marker:].splitlines()[2]


def test_the_other_assignments_example_prints_what_its_comments_say(capsys):
    block = next(b for b in python_blocks() if "planar.initialize_parameters" in b)
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    expected = [line.split("#")[1].split(":")[0].split(",")[0].strip() for line in block.splitlines() if line.startswith("print(")]
    assert len(printed) == len(expected) == 5
    for shown, comment in zip(printed, expected):
        assert shown.strip() == comment.split(" as ")[0].strip(), (shown, comment)


def test_the_other_assignments_strategies_example_runs_with_the_course_s_answers():
    import types

    from hypothesis import settings

    from shapecheck.diagnosis.assignments import ASSIGNMENTS

    block = next(b for b in python_blocks() if "scs.logreg_cases()" in b)
    reference = {kind: ASSIGNMENTS[kind].reference for kind in ("logreg", "optimization", "planar", "dinos")}
    student = types.SimpleNamespace(propagate=reference["logreg"]["propagate"],
                                    random_mini_batches=reference["optimization"]["random_mini_batches"],
                                    forward_propagation=reference["planar"]["forward_propagation"],
                                    clip=reference["dinos"]["clip"], sample=reference["dinos"]["sample"])
    namespace = {"student": student}
    exec(compile(block, "README.md", "exec"), namespace)
    tests = [v for k, v in namespace.items() if k.startswith("test_")]
    assert len(tests) == 4
    for test in tests:
        settings(max_examples=5, deadline=None)(test)()


STUDENTS_OWN = ("sc.watch(globals())", "random_mini_batches(X, Y, 64)", "import student")  # a student's notebook


def test_every_python_block_runs_on_its_own_as_a_new_user_pastes_it():
    """Each block, alone in a fresh namespace: a block that used `params`, `X` or `sc` without making them was a
    NameError for whoever copied it; the blocks that show a student's own notebook are the exception."""
    blocks = [b for b in python_blocks() if not any(own in b for own in STUDENTS_OWN)]
    assert len(blocks) == len(python_blocks()) - 3
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
