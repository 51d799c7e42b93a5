"""sc.sweep: the numbers of separate sc.train runs, the tracer before any training, seeds, verdicts on the built-in sets."""

import importlib
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine.data import make_moons
from shapecheck.core.errors import ShapecheckError
from shapecheck.tune import BUILT_IN, sweep

sweep_module = importlib.import_module("shapecheck.tune.sweep")  # the package's ``sweep`` is the function


def moons(m=120, seed=0):
    return make_moons(m=m, seed=seed)


def separate_runs(spec, X, Y, rates, iterations, every, init="he", seed=0, loss=None):  # noqa: N803
    """The obvious loop: sc.train once per α."""
    out = []
    for alpha in rates:
        with np.errstate(all="ignore"):
            params, costs = sc.train(spec, X, Y, learning_rate=alpha, iterations=iterations, print_every=every,
                                     seed=seed, init=init, loss=loss)
        out.append((params, costs))
    return out


@pytest.mark.parametrize("stack, workers", [(True, 1), (True, 2), (False, 1)])  # one stack, two, none
@pytest.mark.parametrize("spec", [
    sc.dense_net([2, 7, 5, 1]),
    sc.dense_net([2, 6, 1], hidden="tanh"),
    sc.dense_net([2, 4, 3, 1], hidden="leaky_relu"),
    sc.dense_net([2, 5, 1], hidden="sigmoid", output="linear"),  # mean squared error
])
def test_every_run_equals_its_own_sc_train_number_for_number(spec, stack, workers):
    X, Y = moons()
    rates, iterations, every = [0.003, 0.1, 1.5], 150, 10
    report = sweep(spec, (X, Y), learning_rates=rates, iterations=iterations, every=every, test_fraction=0,
                   progress=False, stack=stack, workers=workers)
    for run, (params, costs) in zip(report.runs, separate_runs(spec, X, Y, rates, iterations, every)):
        ours = [c for i, c in run.costs if i < iterations]
        assert ours == costs  # exactly: the same operations in the same order
        assert run.costs[-1][0] == iterations
        for name in params:
            np.testing.assert_array_equal(run.params[name], params[name])


def test_a_loss_that_is_not_the_outputs_own_goes_through_da_and_still_matches():
    X, Y = moons()
    spec = sc.dense_net([2, 5, 1], hidden="tanh")  # sigmoid output, trained on mean squared error: dZ = dA ∗ σ'(Z)
    report = sweep(spec, (X, Y), learning_rates=[0.1, 3.0], iterations=80, every=8, test_fraction=0, loss="mse",
                   progress=False)
    for run, (params, costs) in zip(report.runs, separate_runs(spec, X, Y, [0.1, 3.0], 80, 8, loss="mse")):
        assert [c for i, c in run.costs if i < 80] == costs
        np.testing.assert_array_equal(run.params["W1"], params["W1"])
    assert report.loss == "mean_squared_error"


def test_a_softmax_network_trains_alone_with_the_same_numbers():
    X, y = moons()
    Y = np.vstack([1 - y, y])  # (2, m): one-hot, for a softmax over 2 classes
    spec = sc.dense_net([2, 5, 2], output="softmax")
    report = sweep(spec, (X, Y), learning_rates=[0.05, 0.5], iterations=60, every=20, test_fraction=0, progress=False)
    for run, (params, costs) in zip(report.runs, separate_runs(spec, X, Y, [0.05, 0.5], 60, 20)):
        assert [c for i, c in run.costs if i < 60] == costs
        np.testing.assert_array_equal(run.params["W2"], params["W2"])
        assert run.train_accuracy is not None


def test_a_run_that_blows_up_stops_at_its_first_nan_and_its_prefix_still_matches():
    X, Y = moons()
    spec = sc.dense_net([2, 4, 3, 1], hidden="leaky_relu")
    report = sweep(spec, (X, Y), learning_rates=[0.01, 60.0], iterations=300, every=10, test_fraction=0, progress=False)
    calm, wild = report.runs
    assert calm.stopped_at is None and wild.stopped_at is not None
    assert not math.isfinite(wild.final_cost) and wild.costs[-1][0] == wild.stopped_at
    assert wild.verdict == "diverged" and wild.reason == "not_finite"
    assert wild.train_accuracy is None  # NaN parameters predict nothing
    (_, costs), = separate_runs(spec, X, Y, [60.0], 300, 10)
    recorded = [c for i, c in wild.costs if i % 10 == 0]
    np.testing.assert_array_equal(recorded, costs[: len(recorded)])
    assert wild.to_json()["final_cost"] is None  # JSON has no NaN


# --- seeds -------------------------------------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(BUILT_IN))
def test_the_same_seed_gives_the_same_curves(seed, data):
    def run(s):
        return sweep([2, 5, 1], data, learning_rates=[0.01, 0.5], iterations=40, every=5, seed=s, m=60, progress=False)

    first, again, other = run(seed), run(seed), run(seed + 1)
    assert [r.costs for r in first.runs] == [r.costs for r in again.runs]
    assert first.to_json() == again.to_json()
    assert [r.costs for r in other.runs] != [r.costs for r in first.runs]  # the seed does reach the data and weights


def test_every_alpha_of_one_network_starts_from_the_same_cost():
    report = sweep([2, 6, 1], "moons", learning_rates=[0.001, 0.1, 1.0], iterations=20, every=5, m=80, progress=False)
    assert len({r.costs[0][1] for r in report.runs}) == 1


# --- the tracer first ------------------------------------------------------------------------------


@st.composite
def networks(draw):
    """Layer sizes [2, n1, ..., 1]: the built-in sets' ends; shrinks towards [2, 1]."""
    hidden = draw(st.lists(st.integers(1, 6), min_size=0, max_size=3))
    return [2, *hidden, 1]


@settings(max_examples=15, deadline=None)
@given(st.lists(networks(), min_size=1, max_size=3, unique_by=tuple),
       st.lists(st.sampled_from([0.001, 0.01, 0.1, 1.0]), min_size=1, max_size=3, unique=True))
def test_every_runs_shapes_were_checked_by_the_tracer_before_any_training(dims_list, rates):
    events = []
    real_check, real_train = sweep_module.check_data, sweep_module.train_stack

    def spy_check(network, params=None, X=None, Y=None):  # noqa: N803
        if params is not None:
            events.append(("check", network.layer_dims, {k: v.shape for k, v in params.items()}, X.shape, Y.shape))
        return real_check(network, params=params, X=X, Y=Y)

    def spy_train(network, params, X, Y, learning_rates, *args, **kwargs):  # noqa: N803
        events.append(("train", network.layer_dims, tuple(learning_rates)))
        return real_train(network, params, X, Y, learning_rates, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sweep_module, "check_data", spy_check)
        mp.setattr(sweep_module, "train_stack", spy_train)
        report = sweep(dims_list=dims_list, data="moons", learning_rates=rates, iterations=5, every=5, m=40, progress=False)
    for dims in dims_list:
        trained = [i for i, e in enumerate(events) if e[0] == "train" and e[1] == tuple(dims)]
        checks = [e for e in events[: trained[0]] if e[0] == "check" and e[1] == tuple(dims)]
        assert len(checks) == len(rates)  # one check per run, all before the network trains
        for _, _, shapes, x_shape, y_shape in checks:
            assert shapes == {**{f"W{l}": (dims[l], dims[l - 1]) for l in range(1, len(dims))},
                              **{f"b{l}": (dims[l], 1) for l in range(1, len(dims))}}
            assert x_shape == (2, 32) and y_shape == (1, 32)  # the 32 examples it learns from
    assert all(set(run.checked) >= {"W1", "b1", "X", "Y", "X_test", "Y_test"} for run in report.runs)


def test_meta_a_shape_the_tracer_rejects_stops_the_sweep_before_any_training(monkeypatch):
    trained = []
    monkeypatch.setattr(sweep_module, "train_stack", lambda *a, **k: trained.append(a) or [])
    X, Y = moons()
    with pytest.raises(ShapecheckError, match=r"X has shape \(120, 2\).*transposed"):
        sweep([2, 5, 1], (X.T, Y), learning_rates=[0.1], iterations=5, progress=False)
    with pytest.raises(ShapecheckError, match=r"m is 120 in X but 119 in Y"):
        sweep([2, 5, 1], (X, Y[:, 1:]), learning_rates=[0.1], iterations=5, progress=False)
    assert trained == []


def test_the_users_arrays_are_not_changed():
    X, Y = moons()
    X_before, Y_before = X.copy(), Y.copy()
    sweep([2, 5, 1], (X, Y), learning_rates=[0.1, 1.0], iterations=30, progress=False)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(Y, Y_before)


def test_integer_arrays_are_read_as_float64():
    X, Y = moons()
    report = sweep([2, 5, 1], ((X * 10).astype(int), Y.astype(int)), learning_rates=[0.01], iterations=30,
                   progress=False)
    assert math.isfinite(report.runs[0].final_cost)


# --- the acceptance: the built-in sets ---------------------------------------------------------------


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(BUILT_IN), st.integers(0, 2**32 - 1))
@example("linear", 115257)  # α = 500 lands on J = 0 exactly in one update
@example("linear", 1067)  # ... or on J = 2.6e-224, with every accuracy 1.0 (a local random profile found it)
def test_on_the_built_in_sets_a_tiny_alpha_is_slow_and_a_huge_one_too_large(data, seed):
    # huge is 500, not 50: on the linear set (separable, with a margin) even α = 50 can reach J ≈ 1e-25 smoothly
    report = sweep([2, 10, 5, 1], data, learning_rates=[1e-4, 0.03, 0.3, 500.0], iterations=500, every=50,
                   seed=seed, m=200, progress=False)
    tiny, *_, huge = report.runs
    assert tiny.verdict == "slow", (tiny.reason, [r.final_cost for r in report.runs])
    # the linear set is separable: for some initialisations even α = 500 drives J to exactly 0 (seed 115257)
    converged = data == "linear" and huge.final_cost < 1e-12
    assert huge.verdict in ("oscillates", "diverged") or converged, (huge.reason, huge.costs)
    # a good one, tried; when α = 500 converged it is the best good run, and the documented rule suggests it
    # (about 1 linear set in 250: 3 in 3000 random cases, with no other failure)
    assert report.suggested_alpha in (0.03, 0.3) or (converged and report.suggested_alpha == 500.0), (
        report.suggested_alpha, [(r.verdict, r.final_cost) for r in report.runs])


# --- the settings ----------------------------------------------------------------------------------


def test_layer_sizes_activations_and_alphas_sweep_together_as_every_combination():
    report = sweep(dims_list=[[2, 4, 1], [2, 4, 3, 1]], activations=["relu", "tanh"], learning_rates=[0.01, 0.1],
                   data="moons", iterations=10, every=5, m=40, progress=False)
    assert len(report.runs) == 8
    assert report.swept == ("learning_rate", "layer_dims", "activation")
    assert report.runs[0].label == "[2, 4, 1] relu α=0.01"
    assert {r.activations for r in report.runs} == {("relu", "sigmoid"), ("tanh", "sigmoid"),
                                                    ("relu", "relu", "sigmoid"), ("tanh", "tanh", "sigmoid")}
    assert len(report.advice) == 4  # a suggested α per network


def test_a_single_alpha_is_labelled_by_alpha_alone():
    report = sweep([2, 3, 1], "linear", learning_rates=0.1, iterations=10, m=40, progress=False)
    assert [r.label for r in report.runs] == ["α=0.1"] and report.swept == ()


@pytest.mark.parametrize("kwargs, words", [
    ({}, "No network"),
    ({"spec": [2, 3, 1], "dims_list": [[2, 3, 1]]}, "given twice"),
    ({"dims_list": [[2, 3, 1], [3, 3, 1]]}, "agree on n0"),
    ({"spec": [2, 3, 1], "learning_rates": [0.1, 0]}, "learning_rate = 0"),
    ({"spec": [2, 3, 1], "learning_rates": [math.nan]}, "learning_rate = nan"),
    ({"spec": [2, 3, 1], "learning_rates": []}, "No learning rate"),
    ({"spec": [2, 3, 1], "iterations": 0}, "iterations = 0"),
    ({"spec": [2, 3, 1], "every": 1.5}, "every = 1.5"),
    ({"spec": [2, 3, 1], "init": "glorot"}, "Unknown initialisation 'glorot'"),
    ({"spec": [2, 3, 1], "activations": ["relu", "swish"]}, "Unknown hidden activation 'swish'"),
    ({"spec": [2, 3, 1], "activations": "relu"}, "list of hidden activations"),
    ({"spec": [2, 3, 1], "test_fraction": 1.5}, "test_fraction = 1.5"),
    ({"spec": [2, 3, 1], "workers": 0}, "workers = 0"),
])
def test_bad_settings_are_one_sentence(kwargs, words):
    with pytest.raises(ShapecheckError, match=words.replace("(", r"\(")):
        sweep(data="moons", iterations=kwargs.pop("iterations", 5), m=20, progress=False, **kwargs)


def test_a_regression_output_has_no_accuracy_but_a_cost():
    X, Y = moons()
    report = sweep(sc.dense_net([2, 4, 1], output="linear"), (X, Y), learning_rates=[0.01], iterations=20,
                   progress=False)
    run = report.runs[0]
    assert run.train_accuracy is None and run.test_accuracy is None and math.isfinite(run.final_cost)


def test_a_progress_callback_counts_every_run_iteration_up_to_the_total():
    seen = []
    sweep([2, 3, 1], "moons", learning_rates=[0.01, 0.1], iterations=50, every=10, m=30,
          progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 2
