"""The right answers: the engine's planar.py, in the notebooks' signatures.

``EDITIONS``: where the two notebooks give different right answers, the other edition's. ``nn_model`` of
2017–20 draws its parameters after ``initialize_parameters``' own ``np.random.seed(2)``, the 2021+ one from
``np.random.seed(3)``'s stream: a file that matches either is right (and is told which edition it matches).
"""

from shapecheck.engine import planar


def initialize_parameters(n_x, n_h, n_y):
    return planar.initialize_parameters(n_x, n_h, n_y)  # the draw after np.random.seed(2), as both notebooks test it


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    return planar.nn_model(X, Y, n_h, num_iterations, print_cost, edition="2021")


def _nn_model_2017(X, Y, n_h, num_iterations=10000, print_cost=False):
    return planar.nn_model(X, Y, n_h, num_iterations, print_cost, edition="2017")


FUNCTIONS = {
    "layer_sizes": planar.layer_sizes,
    "initialize_parameters": initialize_parameters,
    "forward_propagation": planar.forward_propagation,
    "compute_cost": planar.compute_cost,
    "backward_propagation": planar.backward_propagation,
    "update_parameters": planar.update_parameters,
    "nn_model": nn_model,
    "predict": planar.predict,
}

EDITIONS = {"nn_model": {"2017-20": _nn_model_2017}}  # keyed as edition.OLD
