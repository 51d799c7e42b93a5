"""The deep network's hint rules that read the numbers and belong to this assignment only: compute_cost
with a wrong operand or one term only (diagnosis/cross_entropy.py; the shared relations are in
diagnosis/hints.py). Each rule is (id, functions, message id, detect, strength)."""

from shapecheck.diagnosis import cross_entropy


def _cost_inputs(e):
    """compute_cost(AL, Y): AL and Y as given."""
    return (e.case.args[0], e.case.args[1], "AL") if len(e.case.args) >= 2 else None


HINT_RULES = cross_entropy.rules(("compute_cost",), _cost_inputs)
