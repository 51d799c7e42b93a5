"""Dinosaurus Island's hint rules that read the numbers (the mutants in mistakes.py name the classic mistakes).

Each rule is (id, functions, message id, detect, strength, extra placeholders), hints.HintRule's fields; numpy
is imported inside the detectors so that the contracts stay numpy-free for watch and the rubric.
"""


def _indices(value):
    """A list of character indices as ints, or None when it is not one."""
    import numpy as np

    array = np.asarray(value) if value is not None and not isinstance(value, (str, bytes, dict)) else None
    if array is None or array.ndim != 1 or array.dtype.kind not in "iuf" or not np.all(np.isfinite(array)):
        return None
    return [int(i) for i in array] if np.all(array == np.round(array)) else None


def _sample_differs(e):
    """sample's indices differ from the course's (in length, values or both) and no named mistake explains them:
    where they part, and the seed rule a sample must follow. The generic sentence ("check which arrays are
    multiplied") would send the student the wrong way; the cause stays open (seeds or the forward step)."""
    yours, right = _indices(e.student), _indices(e.reference)
    if yours is None or right is None or yours == right:
        return False
    position = next((k for k, (a, b) in enumerate(zip(yours, right)) if a != b), min(len(yours), len(right)))
    return {"position": position, "yours_ix": yours[position:position + 5], "right_ix": right[position:position + 5],
            "length": len(yours), "right_length": len(right)}


_SAMPLE_EXTRA = ("position", "yours_ix", "right_ix", "length", "right_length")
HINT_RULES = (
    ("values_differ", ("sample",), "hints.dinos_sample_differs", _sample_differs, "weak", _SAMPLE_EXTRA),
)
