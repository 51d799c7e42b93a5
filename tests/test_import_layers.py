"""The package's imports go one way: down the layers of ARCHITECTURE.md, with no cycle.

Every import counts, lazy ones inside functions included (they are cycles all the same, only
deferred), except those under ``if TYPE_CHECKING:``, which never run: the graph is read from the
source with ``ast``, never by importing anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first; a module may import from its own layer or one listed before it.
LAYERS = ("core", "views", "spec", "tracer", "validate", "engine", "gradients", "diagnosis", "tune", "grade", "api")

# The package root holds only public modules (ARCHITECTURE.md); they sit on top, with cli.
PUBLIC = {"shapecheck", "shapecheck.strategies", "shapecheck.strategies_course", "shapecheck.testing", "shapecheck.i18n",
          "shapecheck.notebook"}

# Known offenders, each to be removed; an entry that no longer occurs fails too, so the list only
# shrinks. watch wraps the assignments' functions, so it reads their contracts from the diagnosis layer.
KNOWN: set[tuple[str, str]] = {
    ("shapecheck.validate.watch", "shapecheck.diagnosis.contract"),
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[0] == "cli":
        parts = ["shapecheck", *parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _nodes(tree: ast.AST):
    """Every node, except under ``if TYPE_CHECKING:`` (names for type checkers, never imported at run time)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *_nodes(child)))
            continue
        yield node
        yield from _nodes(node)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The shapecheck modules ``path`` imports, anywhere in the file (``from pkg import module`` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            targets = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            targets = [node.args[0].value]
        else:
            continue
        found |= {t for t in targets if t.split(".")[0] == "shapecheck" and t != name}
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in [*root.joinpath("shapecheck").rglob("*.py"), *root.joinpath("cli").glob("*.py")]}
    known = set(files)
    graph = {}
    for name, path in files.items():
        # "import shapecheck.a.b" also runs shapecheck.a's __init__, which imports nothing: count the module itself
        graph[name] = {t if t in known else t.rpartition(".")[0] for t in imports_of(path, name, known)} & known
    return graph


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] == "layers":  # a Keras layer plug-in: its engine files are engine, the rest spec
        return LAYERS.index("engine" if parts[-1] in ("engine", "runtime") else "spec")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    if module in PUBLIC or module.startswith("shapecheck.cli"):
        return LAYERS.index("api")
    raise AssertionError(f"{module} is in no declared layer: add its folder to LAYERS and ARCHITECTURE.md")


def upward_imports(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a)}


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Every edge that lies on a cycle (both ends in one strongly connected component)."""
    index, low, stack, on_stack, components, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:  # Tarjan's algorithm; the graph has ~150 nodes
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return {(a, b) for c in components if len(c) > 1 for a in c for b in graph[a] if b in c}


def test_every_module_is_in_a_declared_layer():
    for module in import_graph():
        layer_of(module)


def test_no_import_goes_up_the_layers():
    bad = upward_imports(import_graph()) - KNOWN
    assert not bad, "imports that go up the layers of ARCHITECTURE.md:\n" + "\n".join(f"{a} -> {b}" for a, b in sorted(bad))


def test_no_import_cycle():
    bad = cycles(import_graph()) - KNOWN
    assert not bad, "import cycles (lazy imports count):\n" + "\n".join(f"{a} -> {b}" for a, b in sorted(bad))


def test_the_known_exceptions_still_exist():
    graph = import_graph()
    gone = KNOWN - upward_imports(graph) - cycles(graph)
    assert not gone, f"fixed, so remove them from KNOWN: {sorted(gone)}"


def test_the_layers_here_are_the_layers_of_architecture_md():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = [line.split("`")[1] for line in text.splitlines() if line.startswith("| `shapecheck/")]
    folders = [folder.split("/")[1] for folder in table if folder != "shapecheck/layers/"]  # plug-ins: spec and engine
    assert folders == list(LAYERS[:-1])


def test_meta_a_lazy_cycle_and_an_upward_import_are_caught(tmp_path):
    """Meta-test: the scan fails on what it is meant to catch, lazy imports included."""
    package = tmp_path / "shapecheck"
    for folder in ("core", "engine"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (tmp_path / "cli").mkdir()
    (package / "core" / "a.py").write_text("def f():\n    from shapecheck.engine import b\n")  # lazy, and upward
    (package / "engine" / "b.py").write_text("from shapecheck.core.a import f\n")
    (package / "engine" / "c.py").write_text("import importlib\nimportlib.import_module('shapecheck.engine.b')\n"
                                             "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                             "    from shapecheck.core import a\n")
    graph = import_graph(tmp_path)
    assert graph["shapecheck.core.a"] == {"shapecheck.engine.b"}
    assert graph["shapecheck.engine.c"] == {"shapecheck.engine.b"}
    assert upward_imports(graph) == {("shapecheck.core.a", "shapecheck.engine.b")}
    assert cycles(graph) == {("shapecheck.core.a", "shapecheck.engine.b"), ("shapecheck.engine.b", "shapecheck.core.a")}
