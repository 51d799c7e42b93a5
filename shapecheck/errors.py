"""The one exception users see: a sentence from the catalogue, never a traceback."""

from __future__ import annotations

from shapecheck.messages import msg


class ShapecheckError(ValueError):
    """Bad input: what was wrong, where, and how to fix it, in one line.

    Carries the message id and its fields so JSON output and translations can use them.
    """

    def __init__(self, message_id: str, /, **fields: object) -> None:
        self.message_id = message_id
        self.fields = fields
        super().__init__(msg(message_id, **fields))
