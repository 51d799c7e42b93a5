"""The planar assignment's hint rules that read the numbers: compute_cost with a wrong operand or one
term only (diagnosis/cross_entropy.py). Each rule is (id, functions, message id, detect, strength)."""

from shapecheck.diagnosis import cross_entropy


def _cost_inputs(e):
    """compute_cost(A2, Y[, parameters]): A2 and Y as given."""
    return (e.case.args[0], e.case.args[1], "A2") if len(e.case.args) >= 2 else None


HINT_RULES = cross_entropy.rules(("compute_cost",), _cost_inputs)
