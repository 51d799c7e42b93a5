"""Package discovery that pyproject.toml alone cannot say: a new layer or plug-in folder under
shapecheck/ needs no line anywhere, and cli/ installs as shapecheck.cli (never as a top-level
``cli`` that would clash with other projects), and examples/ as shapecheck.examples (the README's files).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["shapecheck", "shapecheck.*"]), "shapecheck.cli", "shapecheck.examples"])
