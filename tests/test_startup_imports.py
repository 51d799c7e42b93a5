"""What `shapecheck shapes` loads, read in a clean interpreter: the start-up budget, module by module.

`shapecheck shapes 12288 20 7 5 1` must start no slower than a minimal typer command printing a rich table
(benchmarks/bench_startup.py). Everything it imports counts, so the list here is exact: a new module on
this path is a decision, made by editing SHAPES below, never an accident. The layers (their registry, the
Keras-like Sequential) load only for a spec that has them; numpy and typer's rich help never load.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

LESSON = str(Path(__file__).resolve().parent.parent / "examples" / "lstm_lesson.toml")

# the console script's own entry point, as `shapecheck ARGS` runs it; prints what was imported
PROBE = """
import contextlib, io, sys
sys.argv = ["shapecheck", *{args!r}]
from shapecheck.cli.main import main
code = 0
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main()
    except SystemExit as exc:
        code = exc.code
modules = sorted(sys.modules)  # before the probe's own json
import json
print(json.dumps({{"code": code, "output": out.getvalue(), "modules": modules}}))
"""

# the modules of ours that `shapecheck shapes N0 ... NL` imports, and nothing more
SHAPES_JSON = {
    "shapecheck", "shapecheck.cli", "shapecheck.cli.main", "shapecheck.cli.common", "shapecheck.cli.app",
    "shapecheck.cli.shapes", "shapecheck.core", "shapecheck.core.errors", "shapecheck.core.messages",
    "shapecheck.core.language", "shapecheck.core.dims", "shapecheck.core.tensors", "shapecheck.spec",
    "shapecheck.spec.dense", "shapecheck.tracer", "shapecheck.tracer.trace", "shapecheck.tracer.report",
    "shapecheck.views", "shapecheck.views.base",
}
SHAPES = SHAPES_JSON | {"shapecheck.views.render", "shapecheck.views.wrap"}  # drawing the table
NEVER = ("numpy", "typer.rich_utils", "shapecheck.layers", "shapecheck.spec.networks", "shapecheck.tracer.sequential")
# and for the table: no json, and not rich's table of emoji codes (the titles and headers are Text, not markup)
NEVER_FOR_THE_TABLE = ("json", "rich._emoji_codes")


def imported(*args: str) -> tuple[set[str], str]:
    # away from the checkout, like a user's shell (the installed package, not a bare folder, is imported)
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True,
                            cwd=tempfile.gettempdir(), check=True)
    found = json.loads(result.stdout)
    assert found["code"] in (0, None), result.stderr
    return set(found["modules"]), found["output"]


def ours(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] == "shapecheck"}


def loaded(modules: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in modules)


@pytest.mark.parametrize("args, expected", [
    (("shapes", "12288", "20", "7", "5", "1"), SHAPES),
    (("shapes", "12288", "20", "7", "5", "1", "--json"), SHAPES_JSON),
], ids=["table", "json"])
def test_shapes_imports_exactly_its_modules(args, expected):
    modules, output = imported(*args)
    assert "W4" in output  # the command did run
    assert ours(modules) == expected, (f"`shapecheck {' '.join(args)}` now also imports {sorted(ours(modules) - expected)} "
                                       f"and no longer {sorted(expected - ours(modules))}")
    assert not [name for name in NEVER if loaded(modules, name)]
    if "--json" not in args:
        assert not [name for name in NEVER_FOR_THE_TABLE if loaded(modules, name)]


def test_json_output_loads_no_rich():
    modules, _ = imported("shapes", "5", "4", "1", "--json")
    assert not loaded(modules, "rich")


def test_meta_the_probe_sees_the_layers_when_a_spec_needs_them():
    # If this fails, the tests above could not see the layers or Sequential creep onto the path.
    modules, output = imported("shapes", LESSON)
    assert "lstm" in output
    assert loaded(modules, "shapecheck.layers") and "shapecheck.spec.networks" in modules
    assert ours(modules) - SHAPES


def test_the_summary_table_loads_no_emoji_table_and_no_json():
    # its title and headers are Text, not markup; json is for --json and .json specs only
    modules, output = imported("summary", LESSON)
    assert "Total params" in output
    assert not [name for name in NEVER_FOR_THE_TABLE if loaded(modules, name)]


def test_a_spec_file_loads_only_the_layer_folders_it_names():
    """The lesson is an LSTM and a Dense layer: `summary` imports their folders, not the other ten (the registry
    finds a layer by its folder's name; shapecheck/layers/registry.py)."""
    modules, output = imported("summary", LESSON)
    assert "LSTM" in output
    assert {m.split(".")[2] for m in modules if m.startswith("shapecheck.layers.") and m.endswith(".spec")} == {"lstm", "dense"}


def test_a_command_builds_only_itself():
    """typer turns every parameter of a command into click's: `shapes` does not build `summary` and `params`,
    which its module registers too, nor any other command."""
    import click
    import typer

    from shapecheck.cli.app import app

    group = typer.main.get_command(app)
    context = click.Context(group)
    already = set(group.commands)  # none, unless a test in this process registered one on the app itself
    assert group.get_command(context, "shapes").name == "shapes"
    assert set(group.commands) - already == {"shapes"}
    assert group.get_command(context, "summary").name == "summary"  # and each of the others when asked for
    assert group.get_command(context, "examples").get_command(context, "write").name == "write"
    assert set(group.commands) - already == {"shapes", "summary", "examples"}  # params, from shapes' module, is not
