"""The core: what every layer shares, with no numpy and no rich.

The message catalogue (``messages``: ``msg(id, **fields)`` in every language) and the one error
type (``errors.ShapecheckError``); symbolic dimensions and the one way to print a shape (``dims``).
Everything above asks the core; the core imports nothing of shapecheck outside itself.
"""
