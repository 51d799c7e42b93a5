"""What to install for an optional feature is said as pip can do it: the packages by name, read from the installed
metadata (pyproject.toml stays their one home). "pip install shapecheck-dl[png]" found nothing: shapecheck-dl is
installed from its checkout, and PyPI has no such distribution."""

import shlex
import sys
import tomllib
from pathlib import Path

import pytest

import shapecheck as sc
from shapecheck.core import extras
from shapecheck.core.messages import catalogue

PYPROJECT = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
EXTRAS = PYPROJECT["project"]["optional-dependencies"]


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_the_command_installs_exactly_the_extras_packages_by_name(extra):
    command = extras.install_command(extra)
    assert shlex.split(command) == ["pip", "install", *EXTRAS[extra]]


def test_without_metadata_the_command_installs_the_extra_from_the_checkout(monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "requires", missing)
    assert extras.install_command("png") == 'pip install ".[png]"'


def _naming_it(texts: dict) -> list[str]:
    return [key for key, text in texts.items() if "shapecheck-dl[" in text]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_sentence_tells_a_student_to_install_a_distribution_pypi_does_not_have(lang):
    assert _naming_it(catalogue(lang)) == []


def test_meta_the_scan_finds_such_a_sentence():
    assert _naming_it({**catalogue("en"), "tune.planted": 'pip install "shapecheck-dl[png]"'}) == ["tune.planted"]


def test_a_plot_without_matplotlib_says_what_to_install_from_python_too(monkeypatch):
    from shapecheck.views import figures

    report = sc.sweep([2, 3, 1], "moons", learning_rates=[0.1], iterations=2, every=1, m=20, progress=False)
    monkeypatch.setattr(figures, "InlineFigure", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails, as when it is not installed
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(sc.ShapecheckError) as raised:
        report.plot()
    assert str(raised.value) == "The picture needs matplotlib, which is not installed: pip install 'matplotlib>=3.7'"
