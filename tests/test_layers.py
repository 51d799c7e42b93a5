"""Keras's layers as plug-ins: each backward against finite differences, shapes and counts as Keras's."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.core.errors import ShapecheckError
from shapecheck.layers.registry import layer_types
from shapecheck.spec.conv_rules import dropped, output_size, same_padding
from finite_differences import assert_close, centered_differences


def runtime_with_weights(spec, input_shape, seed=0, training=False):
    """One layer's engine on its own: weights and gradients in arrays of their own, weights random."""
    layer = spec.runtime(input_shape)
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(s) for s in layer.weight_shapes()]
    if "moving_variance" in layer.weight_names:
        weights[layer.weight_names.index("moving_variance")] = rng.uniform(0.5, 2.0, input_shape[-1])
    grads = [np.zeros(s) for s in layer.weight_shapes()]
    layer.bind(weights, grads)
    layer.training = training
    return layer, weights, grads


def check_backward(spec, input_shape, m=2, seed=0, training=False, x=None):
    layer, weights, grads = runtime_with_weights(spec, input_shape, seed, training)
    rng = np.random.default_rng(seed + 1)
    x = rng.standard_normal((m, *input_shape)) if x is None else x
    R = rng.standard_normal((m, *spec.output_shape(input_shape)))

    def J():
        return float(np.sum(layer.forward(x) * R))

    out = layer.forward(x)
    assert out.shape == R.shape
    dx = layer.backward(R)
    scale = abs(J()) + 1.0
    assert_close(dx, centered_differences(J, x), scale)
    for name, w, g in zip(layer.weight_names, weights, [g.copy() for g in grads]):
        if name.startswith("moving_") and training:
            assert not g.any()  # in training the output uses the batch's statistics, not the moving ones
            continue
        assert_close(g, centered_differences(J, w), scale)


@st.composite
def images(draw, most=7):
    """(n_H, n_W, n_C) of one image; shrinks towards 1×1×1."""
    return draw(st.integers(1, most)), draw(st.integers(1, most)), draw(st.integers(1, 3))


@settings(max_examples=30, deadline=None)
@given(images(), st.data())
def test_conv2d_backward_is_the_gradient_for_any_kernel_stride_and_padding(image, data):
    padding = data.draw(st.sampled_from(["valid", "same", 0, 1, 2]))
    pad = 0 if padding == "valid" else padding if isinstance(padding, int) else None
    most_H = image[0] + 2 * pad if pad is not None else 4
    most_W = image[1] + 2 * pad if pad is not None else 4
    kernel = (data.draw(st.integers(1, min(most_H, 4))), data.draw(st.integers(1, min(most_W, 4))))
    strides = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    activation = data.draw(st.sampled_from(["linear", "tanh", "sigmoid"]))
    spec = sc.Conv2D(data.draw(st.integers(1, 3)), kernel, strides=strides, padding=padding, activation=activation)
    check_backward(spec, image, seed=data.draw(st.integers(0, 99)))


@settings(max_examples=30, deadline=None)
@given(images(), st.sampled_from(["MaxPooling2D", "AveragePooling2D"]), st.sampled_from(["valid", "same"]), st.data())
def test_pooling_backward_is_the_gradient(image, kind, padding, data):
    most = min(image[:2]) if padding == "valid" else 3
    pool = data.draw(st.integers(1, max(1, min(most, 3))))
    spec = layer_types()[kind](pool, strides=data.draw(st.integers(1, 3)), padding=padding)
    check_backward(spec, image, seed=data.draw(st.integers(0, 99)))


@pytest.mark.parametrize("training", [True, False])
def test_batch_normalization_backward_is_the_gradient_in_training_and_inference(training):
    check_backward(sc.BatchNormalization(), (3, 4, 2), m=3, training=training)


@pytest.mark.parametrize(
    ("spec", "input_shape"),
    [(sc.ZeroPadding2D(((1, 2), (0, 3))), (3, 2, 2)), (sc.Flatten(), (3, 2, 2)), (sc.Activation("tanh"), (4,)),
     (sc.ReLU(), (2, 3)), (sc.Activation("softmax"), (5,)), (sc.Dropout(0.3), (6,))],
)
def test_parameter_free_layers_pass_the_gradient_through(spec, input_shape):
    check_backward(spec, input_shape)


def test_embedding_gradient_adds_up_in_the_rows_of_repeated_indices():
    spec = sc.Embedding(5, 3)
    layer, (E,), (dE,) = runtime_with_weights(spec, (4,))
    x = np.array([[0, 1, 1, 4], [4, 4, 2, 0]], dtype=float)
    R = np.random.default_rng(0).standard_normal((2, 4, 3))

    def J():
        return float(np.sum(layer.forward(x) * R))

    J()
    layer.backward(R)
    assert_close(dE, centered_differences(J, E), abs(J()) + 1)
    assert not dE[3].any()  # index 3 never appears


def test_dropout_is_random_only_in_training_and_the_same_for_the_same_seed():
    X, y = np.random.default_rng(0).standard_normal((20, 6)), np.random.default_rng(1).standard_normal((20, 1))

    def run(seed):
        model = sc.Sequential([sc.Dense(8, activation="relu", input_shape=(6,)), sc.Dropout(0.5), sc.Dense(1)], seed=seed)
        model.compile(loss="mse", optimizer="sgd")
        return model.fit(X, y, epochs=3, batch_size=5, shuffle=False, verbose=0).history["loss"], model

    first, model = run(0)
    again, _ = run(0)
    assert first == again
    np.testing.assert_array_equal(model.predict(X), model.predict(X))  # outside training: the identity
    layer = model._engine().layers[1]
    layer.training = True
    assert not np.array_equal(layer.forward(np.ones((50, 8))), np.ones((50, 8)))  # in training, some are dropped


def test_batch_normalization_moves_its_statistics_as_keras_does():
    model = sc.Sequential([sc.BatchNormalization(momentum=0.9, input_shape=(2, 2, 3)), sc.Flatten(), sc.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    X = np.random.default_rng(0).standard_normal((4, 2, 2, 3)) * 3 + 1
    model.fit(X, np.zeros(4), epochs=1, batch_size=4, shuffle=False, verbose=0)
    gamma, beta, moving_mean, moving_variance, *_ = model.get_weights()
    np.testing.assert_allclose(moving_mean, 0.1 * X.mean(axis=(0, 1, 2)))
    np.testing.assert_allclose(moving_variance, 0.9 + 0.1 * X.var(axis=(0, 1, 2)))  # the biased variance, as Keras
    # outside training, the moving statistics normalise: predict is γ·(x − moving_mean)/√(moving_variance + ε) + β, then Dense
    kernel, bias = model.get_weights()[4:]
    x_hat = (X - moving_mean) / np.sqrt(moving_variance + 0.001) * gamma + beta
    np.testing.assert_allclose(model.predict(X), x_hat.reshape(4, -1) @ kernel + bias)


# --- shapes and counts: Keras's own numbers (benchmarks/compare_keras.py measured them equal) ---------


def summary_of(layers):
    return sc.trace(sc.Sequential(layers)).summary().to_json()


def test_lenet_summary_is_keras_s():
    s = summary_of([sc.Conv2D(6, 5, padding="same", activation="relu", input_shape=(28, 28, 1)), sc.MaxPooling2D(),
                    sc.Conv2D(16, 5, activation="relu"), sc.MaxPooling2D(), sc.Flatten(), sc.Dense(120, activation="relu"),
                    sc.Dense(84, activation="relu"), sc.Dense(10, activation="softmax")])
    rows = [(l["name"], l["output_shape"], l["params"]) for l in s["layers"]]
    assert rows == [("conv2d", [None, 28, 28, 6], 156), ("max_pooling2d", [None, 14, 14, 6], 0),
                    ("conv2d_1", [None, 10, 10, 16], 2416), ("max_pooling2d_1", [None, 5, 5, 16], 0),
                    ("flatten", [None, 400], 0), ("dense", [None, 120], 48120), ("dense_1", [None, 84], 10164),
                    ("dense_2", [None, 10], 850)]
    assert s["total_params"] == 61706


def test_happy_model_summary_is_keras_s_with_non_trainable_counts():
    s = summary_of([sc.ZeroPadding2D(padding=3, input_shape=(64, 64, 3)), sc.Conv2D(32, 7, strides=1),
                    sc.BatchNormalization(axis=3), sc.ReLU(), sc.MaxPool2D(), sc.Flatten(), sc.Dense(1, activation="sigmoid")])
    rows = [(l["name"], l["output_shape"], l["params"]) for l in s["layers"]]
    assert rows == [("zero_padding2d", [None, 70, 70, 3], 0), ("conv2d", [None, 64, 64, 32], 4736),
                    ("batch_normalization", [None, 64, 64, 32], 128), ("re_lu", [None, 64, 64, 32], 0),
                    ("max_pooling2d", [None, 32, 32, 32], 0), ("flatten", [None, 32768], 0), ("dense", [None, 1], 32769)]
    assert (s["total_params"], s["trainable_params"], s["non_trainable_params"]) == (37633, 37569, 64)


def test_odd_strides_and_same_padding_follow_keras():
    s = summary_of([sc.Conv2D(8, 3, strides=2, activation="relu", input_shape=(31, 20, 3)),
                    sc.Conv2D(4, (4, 2), strides=(3, 1), padding="same"),
                    sc.AveragePooling2D(pool_size=3, strides=2, padding="same"), sc.Dropout(0.25), sc.Flatten(), sc.Dense(3)])
    assert [l["output_shape"] for l in s["layers"]] == [[None, 15, 9, 8], [None, 5, 9, 4], [None, 3, 5, 4], [None, 3, 5, 4],
                                                         [None, 60], [None, 3]]
    assert s["total_params"] == 667


def test_embedding_lstm_summary_is_keras_s():
    s = summary_of([sc.Embedding(1000, 32, input_shape=(12,)), sc.LSTM(16), sc.Dense(1, activation="sigmoid")])
    assert [(l["output_shape"], l["params"]) for l in s["layers"]] == [([None, 12, 32], 32000), ([None, 16], 3136), ([None, 1], 17)]


@settings(max_examples=200)
@given(st.integers(1, 40), st.integers(1, 9), st.integers(1, 5), st.integers(0, 4))
def test_the_window_rule_counts_the_windows_and_the_dropped_rows(n, f, s, p):
    if f > n + 2 * p:
        return
    starts = range(0, n + 2 * p - f + 1, s)  # every window's first row
    assert output_size(n, f, s, p) == len(starts)
    lost = dropped(n, f, s, p)
    last_row_used = starts[-1] + f
    assert (lost.count if lost else 0) == n + 2 * p - last_row_used
    if lost and lost.pad is not None:
        assert dropped(n, f, s, lost.pad) is None  # the suggested padding keeps every row
    if lost:
        assert dropped(n, f, s, (p, p + lost.extra)) is None


@given(st.integers(1, 50), st.integers(1, 9), st.integers(1, 5))
def test_same_padding_gives_ceil_n_over_stride_as_keras_defines_it(n, f, s):
    before, after = same_padding(n, f, s)
    assert output_size(n, f, s, (before, after)) == -(-n // s)
    assert after - before in (0, 1)  # the odd row at the bottom


# --- bad input: one line, the rule and the fix ------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message_id"),
    [
        (lambda: sc.Sequential([sc.Conv2D(4, 9, input_shape=(5, 5, 1))]).layer_shapes(), "conv.window_too_large"),
        (lambda: sc.Conv2D(4, 3, strides=0), "layers.bad_strides"),
        (lambda: sc.Conv2D(4, 3, padding=-1), "conv.bad_pad"),
        (lambda: sc.Conv2D(4, 3, padding="full"), "layers.bad_padding"),
        (lambda: sc.Sequential([sc.Conv2D(4, 3, input_shape=(3, 32, 32))]).layer_shapes(), "layers.channels_first"),
        (lambda: sc.Sequential([sc.Dense(4, input_shape=(10,)), sc.Conv2D(4, 3)]).layer_shapes(), "layers.needs_rank_3"),
        (lambda: sc.Conv2D(4, 3, activation="rleu"), "spec.unknown_activation"),
        (lambda: sc.ReLU(max_value=6), "layers.option_not_modelled"),
        (lambda: sc.Dropout(1.0), "layers.bad_rate"),
    ],
)
def test_bad_layers_are_one_sentence(make, message_id):
    with pytest.raises(ShapecheckError) as raised:
        make()
    assert raised.value.message_id == message_id
    assert "\n" not in str(raised.value)


def test_an_unknown_layer_in_a_spec_file_gets_did_you_mean(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text('[[sequential]]\ntype = "Conv2d"\nfilters = 3\nkernel_size = 3\ninput_shape = [8, 8, 1]\n')
    with pytest.raises(ShapecheckError, match="did you mean 'Conv2D'"):
        sc.load_spec(path)
    path.write_text('[[sequential]]\ntype = "GlobalAveragePooling2D"\ninput_shape = [8, 8, 1]\n')
    with pytest.raises(ShapecheckError, match="without weights that shapecheck does not model yet") as raised:
        sc.load_spec(path)
    assert raised.value.message_id == "spec.layer_not_modelled"


def test_a_spec_file_takes_keras_s_class_and_argument_names(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text('[[sequential]]\ntype = "Conv2D"\nfilters = 6\nkernel_size = [5, 3]\nstrides = 2\npadding = "same"\n'
                    'activation = "relu"\ninput_shape = [28, 28, 1]\n\n[[sequential]]\ntype = "MaxPool2D"\n\n'
                    '[[sequential]]\ntype = "Flatten"\n\n[[sequential]]\ntype = "Dense"\nunits = 10\n')
    model = sc.load_spec(path)
    assert [s for _, s in model.layer_shapes()] == [(14, 14, 6), (7, 7, 6), (294,), (10,)]
    assert model.count_params() == 5 * 3 * 1 * 6 + 6 + 294 * 10 + 10


def test_embedding_refuses_an_index_outside_its_rows():
    model = sc.Sequential([sc.Embedding(10, 2, input_length=3), sc.Flatten(), sc.Dense(1)])
    with pytest.raises(ShapecheckError, match="allows only 0 … 9"):
        model.predict(np.array([[1, 2, 10]]))


def test_params_checks_conv_weights_in_the_course_s_layout_and_in_keras_s():
    model = sc.Sequential([sc.Conv2D(6, 5, input_shape=(28, 28, 1)), sc.MaxPooling2D(), sc.Conv2D(16, 3), sc.Flatten(), sc.Dense(10)])
    course = {"W1": np.zeros((5, 5, 1, 6)), "b1": np.zeros(6), "W2": np.zeros((16, 6, 3, 3)), "b2": np.zeros((1, 1, 1, 16)),
              "dense/kernel": np.zeros((1600, 10)), "dense/bias": np.zeros(10)}
    found = {p.tensor: p for p in sc.check_params(model, course)}
    assert set(found) == {"b1", "W2"}
    assert "b1.reshape(1, 1, 1, 6)" in found["b1"].hint
    assert "PyTorch" in found["W2"].message and "np.transpose(W2, (2, 3, 1, 0))" in found["W2"].hint
    keras = {"conv2d/kernel": np.zeros((5, 5, 1, 6)), "conv2d/bias": np.zeros(6), "conv2d_1/kernel": np.zeros((3, 3, 6, 16)),
             "conv2d_1/bias": np.zeros(16), "dense/kernel": np.zeros((1936, 10)), "dense/bias": np.zeros(10)}
    assert [p.tensor for p in sc.check_params(model, keras)] == ["dense/kernel"]  # 1600 = 10·10·16 inputs, not 1936
    keras["dense/kernel"] = np.zeros((1600, 10))
    assert not sc.check_params(model, keras)


def test_gradcheck_model_covers_conv_pooling_and_batch_normalization():
    model = sc.Sequential([sc.Conv2D(2, 3, padding="same", activation="tanh", input_shape=(5, 5, 1)), sc.AveragePooling2D(),
                           sc.BatchNormalization(), sc.Flatten(), sc.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy")
    rng = np.random.default_rng(0)
    report = sc.gradcheck_model(model, rng.standard_normal((4, 5, 5, 1)), rng.integers(0, 2, 4))
    assert {t.name for t in report.tensors} >= {"conv2d/kernel", "conv2d/bias", "batch_normalization/gamma", "dense/kernel"}
    assert report.passed, [(t.name, t.difference) for t in report.tensors]


def test_a_layer_looked_up_by_its_name_is_the_registrys_whether_its_folder_is_named_after_it_or_not():
    """registry.layer_type imports only the folder named after a layer (LSTM: lstm/), else asks every folder."""
    from shapecheck.layers.registry import layer_type

    registered = layer_types()
    assert {"Dense", "LSTM", "SimpleRNN", "Conv2D", "MaxPooling2D", "MaxPool2D", "ReLU"} <= set(registered)
    for kind, cls in registered.items():
        assert layer_type(kind) is cls, kind
    for nothing in ("Conv3D", "dense", "lstm_", "", None, 3):  # not modelled, not Keras's spelling, not a name
        assert layer_type(nothing) is None


@pytest.mark.parametrize("build, words", [
    (lambda: sc.Dense(10, activaton="relu"), "Dense has no argument 'activaton' (did you mean 'activation'?)"),
    (lambda: sc.LSTM(10, return_sequence=True), "(did you mean 'return_sequences'?)"),
    (lambda: sc.Conv2D(6, 5, paddin="same"), "(did you mean 'padding'?)"),
    (lambda: sc.Dense(10, xyz=1), "Dense has no argument 'xyz'. Its arguments, as Keras names them: units, activation"),
])
def test_a_misspelled_argument_gets_its_near_miss_and_is_still_a_type_error(build, words):
    with pytest.raises(TypeError) as raised:  # Python's "unexpected keyword argument" named no near miss
        build()
    assert isinstance(raised.value, sc.ShapecheckError) and words in str(raised.value)


def test_every_argument_a_layer_has_is_still_taken():  # meta: the check refuses only what is not an argument
    assert sc.Dense(units=3, activation="relu", input_shape=(2,), name="d").units == 3
    assert sc.LSTM(4, return_sequences=True, input_dim=2).input_shape == (2,)
