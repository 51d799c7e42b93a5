"""The right answers: the engine's L2 terms (regularization.py) and seeded dropout (dropout.py)."""

from shapecheck.engine import dropout, regularization

FUNCTIONS = {
    "compute_cost_with_regularization": regularization.compute_cost_with_regularization,
    "backward_propagation_with_regularization": regularization.backward_propagation_with_regularization,
    "forward_propagation_with_dropout": dropout.forward_propagation_with_dropout,
    "backward_propagation_with_dropout": lambda X, Y, cache, keep_prob: dropout.backward_propagation_with_dropout(X, Y, tuple(cache), keep_prob),
}
