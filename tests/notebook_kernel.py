"""Notebooks run in a real IPython kernel (nbclient + ipykernel), the way a student runs them.

One kernel per test module: ``KernelRunner.run(cells)`` resets the namespace, executes the cells in
order (a cell whose source starts with ``# raises`` may fail) and returns the executed notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[")


class KernelRunner:
    def __init__(self, timeout: int = 60) -> None:
        self.client = NotebookClient(nbformat.v4.new_notebook(), timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
        self._context = None

    def start(self) -> "KernelRunner":
        self._context = self.client.setup_kernel()
        self._context.__enter__()
        return self

    def stop(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = None

    def run(self, cells: list[str]) -> nbformat.NotebookNode:
        """Execute ``cells`` in a fresh namespace of the shared kernel; an unexpected error fails the test."""
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c.strip()) for c in
                                             ["%reset -f\nimport shapecheck as sc\nsc.set_language('en')", *cells]])
        for cell in nb.cells:
            if cell.source.startswith("# raises"):
                cell.metadata["tags"] = ["raises-exception"]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        self.client.nb = nb
        for index, cell in enumerate(nb.cells):
            self.client.execute_cell(cell, index)
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors and not cell.source.startswith("# raises"):
                raise AssertionError(f"cell {index} failed:\n{cell.source}\n{errors[0].ename}: {errors[0].evalue}")
        nb.cells = nb.cells[1:]  # the reset cell is ours, not the student's
        return nb


def outputs(cell) -> list:
    return list(cell.outputs)


def plain_of(output) -> str:
    return output.get("data", {}).get("text/plain", "")
