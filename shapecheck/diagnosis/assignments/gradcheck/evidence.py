"""Gradient checking's hint rules that read the numbers: a `difference` of another formula than the
course's ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖). The rule recomputes grad and gradapprox on the
case (with its stand-in backward, if any) and tries the classic wrong formulas on them. Each rule is
(id, functions, message id, detect, strength)."""

from shapecheck.diagnosis import cross_entropy

_CHECKS = ("gradient_check", "gradient_check_n")


def _vectors(e):
    """(grad, gradapprox) as the case's check should compute them, or None."""
    import numpy as np

    from shapecheck.engine import gradient_checking as gc

    args = e.case.args
    if e.function == "gradient_check" and len(args) >= 2:
        x, theta = float(args[0]), float(args[1])
        epsilon = float(args[2]) if len(args) > 2 else 1e-7
        backward = gc.backward_propagation
        if "backward_propagation" in e.case.stand_ins:
            from shapecheck.diagnosis.assignments.gradcheck import course

            backward = getattr(course, e.case.stand_ins["backward_propagation"])
        gradapprox = (gc.forward_propagation(x, theta + epsilon) - gc.forward_propagation(x, theta - epsilon)) / (2 * epsilon)
        return np.atleast_1d(np.asarray(backward(x, theta), dtype=float)), np.atleast_1d(np.asarray(gradapprox, dtype=float))
    if e.function == "gradient_check_n" and len(args) >= 4 and isinstance(args[0], dict) and isinstance(args[1], dict):
        epsilon = float(args[4]) if len(args) > 4 else 1e-7
        return gc.grad_and_gradapprox_n(args[0], args[1], args[2], args[3], epsilon)
    return None


# the wrong formulas students write, as the course's notation (a formula, not a sentence: no translation)
def _formulas(grad, gradapprox):
    import numpy as np

    norm = np.linalg.norm
    numerator = norm(grad - gradapprox)
    return (
        ("‖grad − gradapprox‖", numerator),
        ("‖grad − gradapprox‖ / ‖grad‖", numerator / norm(grad)),
        ("‖grad − gradapprox‖ / ‖gradapprox‖", numerator / norm(gradapprox)),
        ("‖grad − gradapprox‖ / ‖grad + gradapprox‖", numerator / norm(grad + gradapprox)),
        ("‖grad − gradapprox‖ / (‖grad‖ · ‖gradapprox‖)", numerator / (norm(grad) * norm(gradapprox))),
        ("‖grad − gradapprox‖ / (2 · ‖grad‖)", numerator / (2 * norm(grad))),
        ("‖grad − gradapprox‖ / (2 · ‖gradapprox‖)", numerator / (2 * norm(gradapprox))),
        ("‖grad − gradapprox‖ / ‖grad‖ + ‖gradapprox‖", numerator / norm(grad) + norm(gradapprox)),
        ("‖grad − gradapprox‖² / (‖grad‖ + ‖gradapprox‖)", numerator ** 2 / (norm(grad) + norm(gradapprox))),
        ("‖grad − gradapprox‖ / (‖grad‖² + ‖gradapprox‖²)", numerator / (norm(grad) ** 2 + norm(gradapprox) ** 2)),
    )


def _other_difference(e):
    """The check returned a number that one of the classic wrong formulas gives on this case's grad and
    gradapprox, and the course's formula does not: {formula} names it."""
    import numpy as np

    if e.s is None or e.r is None or e.s.size != 1 or e.r.size != 1:
        return False
    vectors = _vectors(e)
    if vectors is None:
        return False
    yours, right = float(e.s.reshape(())), float(e.r.reshape(()))
    for formula, value in _formulas(*vectors):
        if np.isfinite(value) and np.isclose(yours, value, rtol=1e-5, atol=1e-12) and not np.isclose(value, right, rtol=1e-3):
            return {"formula": formula}
    return False


def _not_a_norm(e):
    """The check returned an array: (grad − gradapprox) / (‖grad‖ + ‖gradapprox‖), or grad − gradapprox,
    the numerator without its norm."""
    import numpy as np

    if e.s is None or e.s.size < 2:
        return False
    vectors = _vectors(e)
    if vectors is None:
        return False
    grad, gradapprox = vectors
    s = e.s.reshape(-1)
    difference = (grad - gradapprox).reshape(-1)
    if s.shape != difference.shape:
        return False
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    scale = max(float(np.max(np.abs(difference))), 1e-12)
    return any(np.allclose(s, d, rtol=1e-5, atol=1e-5 * scale) for d in (difference, difference / denominator))


def _cost_inputs(e):
    """forward_propagation_n(X, Y, parameters)'s cost: A3 of the course's forward, and Y."""
    if e.tensor != "cost" or len(e.case.args) < 3 or not isinstance(e.case.args[2], dict):
        return None
    from shapecheck.engine import gradient_checking as gc

    X, Y, parameters = e.case.args[:3]
    return gc.forward_propagation_n(X, Y, parameters)[1][9], Y, "A3"


HINT_RULES = cross_entropy.rules(("forward_propagation_n",), _cost_inputs) + (
    ("difference_formula", _CHECKS, "hints.gc_difference_other_formula", _other_difference, "exact", ("formula",)),
    ("difference_formula", _CHECKS, "hints.gc_difference_not_a_norm", _not_a_norm, "exact"),
)
