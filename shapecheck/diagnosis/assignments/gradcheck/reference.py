"""The right answers: the engine's gradient_checking.py. gradient_check finds backward_propagation among
its globals, where a case's stand-in replaces it (``Case.stand_ins``): the reference answers the same question."""

from shapecheck.engine import gradient_checking as gc


backward_propagation = gc.backward_propagation  # a global: a case's stand-in replaces it (plugin.given)


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (gc.forward_propagation(x, theta + epsilon) - gc.forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    return gc._difference(backward_propagation(x, theta), gradapprox)


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
