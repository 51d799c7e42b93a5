"""Logistic regression's hint rules that read the numbers (the mutants in mistakes.py cover the rest).

Each rule is (id, functions, message id, detect, strength), hints.HintRule's fields; numpy is imported
inside the detectors so that the contracts stay numpy-free for watch and the rubric.
"""

from shapecheck.diagnosis import cross_entropy


def _times_m(e) -> bool:
    """dw, db or the cost m times the reference's: the 1/m left out (dw and db each, not both at once)."""
    import numpy as np

    s, r, m = e.s, e.r, e.m
    if s is None or r is None or s.shape != r.shape or not m or m < 2 or not np.any(r):
        return False
    return bool(np.allclose(s, r * m, rtol=1e-6, atol=1e-12) and not np.allclose(s, r, rtol=1e-6, atol=1e-12))


def _at_the_boundary(e) -> bool:
    """predict said 1 exactly where σ(wᵀx + b) = 0.5 (a ≥ where the notebook says > 0.5), and agrees elsewhere."""
    import numpy as np

    s, r = e.s, e.r
    if s is None or r is None or s.shape != r.shape or len(e.case.args) < 3:
        return False
    w, b, X = (np.asarray(a, dtype=float) for a in e.case.args[:3])
    if X.ndim != 2 or w.size != X.shape[0] or b.size != 1 or s.shape != (1, X.shape[1]):
        return False
    z = w.reshape(-1, 1).T @ X + b
    at_half = np.isclose(1.0 / (1.0 + np.exp(-z)), 0.5, rtol=0, atol=1e-15)
    return bool(at_half.any() and np.all(s[at_half] == 1) and np.all(r[at_half] == 0) and np.array_equal(s[~at_half], r[~at_half]))


def _cost_inputs(e):
    """propagate(w, b, X, Y)'s cost: A = σ(wᵀX + b) and Y (the other outputs are not costs)."""
    import numpy as np

    if e.tensor != "cost" or len(e.case.args) < 4:
        return None
    w, b, X, Y = (np.asarray(a, dtype=float) for a in e.case.args[:4])
    return 1 / (1 + np.exp(-(w.reshape(-1, 1).T @ X + b))), Y, "A"


HINT_RULES = cross_entropy.rules(("propagate",), _cost_inputs) + (
    ("missing_1_over_m", ("propagate",), "hints.lr_missing_1_over_m", _times_m, "exact"),
    ("threshold_boundary", ("predict",), "hints.lr_threshold_boundary", _at_the_boundary, "exact"),
)
