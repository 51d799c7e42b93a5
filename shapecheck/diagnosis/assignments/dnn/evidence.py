"""The deep network's hint rules that read the numbers and belong to this assignment only: compute_cost
with a wrong operand or one term only (diagnosis/cross_entropy.py; the shared relations are in
diagnosis/hints.py). Each rule is (id, functions, message id, detect, strength)."""

from shapecheck.diagnosis import cross_entropy


def _cost_inputs(e):
    """compute_cost(AL, Y): AL and Y as given."""
    return (e.case.args[0], e.case.args[1], "AL") if len(e.case.args) >= 2 else None


def _biases_zero(e) -> bool:
    """Every bias the student's initializer returned is zeros: its random draws are the W's alone, so the
    W's numbers depend on the seed only (a bias drawn at random shifts the stream: that is another mistake)."""
    import numpy as np  # the plug-in's __init__ stays numpy-free

    biases = [np.asarray(v) for k, v in e.student_tensors.items() if str(k).startswith("b")]
    return all(b.dtype.kind in "fiu" and not np.any(b) for b in biases)


def _unseeded_two_layer(e) -> bool:
    """initialize_parameters: W is a draw of the notebook's scale (0.01) that is not the draw after
    np.random.seed(1): the seed is missing (or another one is used). Not a scaled or transposed copy of the
    right draw, and only when the biases are zeros (a random bias would shift the stream as well)."""
    import numpy as np

    s, r = e.s, e.r
    if s is None or r is None or s.shape != r.shape or s.size < 2 or not (e.tensor or "").startswith("W") or not _biases_zero(e):
        return False
    ratio = np.linalg.norm(s) / max(np.linalg.norm(r), 1e-300)
    correlation = abs(np.corrcoef(s.ravel(), r.ravel())[0, 1]) if np.std(s) > 0 and np.std(r) > 0 else 1.0
    return 0.3 < ratio < 3.0 and correlation < 0.9


HINT_RULES = cross_entropy.rules(("compute_cost",), _cost_inputs) + (
    ("missing_seed", ("initialize_parameters",), "hints.dnn_init_missing_seed", _unseeded_two_layer, "weak"),
)
