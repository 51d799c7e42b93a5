"""The right answers: the engine's gradient_checking.py. ``GIVEN``: gradient_check with the course functions
that stand in for the student's (``Case.stand_ins``), so the reference answers the same question."""

from shapecheck.engine import gradient_checking as gc


def gradient_check_given(stand_ins: dict):
    backward = stand_ins.get("backward_propagation", gc.backward_propagation)

    def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
        gradapprox = (gc.forward_propagation(x, theta + epsilon) - gc.forward_propagation(x, theta - epsilon)) / (2 * epsilon)
        return gc._difference(backward(x, theta), gradapprox)
    return gradient_check


gradient_check = gradient_check_given({})


def backward_propagation_n(X, Y, cache):
    return gc.backward_propagation_n(X, Y, tuple(cache))


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    return gc.gradient_check_n(parameters, gradients, X, Y, epsilon, print_msg)


FUNCTIONS = {
    "forward_propagation": gc.forward_propagation,
    "backward_propagation": gc.backward_propagation,
    "gradient_check": gradient_check,
    "forward_propagation_n": gc.forward_propagation_n,
    "backward_propagation_n": backward_propagation_n,
    "gradient_check_n": gradient_check_n,
}
GIVEN = {"gradient_check": gradient_check_given}
