"""Running shapecheck writes nothing into its package folder: pip owns those files. A parsed copy of the message
catalogue kept in locales/*/__pycache__ outlived `pip uninstall`, so the README's two set-up commands in one
environment (`pip install .`, then `pip install -e ".[test]"`) left an empty shapecheck/ folder in
site-packages that Python imported as a namespace package: `sc.dense_net` did not exist outside the checkout."""

import marshal
import os
import subprocess
import sys
from pathlib import Path

from shapecheck.core import messages

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "shapecheck"
# stdlib only (the catalogue and the course's dense spec): the test's environment needs no numpy or rich
SAY = ("import shapecheck as sc, shapecheck.core.messages as m; sc.dense_net([5, 4, 1]); "
       "print(m.msg('spec.dim_not_positive', index=1, value=-4)); print(m.msg('trace.bad_m', value=0))")


def _files(folder: Path) -> set[Path]:
    """The package's files, but Python's own bytecode (pip removes a module's __pycache__ entries with it)."""
    return {p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pyc"}


def _run(python, *args, cwd, env):
    result = subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_messages_are_cached_in_the_user_cache_not_in_the_package(tmp_path):
    before = _files(PACKAGE)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = _run(sys.executable, "-c", SAY, cwd=tmp_path, env=env)
    for lang in ("en", "ar"):  # every area of both languages, as a report in either would read them
        _run(sys.executable, "-c", f"import shapecheck.core.messages as m; m.catalogue({lang!r})", cwd=tmp_path, env=env)
    assert _files(PACKAGE) == before
    kept = list((tmp_path / "cache" / "shapecheck" / "catalogue").glob("en.spec.*.marshal"))
    assert len(kept) == 1
    planted = {**marshal.loads(kept[0].read_bytes()), "dim_not_positive": "read from the cache"}
    kept[0].write_bytes(marshal.dumps(planted))
    assert _run(sys.executable, "-c", SAY, cwd=tmp_path, env=env) == first.replace(first.split("\n")[0], "read from the cache")


def test_a_relative_cache_home_is_ignored_and_no_home_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert messages._cache_folder() == tmp_path / ".cache" / "shapecheck" / "catalogue"
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home folder: "~" stays "~"
    assert messages._cache_folder() is None
