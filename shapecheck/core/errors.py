"""The one exception users see: a sentence from the catalogue, never a traceback."""

from __future__ import annotations

import os
import sys

from shapecheck.core.messages import msg


class ShapecheckError(ValueError):
    """Bad input: what was wrong, where, and how to fix it, in one line.

    Carries the message id and its fields so JSON output and translations can use them.
    """

    __module__ = "shapecheck"  # tracebacks name it as users import it (sc.ShapecheckError)

    def __init__(self, message_id: str, /, **fields: object) -> None:
        self.message_id = message_id
        self.fields = fields
        super().__init__(msg(message_id, **fields))

    def _render_traceback_(self) -> list[str]:
        """What IPython shows in a notebook in place of the whole traceback: the caller's own lines (a cell as
        "Cell In[3], line 2", as IPython names it), then the sentence. shapecheck's frames say where the check
        ran, not where the mistake is; a student reading a screen of them misses the one line that says the fix."""
        import traceback

        ipython = sys.modules.get("IPython")
        ours = [os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep]  # shapecheck/
        if ipython is not None and getattr(ipython, "__file__", None):
            ours.append(os.path.dirname(os.path.abspath(ipython.__file__)) + os.sep)  # the shell that ran the cell
        shell = ipython.get_ipython() if ipython is not None else None
        lines = []
        for frame in traceback.extract_tb(self.__traceback__):
            if frame.filename.startswith(tuple(ours)):
                continue
            name_of = getattr(getattr(shell, "compile", None), "format_code_name", None)  # IPython 8+
            cell = name_of(frame.filename) if name_of else None
            place = " ".join(cell) if cell else f'File "{frame.filename}"'
            lines += [f"{place}, line {frame.lineno}, in {frame.name}", f"    {frame.line}"]
        return [*lines, f"{type(self).__name__}: {self}"]


class NoSuchTensor(ShapecheckError, KeyError):
    """A lookup by a tensor's name that finds none: a sentence that lists the names there are, and still a
    KeyError for code that catches one (as numpy's AxisError is a ValueError and an IndexError)."""

    __module__ = "shapecheck"

    def __str__(self) -> str:  # KeyError's own would show the sentence in quotes
        return ValueError.__str__(self)
