"""The Keras-compatible Sequential at run time: weights in Keras's layout, exact whole-model
gradients, Keras's losses, optimizers and fit semantics, and sentences for bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine.model import ModelRuntime
from shapecheck.core.errors import ShapecheckError
from shapecheck.strategies import param_shapes, sequential_specs

from finite_differences import EPS, assert_close, centered_differences, difference


def lesson_data():
    seq = np.array([[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]])
    return seq[:, 0].reshape((4, 1, 1)), seq[:, 1]


def lesson_model(units=10, seed=0, optimizer="adam"):
    model = sc.Sequential([sc.LSTM(units, input_shape=(1, 1)), sc.Dense(1, activation="linear")], seed=seed)
    model.compile(loss="mse", optimizer=optimizer)
    return model


# --- weights: Keras's order and layout ----------------------------------------------------------


def test_lesson_weights_are_in_kerass_order_and_layout():
    model = lesson_model()
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(1, 40), (10, 40), (40,), (10, 1), (1,)]
    assert model._engine().weight_names() == ["lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "dense/kernel", "dense/bias"]
    assert sum(math.prod(s) for s in shapes) == 491 == model.count_params()


@settings(max_examples=30, deadline=None)
@given(spec=sequential_specs(max_units=6, max_timesteps=4, max_features=4), seed=st.integers(0, 2**31))
def test_set_weights_of_get_weights_round_trips_in_the_tracers_layout(spec, seed):
    runtime = ModelRuntime(spec)
    weights = runtime.get_weights()
    assert [w.shape for w in weights] == list(param_shapes(spec).values())
    shapes = spec.layer_shapes()
    assert sum(w.size for w in weights) == sum(l.param_count(inp[-1]) for l, (inp, _) in zip(spec.layers, shapes))
    new = [np.random.default_rng(seed).normal(size=w.shape) for w in weights]
    runtime.set_weights(new)
    for got, want in zip(runtime.get_weights(), new):
        np.testing.assert_array_equal(got, want)


def test_weights_are_copies_both_ways():
    model = lesson_model()
    mine = [w.copy() for w in model.get_weights()]
    model.set_weights(mine)
    mine[0][...] = 99.0  # the caller's array is theirs
    model.get_weights()[1][...] = 99.0  # so is what get_weights hands out
    assert np.abs(model.get_weights()[0]).max() < 1 and np.abs(model.get_weights()[1]).max() < 1.5


def test_set_weights_with_a_wrong_shape_names_the_weight_and_both_shapes():
    model = lesson_model()
    weights = model.get_weights()
    weights[1] = weights[1].T  # recurrent_kernel transposed: (40, 10)
    with pytest.raises(ShapecheckError) as error:
        model.set_weights(weights)
    text = str(error.value)
    assert "lstm/recurrent_kernel" in text and "(40, 10)" in text and "(10, 40)" in text and "4·units" in text
    np.testing.assert_array_equal(model.get_weights()[0], lesson_model().get_weights()[0])  # all or nothing


def test_set_weights_with_a_wrong_count_lists_the_expected_weights():
    model = lesson_model()
    with pytest.raises(ShapecheckError, match=r"got 4 arrays but this model has 5: lstm/kernel, .*dense/bias"):
        model.set_weights(model.get_weights()[:4])


def test_initial_weights_depend_on_the_seed_only():
    a, b, c = lesson_model(seed=3), lesson_model(seed=3), lesson_model(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_a_model_without_input_shape_builds_from_build_or_from_data():
    X, y = lesson_data()
    model = sc.Sequential([sc.LSTM(3), sc.Dense(1)])
    with pytest.raises(ShapecheckError, match="no weights yet"):
        model.get_weights()
    model.build((None, 1, 1))
    assert model.get_weights()[0].shape == (1, 12)
    other = sc.Sequential([sc.LSTM(3), sc.Dense(1)])
    other.compile(loss="mse", optimizer="sgd")
    other.fit(X, y, epochs=1, verbose=0)
    assert [w.shape for w in other.get_weights()] == [w.shape for w in model.get_weights()]


def test_build_disagreeing_with_input_shape_says_so():
    model = sc.Sequential([sc.LSTM(3, input_shape=(1, 1))])
    with pytest.raises(ShapecheckError, match=r"input_shape=\(1, 1\)"):
        model.build((None, 2, 1))


# --- exact gradients of the whole model -----------------------------------------------------------


def numeric_gradient(runtime, X, y, eps=EPS):
    return centered_differences(lambda: runtime.evaluate(X, y), runtime.theta, eps)


def model_gradients(spec, X, y, loss, seed=0):
    """(analytic, numeric, J) for the whole model's flat parameter vector, weights moved off their init."""
    runtime = ModelRuntime(spec)
    runtime.compile(loss=loss, optimizer="sgd")
    runtime.set_weights([w + np.random.default_rng(seed).normal(0, 0.3, w.shape) for w in runtime.get_weights()])
    J, grads = runtime.loss_and_gradients(X, y)
    return np.concatenate([g.ravel() for g in grads]), numeric_gradient(runtime, X, y), J


@settings(max_examples=50, deadline=None)
@given(spec=sequential_specs(max_units=4, max_timesteps=3, max_features=3), batch=st.integers(1, 3), seed=st.integers(0, 999))
@example(spec=sc.Sequential([sc.Dense(1, activation="tanh", input_shape=(2,))]), batch=1, seed=3)  # saturated: g ≈ 3e-5, J ≈ 0.34
def test_whole_model_gradient_equals_centered_differences(spec, batch, seed):
    rng = np.random.default_rng(seed)
    inp, out = spec.layer_shapes()[0][0], spec.layer_shapes()[-1][1]
    X, y = rng.normal(size=(batch, *inp)), rng.normal(size=(batch, *out))
    assert_close(*model_gradients(spec, X, y, "mse", seed))


@pytest.mark.parametrize(
    "loss, last, target",
    [
        ("binary_crossentropy", sc.Dense(1, activation="sigmoid"), lambda rng, n: rng.integers(0, 2, n).astype(float)),
        ("categorical_crossentropy", sc.Dense(3, activation="softmax"), lambda rng, n: np.eye(3)[rng.integers(0, 3, n)]),
        ("sparse_categorical_crossentropy", sc.Dense(3, activation="softmax"), lambda rng, n: rng.integers(0, 3, n)),
        ("categorical_crossentropy", sc.Dense(3, activation="sigmoid"), lambda rng, n: np.eye(3)[rng.integers(0, 3, n)]),
        ("mae", sc.Dense(2, activation="tanh"), lambda rng, n: rng.normal(size=(n, 2))),
    ],
)
def test_every_loss_has_an_exact_model_gradient(loss, last, target):
    rng = np.random.default_rng(1)
    spec = sc.Sequential([sc.SimpleRNN(3, input_shape=(2, 2)), last])
    X = rng.normal(size=(4, 2, 2))
    assert_close(*model_gradients(spec, X, target(rng, 4), loss))


def test_the_model_gradient_check_can_fail(monkeypatch):
    """Meta-test: a loss whose gradient is off by a factor 2 is caught."""
    from shapecheck.engine.keras_losses import MeanSquaredError

    original = MeanSquaredError.__call__

    def halved(self, y_pred, y_true, grad=None):
        loss = original(self, y_pred, y_true, grad)
        if grad is not None:
            grad *= 0.5
        return loss

    monkeypatch.setattr(MeanSquaredError, "__call__", halved)
    X, y = lesson_data()
    analytic, numeric, _ = model_gradients(sc.Sequential([sc.LSTM(2, input_shape=(1, 1)), sc.Dense(1)]), X, y, "mse")
    assert difference(analytic, numeric) > 0.1


# --- losses as Keras computes them ---------------------------------------------------------------


def test_targets_of_shape_n_are_aligned_with_predictions_n_by_1_never_broadcast():
    X, y = lesson_data()
    model = lesson_model()
    predictions = model.predict(X)  # (4, 1)
    expected = float(np.mean((predictions[:, 0] - y) ** 2))
    broadcast = float(np.mean((predictions - y) ** 2))  # (4, 1) − (4,) is (4, 4): the silent bug
    assert model.evaluate(X, y) == pytest.approx(expected, rel=1e-12)
    assert model.evaluate(X, y.reshape(4, 1)) == pytest.approx(expected, rel=1e-12)
    assert broadcast != pytest.approx(expected, rel=1e-6)  # the two differ, so the checks above mean something


def test_targets_of_the_wrong_shape_get_a_sentence():
    model = sc.Sequential([sc.Dense(3, input_shape=(2,))])
    model.compile(loss="mse", optimizer="sgd")
    with pytest.raises(ShapecheckError, match=r"y has shape \(3,\) but the model predicts \(3, 3\)"):
        model.fit(np.zeros((3, 2)), np.zeros(3), verbose=0)


def test_sparse_labels_out_of_range_are_named():
    model = sc.Sequential([sc.Dense(3, activation="softmax", input_shape=(2,))])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
    with pytest.raises(ShapecheckError, match=r"holds 3.0 at index \(1,\).*0\.\.2"):
        model.evaluate(np.zeros((2, 2)), [0, 3])


def test_crossentropy_is_clipped_like_kerass():
    model = sc.Sequential([sc.Dense(1, activation="sigmoid", input_shape=(1,))])
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    model.set_weights([np.array([[100.0]]), np.array([0.0])])  # p = σ(100) = 1 for x = 1
    loss = model.evaluate(np.array([[1.0]]), np.array([0.0]))
    assert loss == pytest.approx(-math.log(1e-7), rel=1e-6)  # log(1 − p) with p clipped to 1 − ε


# --- optimizers: Keras 3's formulas --------------------------------------------------------------


def test_adam_follows_kerass_formula_step_by_step():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(5, 4))
    theta, reference = np.zeros(4), np.zeros(4)
    adam = sc.Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-3)
    adam.build(4)
    m, v = np.zeros(4), np.zeros(4)
    for t, g in enumerate(grads, start=1):
        adam.apply(theta, g)
        for k in range(4):  # the obvious per-parameter loop, Keras's equations
            m[k] = 0.8 * m[k] + 0.2 * g[k]
            v[k] = 0.99 * v[k] + 0.01 * g[k] ** 2
            alpha = 0.01 * math.sqrt(1 - 0.99**t) / (1 - 0.8**t)
            reference[k] -= m[k] * alpha / (math.sqrt(v[k]) + 1e-3)
    np.testing.assert_allclose(theta, reference, rtol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_with_momentum_follows_kerass_formula(nesterov):
    grads = np.random.default_rng(1).normal(size=(4, 3))
    theta, reference, m = np.zeros(3), np.zeros(3), np.zeros(3)
    sgd = sc.SGD(learning_rate=0.1, momentum=0.9, nesterov=nesterov)
    sgd.build(3)
    for g in grads:
        sgd.apply(theta, g)
        m = 0.9 * m - 0.1 * g
        reference = reference + (0.9 * m - 0.1 * g if nesterov else m)
    np.testing.assert_allclose(theta, reference, rtol=1e-12)


def test_optimizer_defaults_are_kerass():
    assert sc.Adam().get_config() == {"name": "Adam", "learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}
    assert sc.SGD().get_config() == {"name": "SGD", "learning_rate": 0.01, "momentum": 0.0, "nesterov": False}


def test_a_bad_hyper_parameter_is_named():
    with pytest.raises(ShapecheckError, match=r"Adam: beta_1 = 1.5 is not valid"):
        sc.Adam(beta_1=1.5)


# --- fit ---------------------------------------------------------------------------------------


def test_the_lesson_loss_falls_and_predictions_move_toward_the_targets():
    X, y = lesson_data()
    model = lesson_model()
    before = model.predict(X)[:, 0]
    history = model.fit(X, y, epochs=300, shuffle=False, verbose=0)
    after = model.predict(X)[:, 0]
    losses = history.history["loss"]
    assert len(losses) == 300 and losses[-1] < 0.5 * losses[0]
    assert np.abs(after - y).sum() < np.abs(before - y).sum()


def test_with_one_time_step_the_recurrent_kernel_never_changes():
    X, y = lesson_data()
    model = lesson_model()
    kernel, recurrent = (w.copy() for w in model.get_weights()[:2])
    model.fit(X, y, epochs=20, shuffle=False, verbose=0)
    np.testing.assert_array_equal(model.get_weights()[1], recurrent)  # exactly: no gradient, Adam moves it by 0
    assert not np.array_equal(model.get_weights()[0], kernel)


def test_with_two_time_steps_the_recurrent_kernel_learns():
    X = np.array([[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]]).reshape(4, 2, 1)
    y = np.array([0.2, 0.3, 0.4, 0.5])
    model = sc.Sequential([sc.LSTM(4, input_shape=(2, 1)), sc.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    recurrent = model.get_weights()[1].copy()
    model.fit(X, y, epochs=5, shuffle=False, verbose=0)
    assert np.abs(model.get_weights()[1] - recurrent).max() > 1e-4


def test_first_epoch_loss_is_the_loss_before_any_update():
    X, y = lesson_data()
    model = lesson_model()
    before = model.evaluate(X, y)
    assert model.fit(X, y, epochs=1, verbose=0).history["loss"][0] == pytest.approx(before, rel=1e-12)


def test_epoch_loss_weights_each_batch_by_its_size():
    """With lr = 0 nothing moves, so the size-weighted mean of batches 3 + 1 equals the full loss."""
    X, y = lesson_data()
    model = sc.Sequential([sc.LSTM(3, input_shape=(1, 1)), sc.Dense(1)])
    model.compile(loss="mse", optimizer=sc.SGD(learning_rate=0.0))
    logs = model.fit(X, y, batch_size=3, epochs=1, shuffle=False, verbose=0).history
    assert logs["loss"][0] == pytest.approx(model.evaluate(X, y), rel=1e-12)


def test_stacked_recurrent_layers_with_return_sequences_train():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 5, 3)), rng.normal(size=(10, 5, 2))
    model = sc.Sequential([sc.LSTM(6, return_sequences=True, input_shape=(5, 3)), sc.SimpleRNN(4, return_sequences=True), sc.Dense(2)])
    model.compile(loss="mse", optimizer=sc.Adam(learning_rate=0.01))
    assert model.predict(X).shape == (10, 5, 2)
    losses = model.fit(X, y, batch_size=4, epochs=30, shuffle=False, verbose=0).history["loss"]
    assert losses[-1] < 0.8 * losses[0]


def test_shuffled_training_is_reproducible_from_the_seed_and_differs_from_unshuffled():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 3)), rng.normal(size=(12, 1))

    def run(shuffle):
        model = sc.Sequential([sc.Dense(4, activation="tanh", input_shape=(3,)), sc.Dense(1)], seed=5)
        model.compile(loss="mse", optimizer="sgd")
        return model.fit(X, y, batch_size=5, epochs=3, shuffle=shuffle, verbose=0).history["loss"]

    assert run(True) == run(True)
    assert run(True) != run(False)


def test_fit_never_touches_the_callers_arrays_and_accepts_lists_and_integers():
    X, y = lesson_data()
    X_before, y_before = X.copy(), y.copy()
    model = lesson_model()
    model.fit(X, y, epochs=3, verbose=0)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    model.fit([[[1]], [[2]]], [0, 1], epochs=1, verbose=0)
    assert model.predict([[[1]]]).dtype == np.float64


def test_metrics_and_validation_are_logged_like_kerass():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10).astype(float)
    model = sc.Sequential([sc.Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(loss="binary_crossentropy", optimizer="sgd", metrics=["accuracy", "mse"])
    history = model.fit(X, y, epochs=2, validation_split=0.2, verbose=0).history
    assert sorted(history) == ["accuracy", "loss", "mse", "val_accuracy", "val_loss", "val_mse"]
    loss, accuracy, mse = model.evaluate(X[8:], y[8:])
    assert history["val_loss"][-1] == pytest.approx(loss) and history["val_mse"][-1] == pytest.approx(mse)
    assert accuracy in (0.0, 0.5, 1.0)


def test_callbacks_see_every_epoch():
    X, y = lesson_data()
    seen = []

    class Recorder:
        def on_epoch_end(self, epoch, logs):
            seen.append((epoch, logs["loss"]))

    history = lesson_model().fit(X, y, epochs=3, verbose=0, callbacks=[Recorder()])
    assert seen == list(enumerate(history.history["loss"]))


def test_verbose_two_prints_one_line_per_epoch_and_zero_prints_nothing(capsys):
    X, y = lesson_data()
    lesson_model().fit(X, y, epochs=2, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("Epoch 2/2 - loss: ")
    lesson_model().fit(X, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


# --- bad input: sentences, not numpy's messages -------------------------------------------------


def test_2d_input_to_an_lstm_gets_the_tracers_explanation():
    X, y = lesson_data()
    model = lesson_model()
    with pytest.raises(ShapecheckError) as error:
        model.fit(X.reshape(4, 1), y, verbose=0)
    assert error.value.message_id == "spec.needs_3d_input"
    assert "(batch, timesteps, features)" in str(error.value) and "X.reshape((len(X), 1, 1))" in str(error.value)
    with pytest.raises(ShapecheckError, match="needs 3-D input"):
        sc.Sequential([sc.LSTM(2), sc.Dense(1)]).predict(np.zeros((4, 1)))  # not built yet: same sentence


def test_mismatched_sample_counts_are_one_clear_sentence():
    X, y = lesson_data()
    with pytest.raises(ShapecheckError, match=r"X has 4 samples but y has 3"):
        lesson_model().fit(X, y[:3], verbose=0)


def test_inputs_with_the_wrong_features_or_steps_say_which():
    model = lesson_model()
    with pytest.raises(ShapecheckError, match="the model has 1 per time step or sample, X has 2"):
        model.predict(np.zeros((4, 1, 2)))
    with pytest.raises(ShapecheckError, match="built for 1 time steps, X has 3"):
        model.predict(np.zeros((4, 3, 1)))


def test_one_dimensional_x_for_a_dense_model_says_how_to_reshape():
    model = sc.Sequential([sc.Dense(1)])
    with pytest.raises(ShapecheckError, match=r"X has shape \(4,\).*X.reshape\(\(len\(X\), 1\)\)"):
        model.predict(np.zeros(4))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m, X, y: m.fit(X, y, epochs=-1), "epochs = -1"),
        (lambda m, X, y: m.fit(X, y, batch_size=0), "batch_size = 0"),
        (lambda m, X, y: m.fit(X, y, verbose=3), "verbose = 3"),
        (lambda m, X, y: m.fit([[["a"]]], y), "X must be numbers"),
        (lambda m, X, y: m.fit(X, [0.1, np.nan, 0.3, 0.4]), "y contains NaN"),
        (lambda m, X, y: m.compile(loss="hinge"), "Unknown loss 'hinge'"),
        (lambda m, X, y: m.compile(optimizer="rmsprop"), "Unknown optimizer 'rmsprop'"),
    ],
)
def test_bad_arguments_are_named(call, message):
    X, y = lesson_data()
    with pytest.raises(ShapecheckError, match=message.replace("(", r"\(")):
        call(lesson_model(), X, y)


def test_fit_before_compile_says_to_compile():
    X, y = lesson_data()
    with pytest.raises(ShapecheckError, match=r"model.compile\(loss="):
        sc.Sequential([sc.LSTM(2, input_shape=(1, 1))]).fit(X, y)


# --- shapecheck demo lstm -----------------------------------------------------------------------


def demo_app():
    """The real application: `demo lstm` with its error boundary."""
    from shapecheck.cli.app import app

    return app


def run_demo(*args):
    from typer.testing import CliRunner

    return CliRunner().invoke(demo_app(), ["demo", "lstm", *map(str, args)])


def test_demo_json_reproduces_the_lesson_and_shows_the_recurrent_kernel_never_learns():
    import json

    result = run_demo("--epochs", 300, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [layer["params"] for layer in report["summary"]["layers"]] == [480, 11] and report["summary"]["total_params"] == 491
    assert report["data"]["X_shape"] == [4, 1, 1]
    losses = report["losses"]
    assert len(losses) == 300 and losses[-1] < 0.5 * losses[0]
    rows = report["predictions"]
    assert sum(abs(r["prediction"] - r["target"]) for r in rows) < sum(abs(r["before"] - r["target"]) for r in rows)
    finding = report["recurrent_kernel"]
    assert finding["changed_by"] == 0.0 and finding["learns"] is False and finding["kernel_changed_by"] > 0
    assert "T=1" in finding["explanation"] and "no gradient" in finding["explanation"]


def test_demo_shows_summary_progress_predictions_and_the_finding():
    result = run_demo("--epochs", 5, "--units", 3)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "60" in out and "64" in out  # LSTM(3) on 1 feature: 4·(3·(3 + 1) + 3) = 60, + Dense 4
    assert "Training" in out and "5/5" in out and "loss: " in out
    assert "after training" in out and "changed by 0.0 over 5 epochs" in out


def test_demo_with_zero_epochs_is_one_line_and_exit_2():
    result = run_demo("--epochs", 0)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--epochs 0" in result.stderr


def test_demo_finding_says_when_the_recurrent_kernel_learns():
    import dataclasses

    from shapecheck.cli.demo_lstm import run_lesson

    report = run_lesson(epochs=2, units=2)
    assert "never learns" in report.finding()
    learned = dataclasses.replace(report, recurrent_change=0.01, timesteps=3)
    assert "with 3 time steps" in learned.finding() and "learns" in learned.finding()
