"""%shapecheck diagnose KIND takes every assignment diagnose knows, not only the first two."""

import types

import pytest

from shapecheck import notebook
from shapecheck.diagnosis.assignments import ASSIGNMENTS


@pytest.fixture
def magic(monkeypatch):
    calls = []
    monkeypatch.setattr(notebook, "diagnose_notebook", lambda ns, cells, cwd, kind: calls.append(kind) or kind)
    return notebook._magic(types.SimpleNamespace(user_ns={"In": []})), calls


@pytest.mark.parametrize("kind", [*ASSIGNMENTS, "auto"])
def test_every_assignment_is_a_kind_the_magic_takes(magic, kind):
    shapecheck, calls = magic
    assert shapecheck(f"diagnose {kind}") == kind and calls == [kind]


def test_an_unknown_kind_is_one_line_that_lists_the_assignments(magic, capsys):
    shapecheck, calls = magic
    assert shapecheck("diagnose cnn") is None and calls == []
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "diagnose [" in err and all(kind in err for kind in ("conv", "planar", "dinos", "dnn"))
