"""The dense engine: backward is the gradient of forward's cost, stably, and shape errors are the tracer's."""

import json
import math
import warnings

import numpy as np
import pytest
import typer
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import shapecheck as sc
from shapecheck import strategies as sst
from shapecheck.engine import data
from shapecheck.engine.dense import compute_cost, predict
from shapecheck.engine.losses import BCE, CCE, MSE, loss_derivative
from shapecheck.core.messages import msg
from shapecheck.spec.networks import ACTIVATIONS, dense_net

from finite_differences import assert_close, centered_differences


def strict_numerics():
    """Overflow, division by zero and invalid values raise; underflow to 0 is rounding, not an error."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


# --- building cases -------------------------------------------------------------------------------


@st.composite
def cases(draw, max_layers=4, max_units=5, max_m=5):
    """(spec, loss, m, seed, soft): every activation in every layer, a loss that fits the output."""
    spec = draw(sst.dense_specs(hidden=ACTIVATIONS, outputs=ACTIVATIONS, max_layers=max_layers, max_units=max_units))
    output = spec.activations[-1]
    loss = draw(st.sampled_from((BCE, CCE, MSE) if output in ("sigmoid", "softmax") else (MSE,)))
    return spec, loss, draw(st.integers(1, max_m)), draw(sst.seeds()), draw(st.booleans())


def make_case(spec, loss, m, seed, soft=False):
    """params with Z of order 1 in every layer; X (n0, m); Y (n[L], m) that fits the loss."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, spec.L + 1):
        params[f"W{l}"] = rng.standard_normal((spec.n(l), spec.n(l - 1))) * 1.5 / math.sqrt(spec.n(l - 1))
        params[f"b{l}"] = rng.standard_normal((spec.n(l), 1)) * 0.5
    X = rng.standard_normal((spec.n(0), m))
    n_L = spec.n(spec.L)
    if loss == MSE:
        Y = rng.standard_normal((n_L, m))
    elif soft:  # soft labels: the formulas must be exact for any Y, not only for 0/1 and one-hot
        Y = rng.random((n_L, m))
    elif loss == BCE:
        Y = rng.integers(0, 2, (n_L, m)).astype(np.float64)
    else:
        Y = np.eye(n_L)[:, rng.integers(0, n_L, m)]  # one-hot columns
    return params, X, Y


EXACT_FROM_Z = {("sigmoid", BCE), ("softmax", CCE)}


def cost_of(spec, params, X, Y, loss):
    """J, from Z[L] where the loss allows it: from A[L], 1 − A[L] cancels when A[L] is near 1."""
    AL, caches = sc.forward(spec, params, X)
    exact = (spec.activations[-1], loss) in EXACT_FROM_Z
    return compute_cost(AL, Y, loss, ZL=caches[-1][1] if exact else None)


def rounding_scale(spec, AL, Y, loss):
    """How far rounding can move the J we difference: |J|, plus Σ |∂J/∂A[L]|·|A[L]| when J comes from A[L]."""
    m = AL.shape[1]
    if (spec.activations[-1], loss) in EXACT_FROM_Z:
        return abs(compute_cost(AL, Y, loss))
    return abs(compute_cost(AL, Y, loss)) + float(np.sum(np.abs(loss_derivative(loss, AL, Y) * AL)) / m)


def kinked_Z_near_zero(spec, caches):
    """Whether a ReLU or leaky ReLU layer has a Z so close to 0 that a finite difference could cross the kink."""
    return any(
        g in ("relu", "leaky_relu") and np.abs(Z).min() < 1e-4 for g, (_, Z) in zip(spec.activations, caches)
    )


def tail(spec, params, l):
    """Layers l+1..L as a network of their own, whose input is A[l]."""
    rest = dense_net(spec.layer_dims[l:], activations=spec.activations[l:])
    return rest, {f"{k[0]}{int(k[1:]) - l}": v for k, v in params.items() if int(k[1:]) > l}


# --- gradients --------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(cases())
@example((dense_net([1, 1]), BCE, 1, 0, False))  # the smallest net a student can read, one example
@example((dense_net([3, 1], output="linear"), MSE, 1, 1, False))  # L = 1, m = 1
@example((dense_net([4, 3, 2], hidden="tanh", output="softmax"), CCE, 5, 2, False))  # non-square, m > 1
@example((dense_net([2, 5, 3], hidden="leaky_relu", output="softmax"), CCE, 4, 3, True))  # soft labels: Σ Y ≠ 1
@example((dense_net([5, 1, 3, 4, 2], activations=("relu", "relu", "linear", "sigmoid")), BCE, 1, 1479783, False))  # AL ≈ 1
def test_backward_is_the_centered_difference_of_the_cost(case):
    spec, loss, m, seed, soft = case
    params, X, Y = make_case(spec, loss, m, seed, soft)
    AL, caches = sc.forward(spec, params, X)
    assume(not kinked_Z_near_zero(spec, caches))
    grads = sc.backward(spec, AL, Y, caches, loss=loss)
    scale = rounding_scale(spec, AL, Y, loss)

    analytic, numeric = [], []
    for name, value in params.items():
        numeric.append(centered_differences(lambda: cost_of(spec, params, X, Y, loss), value).ravel())
        analytic.append(grads["d" + name].ravel())
    assert_close(np.concatenate(analytic), np.concatenate(numeric), scale)

    # dA[l] is m·∂J/∂A[l] (the course's dA has no 1/m): check it through the rest of the network
    assert_close(grads["dA0"] / m, centered_differences(lambda: cost_of(spec, params, X, Y, loss), X), scale)
    for l in range(1, spec.L):
        rest, rest_params = tail(spec, params, l)
        A = caches[l][0][0].copy()
        assert_close(grads[f"dA{l}"] / m, centered_differences(lambda: cost_of(rest, rest_params, A, Y, loss), A), scale)


@settings(max_examples=20, deadline=None)
@given(cases())
def test_grads_have_the_course_keys_and_the_parameters_shapes(case):
    spec, loss, m, seed, soft = case
    params, X, Y = make_case(spec, loss, m, seed, soft)
    AL, caches = sc.forward(spec, params, X)
    grads = sc.backward(spec, AL, Y, caches, loss=loss)
    L = spec.L
    assert set(grads) == {f"dA{l - 1}" for l in range(1, L + 1)} | {f"d{p}{l}" for p in "Wb" for l in range(1, L + 1)}
    for name, value in params.items():
        assert grads["d" + name].shape == value.shape and grads["d" + name].dtype == np.float64
    for l in range(L):
        assert grads[f"dA{l}"].shape == (spec.n(l), m)
    without = sc.backward(spec, AL, Y, caches, loss=loss, with_dA0=False)
    assert set(grads) - set(without) == {"dA0"}
    np.testing.assert_array_equal(without[f"dW{L}"], grads[f"dW{L}"])


def test_default_loss_follows_the_output_activation():
    for output, loss in (("sigmoid", BCE), ("softmax", CCE), ("linear", MSE), ("tanh", MSE)):
        spec = dense_net([3, 4, 2], output=output)
        params, X, Y = make_case(spec, loss, 4, 1)
        AL, caches = sc.forward(spec, params, X)
        default = sc.backward(spec, AL, Y, caches)
        explicit = sc.backward(spec, AL, Y, caches, loss=loss)
        other = sc.backward(spec, AL, Y, caches, loss=MSE if loss != MSE else None)
        np.testing.assert_array_equal(default["dW1"], explicit["dW1"])
        assert loss == MSE or not np.allclose(default["dW1"], other["dW1"])


def test_caches_are_the_course_linear_and_activation_caches():
    spec = dense_net([3, 4, 2, 1])
    params, X, Y = make_case(spec, BCE, 5, 0)
    AL, caches = sc.forward(spec, params, X)
    assert len(caches) == spec.L
    (A_prev, W, b), Z = caches[0]
    np.testing.assert_array_equal(A_prev, X)
    assert W is params["W1"] and b is params["b1"]  # no copies of float64 arrays
    np.testing.assert_allclose(Z, params["W1"] @ X + params["b1"], rtol=1e-15)
    np.testing.assert_allclose(caches[1][0][0], np.maximum(Z, 0), rtol=1e-15)  # A1 = relu(Z1)
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-caches[-1][1])), rtol=1e-14)


def test_the_engine_computes_in_float64_whatever_it_is_given():
    spec = dense_net([3, 2, 1])
    params = {k: v.astype(np.float32) for k, v in sc.init_params(spec, seed=0, method="he").items()}
    X = np.arange(6).reshape(3, 2)  # integers
    AL, caches = sc.forward(spec, params, X)
    grads = sc.backward(spec, AL, np.ones((1, 2), dtype=np.int64), caches)
    assert AL.dtype == np.float64 and all(g.dtype == np.float64 for g in grads.values())


# --- stability ------------------------------------------------------------------------------------------


def saturating_case(hidden, output):
    """A two-layer net whose Z are ±1000 in both layers, labelled against the output's guess (the worst cost)."""
    spec = dense_net([2, 2, 2], hidden=hidden, output=output)
    X = np.array([[1.0, -1.0], [0.0, 0.0]])  # (2, m=2)
    W1 = np.array([[1e3, 0.0], [-1e3, 0.0]])
    A1 = sc.forward(dense_net([2, 2], output=hidden), {"W1": W1, "b1": np.zeros((2, 1))}, X)[0]
    W2 = np.array([[1.0, -1.0], [-1.0, 1.0]]) * (1e3 / np.abs(A1 @ np.array([1.0, -1.0])).max())
    params = {"W1": W1, "b1": np.zeros((2, 1)), "W2": W2, "b2": np.zeros((2, 1))}
    return spec, params, X


PAIRS = [("sigmoid", BCE), ("softmax", CCE), ("linear", MSE), ("sigmoid", MSE), ("softmax", BCE), ("tanh", MSE), ("sigmoid", CCE)]


@pytest.mark.parametrize("hidden", ACTIVATIONS)
@pytest.mark.parametrize("output, loss", PAIRS)
def test_no_overflow_no_log_of_zero_at_z_of_a_thousand(hidden, output, loss):
    spec, params, X = saturating_case(hidden, output)
    with warnings.catch_warnings(), strict_numerics():
        warnings.simplefilter("error")
        AL, caches = sc.forward(spec, params, X)
        ZL = caches[-1][1]
        assert np.abs(ZL).max() == pytest.approx(1e3)
        Y = (ZL < 0).astype(np.float64)  # every label disagrees with a saturated output
        if loss == CCE:
            Y = np.eye(2)[:, np.argmin(ZL, axis=0)]
        grads = sc.backward(spec, AL, Y, caches, loss=loss)
        J = compute_cost(AL, Y, loss)
    assert np.isfinite(J) and J > 0
    assert all(np.isfinite(g).all() for g in grads.values())


def test_cost_from_ZL_is_exact_when_the_output_saturates():
    ZL = np.array([[1e3, -1e3, 2.0]])
    AL = 1 / (1 + np.exp(-np.clip(ZL, -700, 700)))
    Y = np.array([[0.0, 1.0, 1.0]])
    with strict_numerics():
        exact = compute_cost(AL, Y, BCE, ZL=ZL)
        clipped = compute_cost(AL, Y, BCE)
    assert exact == pytest.approx((1e3 + 1e3 + math.log1p(math.exp(-2.0))) / 3, rel=1e-15)
    assert clipped < exact  # from AL alone, log(1 − AL) is bounded by log(2⁻⁵³): J is finite but too small
    Z = np.array([[1e3, 0.0], [-1e3, 0.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    AL = np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)
    assert compute_cost(AL, Y, CCE, ZL=Z) == pytest.approx((2e3 + math.log(2)) / 2, rel=1e-15)


def test_compute_cost_is_the_course_formula_in_the_normal_range():
    AL = np.array([[0.8, 0.1, 0.6]])
    Y = np.array([[1.0, 0.0, 1.0]])
    expected = -(math.log(0.8) + math.log(0.9) + math.log(0.6)) / 3
    assert compute_cost(AL, Y) == pytest.approx(expected, rel=1e-15)
    ZL = np.log(AL / (1 - AL))  # σ⁻¹
    assert compute_cost(AL, Y, ZL=ZL) == pytest.approx(expected, rel=1e-13)
    assert compute_cost(AL, Y, "mse") == pytest.approx((0.04 + 0.01 + 0.16) / (2 * 3), rel=1e-15)


# --- shape errors are the tracer's ---------------------------------------------------------------------------


SPEC = dense_net([6, 5, 3, 1])


def valid():
    params, X, Y = make_case(SPEC, BCE, 7, 0)
    return params, X, Y


def error_of(call):
    with pytest.raises(sc.ShapecheckError) as info:
        call()
    return str(info.value)


def test_a_transposed_W_is_explained_by_the_rule_of_W():
    params, X, _ = valid()
    params["W2"] = params["W2"].T
    text = error_of(lambda: sc.forward(SPEC, params, X))
    assert "W[l] is (n[l], n[l-1])" in text and msg("rules.W") in text and "W2" in text and "transposed" in text


def test_a_rank1_b_is_caught_even_where_numpy_would_broadcast_it_silently():
    spec = dense_net([4, 3, 1])
    params, X, _ = make_case(spec, BCE, 3, 0)  # m = 3 = n1: Z1 (3, 3) + b1 (3,) runs in numpy, wrongly
    params["b1"] = params["b1"].ravel()
    text = error_of(lambda: sc.forward(spec, params, X))
    assert "b[l] is (n[l], 1)" in text and msg("rules.b") in text and "b1" in text and "rank-1" in text


def test_a_transposed_X_is_explained_by_the_rule_of_X():
    params, X, _ = valid()
    text = error_of(lambda: sc.forward(SPEC, params, X.T))
    assert msg("rules.X") in text and "X" in text


def test_Y_with_another_m_names_both_places():
    params, X, Y = valid()
    AL, caches = sc.forward(SPEC, params, X)
    text = error_of(lambda: sc.backward(SPEC, AL, Y[:, :6], caches))
    assert "m is 7 in X but 6 in Y" in text


def test_a_rank1_Y_is_explained_by_the_rule_of_Y():
    params, X, Y = valid()
    AL, caches = sc.forward(SPEC, params, X)
    text = error_of(lambda: sc.backward(SPEC, AL, Y.ravel(), caches))
    assert msg("rules.Y") in text and "rank-1" in text


def test_meta_the_shape_tests_would_see_numpy_s_own_error_without_the_check():
    """Without the tracer, the same transposed W2 fails inside numpy with its own words: the tests above can fail."""
    params, X, _ = valid()
    with pytest.raises(ValueError) as info:
        params["W2"].T @ np.maximum(params["W1"] @ X + params["b1"], 0)
    assert "W[l]" not in str(info.value) and not isinstance(info.value, sc.ShapecheckError)


def test_wrong_caches_and_losses_are_one_sentence():
    params, X, Y = valid()
    AL, caches = sc.forward(SPEC, params, X)
    assert "L = 3" in error_of(lambda: sc.backward(SPEC, AL, Y, caches[:2]))
    assert "hinge" in error_of(lambda: sc.backward(SPEC, AL, Y, caches, loss="hinge"))
    tanh_out = dense_net([6, 5, 3, 1], output="tanh")
    assert "tanh" in error_of(lambda: sc.backward(tanh_out, AL, Y, caches, loss="bce"))
    assert "(m, m)" in error_of(lambda: compute_cost(AL, Y.T))
    assert "glorot" in error_of(lambda: sc.init_params(SPEC, method="glorot"))


# --- never mutate, learn ----------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(cases(max_layers=3))
def test_nothing_the_user_passes_is_written(case):
    spec, loss, m, seed, soft = case
    params, X, Y = make_case(spec, loss, m, seed, soft)
    before = {k: v.copy() for k, v in params.items()}, X.copy(), Y.copy()
    AL, caches = sc.forward(spec, params, X)
    AL_before = AL.copy()
    grads = sc.backward(spec, AL, Y, caches, loss=loss)
    grads_before = {k: v.copy() for k, v in grads.items()}
    compute_cost(AL, Y, loss)
    new = sc.update_params(params, grads, 0.1)
    for name in params:
        np.testing.assert_array_equal(params[name], before[0][name])
        np.testing.assert_array_equal(grads["d" + name], grads_before["d" + name])
        np.testing.assert_allclose(new[name], params[name] - 0.1 * grads["d" + name], rtol=1e-15)
    np.testing.assert_array_equal(X, before[1])
    np.testing.assert_array_equal(Y, before[2])
    np.testing.assert_array_equal(AL, AL_before)
    assert new is not params


def test_update_params_refuses_a_rank1_db_with_the_rule():
    params, X, Y = valid()
    AL, caches = sc.forward(SPEC, params, X)
    grads = sc.backward(SPEC, AL, Y, caches)
    grads["db2"] = grads["db2"].ravel()
    text = error_of(lambda: sc.update_params(params, grads, 0.01))
    assert "db2" in text and msg("rules.db") in text


def test_train_lowers_the_cost_on_the_demo_data_and_learns_the_flower():
    X, Y = data.make_flower(m=200, seed=0)
    spec = dense_net([2, 8, 1], hidden="tanh")
    seen = []
    params, costs = sc.train(spec, X, Y, learning_rate=1.2, iterations=1000, print_every=100, init="xavier",
                             callback=lambda i, cost: seen.append(i))
    assert len(costs) == 10 and seen == list(range(0, 1000, 100))
    assert costs[-1] < 0.6 * costs[0]
    assert np.mean(predict(spec, params, X) == Y) > 0.8
    again, costs_again = sc.train(spec, X, Y, learning_rate=1.2, iterations=1000, print_every=100, init="xavier")
    assert costs_again == costs  # seeded: the same run twice


def test_train_follows_the_course_loop():
    """costs[0] is the cost of init_params(spec, seed, init); one step is one update_params of backward's grads."""
    X, Y = data.make_moons(m=30, seed=1)
    spec = dense_net([2, 3, 1])
    params0 = sc.init_params(spec, seed=5, method="he")
    AL, caches = sc.forward(spec, params0, X)
    step = sc.update_params(params0, sc.backward(spec, AL, Y, caches), 0.3)
    params1, costs = sc.train(spec, X, Y, learning_rate=0.3, iterations=1, seed=5, init="he")
    assert costs == [pytest.approx(compute_cost(AL, Y), rel=1e-14)]
    for name in step:
        np.testing.assert_allclose(params1[name], step[name], rtol=1e-14)


def test_train_can_print_the_course_s_cost_lines(capsys):
    X, Y = data.make_linear(m=20, seed=0)
    _, costs = sc.train([2, 1], X, Y, learning_rate=0.5, iterations=3, print_every=2, print_cost=True)
    assert capsys.readouterr().out.splitlines() == [f"Cost after iteration {i}: {c:.6f}" for i, c in zip((0, 2), costs)]


def test_predict_thresholds_a_sigmoid_and_one_hots_a_softmax():
    spec = dense_net([2, 1])
    params = {"W1": np.array([[1.0, 0.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[-2.0, 0.5, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(predict(spec, params, X), [[0.0, 1.0, 1.0]])
    softmax_net = dense_net([2, 3], output="softmax")
    params = {"W1": np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), "b1": np.zeros((3, 1))}
    X = np.array([[2.0, 0.0, -1.0], [0.0, 2.0, -1.0]])
    np.testing.assert_array_equal(predict(softmax_net, params, X), np.eye(3))


# --- initialisation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, scale", [("course", lambda n: 0.01), ("he", lambda n: math.sqrt(2 / n)), ("xavier", lambda n: math.sqrt(1 / n))])
def test_init_scales_W_and_zeroes_b(method, scale):
    params = sc.init_params([400, 300, 1], seed=0, method=method)
    assert params["W1"].shape == (300, 400) and params["b1"].shape == (300, 1) and params["W2"].shape == (1, 300)
    assert params["W1"].std() == pytest.approx(scale(400), rel=0.02)
    assert not params["b1"].any() and not params["b2"].any()


def test_init_is_seeded():
    a, b, c = (sc.init_params(SPEC, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a["W2"], b["W2"])
    assert not np.array_equal(a["W2"], c["W2"])
    np.testing.assert_array_equal(sc.init_params([6, 5, 3, 1], seed=3)["W1"], a["W1"])  # a list is dense_net(list)


# --- data sets ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [data.make_flower, data.make_moons, data.make_circles, data.make_linear])
def test_data_sets_are_seeded_float64_columns_with_both_labels(make):
    X, Y = make(m=41, seed=7)
    assert X.shape == (2, 41) and Y.shape == (1, 41) and X.dtype == Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0} and abs(Y.sum() - 41 / 2) <= 1
    X2, Y2 = make(m=41, seed=7)
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, make(m=41, seed=8)[0])


def test_make_linear_is_separable_by_a_plane():
    """The perceptron converges on separable data: it must find a plane that makes no mistake."""
    X, Y = data.make_linear(m=200, n_x=3, seed=2, margin=0.1)
    signs = 2 * Y - 1  # (1, m)
    w = np.zeros((3, 1))
    for _ in range(1000):  # Novikoff: at most (R/margin)² ≈ 400 mistakes, R ≤ √3·1.1
        wrong = np.flatnonzero(signs * (w.T @ X) <= 0)
        if wrong.size == 0:
            break
        w += signs[0, wrong[0]] * X[:, wrong[:1]]
    assert np.all(signs * (w.T @ X) > 0)


def test_split_keeps_every_column_once_and_leaves_the_input_alone():
    X, Y = data.make_moons(m=50, seed=0)
    X_before = X.copy()
    X_train, Y_train, X_test, Y_test = data.split(X, Y, test_fraction=0.2, seed=1)
    assert X_train.shape == (2, 40) and X_test.shape == (2, 10) and Y_train.shape == (1, 40) and Y_test.shape == (1, 10)
    together = np.hstack([np.vstack([X_train, Y_train]), np.vstack([X_test, Y_test])])
    original = np.vstack([X, Y])
    assert sorted(map(tuple, together.T)) == sorted(map(tuple, original.T))
    np.testing.assert_array_equal(X, X_before)
    for fraction in (0.0, 1.0, 0.001):
        assert "test_fraction" in error_of(lambda: data.split(X, Y, fraction))
    assert "m is 50 in X but 49 in Y" in error_of(lambda: data.split(X, Y[:, 1:]))


# --- shapecheck demo dense --------------------------------------------------------------------------------------------


def demo_app():
    """The real application: `demo dense` with its error boundary."""
    from shapecheck.cli.app import app

    return app


runner = CliRunner()


def test_demo_dense_json_has_falling_costs_and_the_accuracy():
    result = runner.invoke(demo_app(), ["demo", "dense", "--dims", "2", "8", "4", "1", "--iterations", "400",
                                        "--print-every", "100", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dims"] == [2, 8, 4, 1]
    assert [c["iteration"] for c in report["costs"]] == [0, 100, 200, 300, 400]
    assert report["costs"][-1]["cost"] < report["costs"][0]["cost"]
    assert 0.5 < report["train_accuracy"] <= 1.0


def test_demo_dense_prints_the_cost_table():
    result = runner.invoke(demo_app(), ["demo", "dense", "--dims", "2,6,1", "--data", "moons", "--iterations", "200",
                                        "--print-every", "50"])
    assert result.exit_code == 0, result.output
    for row in ("Iteration", "Cost J", "150", "200", "Train accuracy", "moons"):
        assert row in result.stdout


@pytest.mark.parametrize("args, words", [
    (["--dims", "3", "5", "1"], "n0 = 2"),
    (["--data", "spiral"], "spiral"),
    (["--iterations", "0"], "iterations"),
    (["--dims", "2", "-4", "1"], "n1 = -4"),
    (["4", "1"], "--dims"),
])
def test_demo_dense_bad_input_is_one_line_and_exit_2(args, words):
    result = runner.invoke(demo_app(), ["demo", "dense", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr


@given(st.integers(0, 10_000), st.floats(0.1, 300.0))
@settings(max_examples=30, deadline=None)
def test_tunes_stacked_costs_are_the_engines_cost_from_logits_run_by_run(seed, scale):
    """Cross-entropy from Z[L] is written once (losses): tune's stacked runs record exactly train's J."""
    from shapecheck.engine.losses import training_cost
    from shapecheck.tune.kernel import _stacked_costs

    rng = np.random.default_rng(seed)
    ZL = rng.normal(size=(3, 1, 7)) * scale  # 3 runs of a sigmoid output, 7 examples; |z| up to ~1000
    Y = (rng.random((1, 7)) > 0.5) * 1.0
    AL = 1 / (1 + np.exp(-np.clip(ZL, -700, 700)))
    spec = dense_net([2, 1], output="sigmoid")
    stacked = _stacked_costs(spec, BCE, AL, Y, ZL)
    assert np.isfinite(stacked).all()
    assert stacked.tolist() == [training_cost("sigmoid", BCE, AL[r], Y, ZL[r]) for r in range(3)]


# --- masked arrays ---------------------------------------------------------------------------------


def _hiding(array, where):
    masked = np.ma.masked_array(array.copy(), mask=np.zeros(array.shape, bool))
    masked.mask[where] = True
    return masked


@pytest.mark.parametrize("name", ["X", "W1", "b2"])
def test_a_masked_array_that_hides_entries_is_refused_and_left_untouched(name):
    """The engine computes with every entry, the masked ones too: a mask would be ignored without a word. One
    that hides nothing is its data."""
    spec = [3, 4, 1]
    rng = np.random.default_rng(0)
    params, X = sc.init_params(spec), rng.standard_normal((3, 5))
    inputs = {"X": X, **params}
    masked = _hiding(inputs[name], (0, 0))
    data_before, mask_before = masked.data.copy(), masked.mask.copy()
    call = {"X": X, **params, name: masked}
    with pytest.raises(sc.ShapecheckError) as caught:
        sc.forward(spec, {k: v for k, v in call.items() if k != "X"}, call["X"])
    text = str(caught.value)
    assert f"{name} is a masked array with 1 of its {masked.size} entries masked" in text and f"{name}.filled(0)" in text
    assert np.array_equal(masked.data, data_before) and np.array_equal(masked.mask, mask_before)
    report = sc.check_data(dense_net(spec), {k: v for k, v in call.items() if k != "X"}, call["X"])
    assert [(p.kind, p.tensor) for p in report] == [("type", name)]
    nothing = np.ma.masked_array(inputs[name], mask=False)
    call[name] = nothing
    plain = sc.forward(spec, params, X)[0]
    np.testing.assert_array_equal(sc.forward(spec, {k: v for k, v in call.items() if k != "X"}, call["X"])[0], plain)
