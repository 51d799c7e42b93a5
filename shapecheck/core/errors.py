"""The one exception users see: a sentence from the catalogue, never a traceback."""

from __future__ import annotations

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
