"""Logistic regression, the planar network and the course's initializers: the notebooks' numbers and finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shapecheck.engine import course_inits, logistic, planar

from course_numerics import numeric_gradients
from finite_differences import assert_close

sizes = st.integers(1, 5)


def test_propagate_gives_the_notebooks_expected_output():
    w, b = np.array([[1.0], [2.0]]), 2.0
    X, Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1, 0, 1]])
    grads, cost = logistic.propagate(w, b, X, Y)
    np.testing.assert_allclose(grads["dw"], [[0.99845601], [2.39507239]], rtol=1e-7)
    assert grads["db"] == pytest.approx(0.00145557813678)
    assert cost == pytest.approx(5.801545319394553)


@settings(max_examples=25, deadline=None)
@given(sizes, sizes, st.integers(0, 2**16))
def test_propagate_returns_the_gradient_of_its_cost(n_x, m, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((n_x, m)), (rng.random((1, m)) > 0.5).astype(float)
    point = {"w": rng.standard_normal((n_x, 1)), "b": np.array(rng.standard_normal())}
    J = lambda p: logistic.propagate(p["w"], float(p["b"]), X, Y)[1]  # noqa: E731
    grads, cost = logistic.propagate(point["w"], float(point["b"]), X, Y)
    numeric = numeric_gradients(J, point)
    assert grads["dw"].shape == (n_x, 1)
    assert_close(grads["dw"], numeric["w"], cost)
    assert_close(grads["db"], numeric["b"], cost)


def test_optimize_lowers_the_cost_and_leaves_the_callers_w_alone():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 7))
    Y = (X[:1] > 0).astype(float)
    w, b = logistic.initialize_with_zeros(3)
    params, grads, costs = logistic.optimize(w, b, X, Y, num_iterations=201, learning_rate=0.1)
    assert len(costs) == 3 and costs[0] > costs[-1]
    assert not w.any() and params["w"].shape == (3, 1)


def test_predict_is_one_strictly_above_a_half():
    w, b = np.zeros((2, 1)), 0.0
    assert logistic.predict(w, b, np.ones((2, 3))).tolist() == [[0.0, 0.0, 0.0]]  # σ(0) = 0.5 is not > 0.5
    assert logistic.predict(np.ones((2, 1)), b, np.array([[1.0, -1.0], [0.0, 0.0]])).tolist() == [[1.0, 0.0]]


def test_model_returns_the_notebooks_dict():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 6))
    d = logistic.model(X, (X[:1] > 0) * 1.0, X[:, :2], np.ones((1, 2)), num_iterations=10, learning_rate=0.1)
    assert set(d) == {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b", "learning_rate", "num_iterations"}
    assert d["Y_prediction_test"].shape == (1, 2) and d["Y_prediction_train"].shape == (1, 6)


def test_planar_initialize_parameters_draws_the_2017_notebooks_numbers():
    p = planar.initialize_parameters(2, 4, 1)
    np.testing.assert_allclose(p["W1"][0], [-0.00416758, -0.00056267], atol=1e-8)
    np.testing.assert_allclose(p["W2"][0, :2], [-0.01057952, -0.00909008], atol=1e-8)
    assert p["b1"].shape == (4, 1) and not p["b2"].any()


def test_planar_initialize_parameters_leaves_the_global_stream_alone():
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    planar.initialize_parameters(3, 2, 1)
    assert np.random.rand() == expected


@settings(max_examples=20, deadline=None)
@given(sizes, sizes, st.integers(1, 3), sizes, st.integers(0, 2**16))
def test_planar_backward_is_the_gradient_of_the_cost(n_x, n_h, n_y, m, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((n_x, m)), (rng.random((n_y, m)) > 0.5).astype(float)
    params = planar.initialize_parameters(n_x, n_h, n_y, rng=np.random.RandomState(seed))
    params = {k: v + rng.standard_normal(v.shape) for k, v in params.items()}  # away from the symmetric start
    J = lambda p: planar.compute_cost(planar.forward_propagation(X, p)[0], Y)  # noqa: E731
    A2, cache = planar.forward_propagation(X, params)
    grads = planar.backward_propagation(params, cache, X, Y)
    numeric = numeric_gradients(J, params)
    for name in params:
        assert grads["d" + name].shape == params[name].shape
        assert_close(grads["d" + name], numeric[name], J(params))


def test_nn_model_editions_start_from_their_own_seeds_and_learn():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 40))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    old = planar.nn_model(X, Y, 4, num_iterations=0, edition="2017")
    new = planar.nn_model(X, Y, 4, num_iterations=0, edition="2021")
    np.testing.assert_array_equal(old["W1"], planar.initialize_parameters(2, 4, 1)["W1"])
    np.testing.assert_array_equal(new["W1"], np.random.RandomState(3).randn(4, 2) * 0.01)
    trained = planar.nn_model(X, Y, 4, num_iterations=300)
    cost = lambda p: planar.compute_cost(planar.forward_propagation(X, p)[0], Y)  # noqa: E731
    assert cost(trained) < cost(new)
    assert planar.predict(trained, X).dtype == bool


def test_update_parameters_leaves_the_callers_arrays_alone():
    params = planar.initialize_parameters(2, 3, 1)
    before = {k: v.copy() for k, v in params.items()}
    grads = {"d" + k: np.ones_like(v) for k, v in params.items()}
    new = planar.update_parameters(params, grads, learning_rate=0.5)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
        np.testing.assert_allclose(new[k], before[k] - 0.5)


def test_course_initializers_draw_the_notebooks_numbers():
    he = course_inits.initialize_parameters_he([2, 4, 1])
    np.testing.assert_allclose(he["W1"][:2], [[1.78862847, 0.43650985], [0.09649747, -1.8634927]], atol=1e-8)
    random = course_inits.initialize_parameters_random([3, 2, 1])
    np.testing.assert_allclose(random["W1"][0], [17.88628473, 4.36509851, 0.96497468], atol=1e-7)
    two = course_inits.initialize_parameters(3, 2, 1)
    np.testing.assert_allclose(two["W1"][0], [0.01624345, -0.00611756, -0.00528172], atol=1e-8)
    np.testing.assert_allclose(two["W2"], [[0.01744812, -0.00761207]], atol=1e-8)


@given(st.lists(st.integers(1, 6), min_size=2, max_size=5))
def test_course_initializers_follow_the_shape_rules(layers_dims):
    for init in (course_inits.initialize_parameters_zeros, course_inits.initialize_parameters_random, course_inits.initialize_parameters_he):
        p = init(layers_dims)
        assert len(p) == 2 * (len(layers_dims) - 1)
        for l in range(1, len(layers_dims)):  # noqa: E741
            assert p[f"W{l}"].shape == (layers_dims[l], layers_dims[l - 1])
            assert p[f"b{l}"].shape == (layers_dims[l], 1) and not p[f"b{l}"].any()


def test_two_layer_and_L_layer_models_start_from_the_notebooks_seeds_and_learn():
    from shapecheck.engine import dnn_app

    rng = np.random.default_rng(3)
    X = rng.standard_normal((4, 30))
    Y = (X[:1] + X[1:2] > 0).astype(float)
    start, _ = dnn_app.two_layer_model(X, Y, (4, 3, 1), num_iterations=0)
    np.testing.assert_array_equal(start["W1"], course_inits.initialize_parameters(4, 3, 1)["W1"])
    deep, _ = dnn_app.L_layer_model(X, Y, [4, 5, 3, 1], num_iterations=0)
    assert deep["W2"].shape == (3, 5) and deep["W3"].shape == (1, 3)
    np.testing.assert_array_equal(deep["W1"], np.random.RandomState(1).randn(5, 4) / 2.0)
    trained, costs = dnn_app.L_layer_model(X, Y, [4, 5, 3, 1], learning_rate=0.1, num_iterations=301)
    assert len(costs) == 4 and costs[-1] < costs[0]
    assert dnn_app.predict(X, Y, trained).shape == (1, 30)
