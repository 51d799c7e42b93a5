"""A seed as numpy's generators take it: a whole number ≥ 0, or None for fresh randomness; anything else is
one sentence before numpy says "expected non-negative integer" from ten frames down. Stdlib only."""

from __future__ import annotations

from shapecheck.core.dims import whole
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg


def check_seed(seed: object) -> int | None:
    """``seed`` as an int (numpy's integers included), None kept; refused with the course's wording otherwise."""
    if seed is None:
        return None
    value = whole(seed)
    if value is None or value < 0:
        raise ShapecheckError("model.bad_option", option="seed", value=seed, expected=msg("model.expected_seed"))
    return value
