"""The three-layer network with L2 and dropout, and the gradient-checking notebook: finite differences and the notebook's numbers."""

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from shapecheck.engine import dropout, gradient_checking, regularization, three_layer

from course_numerics import numeric_gradients
from finite_differences import assert_close, cross_entropy_rounding, step_for

WEIGHTS = ("W1", "b1", "W2", "b2", "W3", "b3")


def three_layer_case(seed, n=(3, 4, 2, 1), m=5):
    rng = np.random.RandomState(seed)
    params = {}
    for l in (1, 2, 3):  # noqa: E741
        params[f"W{l}"] = rng.randn(n[l], n[l - 1]) * 0.5  # A3 away from 1: log(1 − A3) of a rounded A3 is noise
        params[f"b{l}"] = rng.randn(n[l], 1) * 0.5
    return rng.randn(n[0], m), (rng.rand(1, m) > 0.5).astype(float), params


def away_from_kinks(Z1, Z2):
    """A ReLU has no derivative at 0: a centered difference that crosses it is no evidence either way."""
    return min(np.abs(Z1).min(), np.abs(Z2).min()) > 1e-4


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16), st.sampled_from([0.0, 0.1, 0.7]))
def test_backward_with_regularization_is_the_gradient_of_the_regularized_cost(seed, lambd):
    X, Y, params = three_layer_case(seed)
    J = lambda p: regularization.compute_cost_with_regularization(three_layer.forward_propagation(X, p)[0], Y, p, lambd)  # noqa: E731
    A3, cache = three_layer.forward_propagation(X, params)
    assume(away_from_kinks(cache[0], cache[4]))
    grads = regularization.backward_propagation_with_regularization(X, Y, cache, lambd)
    scale = cross_entropy_rounding(A3, Y, J(params))  # the same cross-entropy as the dropout test's
    eps = step_for(scale, J(params))
    numeric = numeric_gradients(J, params, eps)
    for name in WEIGHTS:
        assert_close(grads["d" + name], numeric[name], scale, eps)
    if lambd > 0:  # the measure can fail: the backward without the (λ/m)·W[l] term does
        plain = three_layer.backward_propagation(X, Y, cache)
        with pytest.raises(AssertionError):
            for name in ("W1", "W2", "W3"):
                assert_close(plain["d" + name], numeric[name], scale, eps)


def test_the_l2_term_is_lambda_over_2m_times_the_squared_weights():
    params = {"W1": np.ones((2, 3)), "b1": np.ones((2, 1)) * 100, "W2": np.full((1, 2), 2.0)}
    assert regularization.l2_cost(params, lambd=0.5, m=4) == pytest.approx(0.5 / (2 * 4) * (6 + 8))  # b is not regularized
    np.testing.assert_allclose(regularization.l2_gradient(params["W2"], 0.5, 4), 0.5 / 4 * params["W2"])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16), st.sampled_from([0.5, 0.86, 1.0]))
@example(seed=39, keep_prob=0.5)  # A3 = 0.99998755 with Y = 0: J rounds at 8e4 · 2⁻⁵², not 2.9 · 2⁻⁵²
def test_backward_with_dropout_is_the_gradient_of_the_cost_with_the_same_masks(seed, keep_prob):
    X, Y, params = three_layer_case(seed)
    J = lambda p: three_layer.compute_cost(dropout.forward_propagation_with_dropout(X, p, keep_prob)[0], Y)  # noqa: E731
    A3, cache = dropout.forward_propagation_with_dropout(X, params, keep_prob)
    assume(away_from_kinks(cache[0], cache[5]))
    grads = dropout.backward_propagation_with_dropout(X, Y, cache, keep_prob)
    scale = cross_entropy_rounding(A3, Y, J(params))  # the 1/keep_prob rescaling can saturate A3 near 1
    eps = step_for(scale, J(params))
    numeric = numeric_gradients(J, params, eps)
    for name in WEIGHTS:
        assert_close(grads["d" + name], numeric[name], scale, eps)


def test_dropout_masks_are_the_notebooks_seeded_draws_and_scale_by_keep_prob():
    X, Y, params = three_layer_case(0, m=6)
    _, cache = dropout.forward_propagation_with_dropout(X, params, keep_prob=0.7)
    Z1, D1, A1 = cache[:3]
    np.random.seed(1)
    expected_D1 = np.random.rand(*A1.shape) < 0.7
    np.testing.assert_array_equal(D1, expected_D1)
    np.testing.assert_allclose(A1, np.maximum(Z1, 0) * expected_D1 / 0.7)
    assert dropout.forward_propagation_with_dropout(X, params, keep_prob=1.0)[1][1].all()  # keep_prob 1 keeps every unit


def test_keep_prob_one_is_the_plain_network():
    X, Y, params = three_layer_case(3)
    A3_dropout, _ = dropout.forward_propagation_with_dropout(X, params, keep_prob=1.0)
    np.testing.assert_allclose(A3_dropout, three_layer.forward_propagation(X, params)[0])


def notebook_gradient_check_case():
    """gradient_check_n_test_case of the notebook's testCases."""
    np.random.seed(1)
    x = np.random.randn(4, 3)
    y = np.array([1, 1, 0])
    params = {"W1": np.random.randn(5, 4), "b1": np.random.randn(5, 1), "W2": np.random.randn(3, 5),
              "b2": np.random.randn(3, 1), "W3": np.random.randn(1, 3), "b3": np.random.randn(1, 1)}
    return x, y, params


def test_the_shipped_backward_propagation_n_gives_the_notebooks_0_285():
    X, Y, params = notebook_gradient_check_case()
    _, cache = gradient_checking.forward_propagation_n(X, Y, params)
    shipped = gradient_checking.backward_propagation_n_as_shipped(X, Y, cache)
    assert gradient_checking.gradient_check_n(params, shipped, X, Y) == pytest.approx(0.2850931567761624, rel=1e-6)
    correct = gradient_checking.backward_propagation_n(X, Y, cache)
    assert gradient_checking.gradient_check_n(params, correct, X, Y) < 2e-7


def test_gradient_check_passes_theta_times_x_and_fails_a_wrong_derivative(monkeypatch):
    assert gradient_checking.gradient_check(2.0, 4.0) < 1e-7
    monkeypatch.setattr(gradient_checking, "backward_propagation", lambda x, theta: x + 1)
    assert gradient_checking.gradient_check(2.0, 4.0) > 0.1


@given(st.integers(0, 2**16))
def test_vector_helpers_are_inverse(seed):
    _, _, params = three_layer_case(seed, n=gradient_checking.LAYER_DIMS)
    theta, keys = gradient_checking.dictionary_to_vector(params)
    assert theta.shape == (47, 1) and keys[:21] == ["W1"] * 20 + ["b1"]
    back = gradient_checking.vector_to_dictionary(theta)
    for k in WEIGHTS:
        np.testing.assert_array_equal(back[k], params[k])
    grads = {"d" + k: v for k, v in params.items()} | {"dZ1": np.ones(3)}
    np.testing.assert_array_equal(gradient_checking.gradients_to_vector(grads), theta)
