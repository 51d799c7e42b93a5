"""The pip command that installs an optional extra's packages (plot, png, cluster), read from the installed
metadata: pyproject.toml stays the one home of the names and versions. shapecheck-dl is installed from its
checkout, not from PyPI, so ``pip install "shapecheck-dl[png]"`` finds nothing; the packages by name always do.
Stdlib only, and loaded only when a message needs it."""

from __future__ import annotations

import re
import shlex

DISTRIBUTION = "shapecheck-dl"
_EXTRA = re.compile(r"""extra\s*==\s*["']([\w.-]+)["']""")


def requirements(extra: str) -> list[str]:
    """The requirement strings of ``extra`` ("matplotlib>=3.7"), as installed; [] when the metadata is missing."""
    from importlib import metadata

    try:
        declared = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    wanted = []
    for requirement in declared:  # 'matplotlib>=3.7; extra == "png"'
        name, _, marker = requirement.partition(";")
        found = _EXTRA.search(marker)
        if found and found.group(1) == extra:
            wanted.append(name.strip())
    return wanted


def install_command(extra: str) -> str:
    """``pip install 'matplotlib>=3.7'`` for "png"; from a checkout without metadata, ``pip install ".[png]"``."""
    wanted = requirements(extra)
    return "pip install " + " ".join(shlex.quote(r) for r in wanted) if wanted else f'pip install ".[{extra}]"'
