"""Does our Sequential follow Keras's training trajectory? (development script; needs keras and torch)

Same initial weights (ours.set_weights(keras_model.get_weights())), same data, same optimizer
settings, shuffle=False: the per-epoch losses and the final weights must agree to float32
precision with Keras's default float32, and far closer with Keras in float64.

    python -m venv /tmp/cmp && /tmp/cmp/bin/pip install torch keras numpy rich typer hypothesis
    /tmp/cmp/bin/pip install -e . --no-deps
    KERAS_BACKEND=torch /tmp/cmp/bin/python benchmarks/compare_keras.py

Never imported by the tests: keras is not a dependency of shapecheck.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402

import shapecheck as sc  # noqa: E402


def lesson_data():
    seq = np.array([[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]])
    return seq[:, 0].reshape((4, 1, 1)), seq[:, 1]


def cases():
    """(name, layers for both libraries, data, compile settings, fit settings)."""
    rng = np.random.default_rng(7)
    X_seq, y_seq = rng.normal(size=(10, 5, 3)), rng.normal(size=(10, 2))
    X_cls = rng.normal(size=(12, 4))
    labels = rng.integers(0, 3, size=12)
    X_bin, y_bin = rng.normal(size=(9, 2, 3)), rng.integers(0, 2, size=9).astype(float)
    return [
        (
            "lesson: LSTM(10)+Dense(1), Adam, mse, 300 epochs, batch 32",
            [("LSTM", 10, {}), ("Dense", 1, {"activation": "linear"})], (1, 1), lesson_data(),
            {"loss": "mse", "optimizer": ("adam", {})}, {"epochs": 300, "batch_size": 32},
        ),
        (
            "stacked: LSTM(8, seq)+SimpleRNN(6)+Dense(2), Adam, mse, 60 epochs, batch 4 of 10",
            [("LSTM", 8, {"return_sequences": True}), ("SimpleRNN", 6, {}), ("Dense", 2, {})], (5, 3), (X_seq, y_seq),
            {"loss": "mse", "optimizer": ("adam", {"learning_rate": 0.01})}, {"epochs": 60, "batch_size": 4},
        ),
        (
            "dense: Dense(5, relu)+Dense(3, softmax), SGD(0.1, momentum 0.9, nesterov), sparse cce, batch 5 of 12",
            [("Dense", 5, {"activation": "relu"}), ("Dense", 3, {"activation": "softmax"})], (4,), (X_cls, labels),
            {"loss": "sparse_categorical_crossentropy", "optimizer": ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True})},
            {"epochs": 40, "batch_size": 5},
        ),
        (
            "binary: SimpleRNN(4, relu, seq)+Dense(1, sigmoid) on (9, 2, 3), SGD(0.05), bce, batch 4",
            [("SimpleRNN", 4, {"activation": "relu", "return_sequences": True}), ("LSTM", 3, {}), ("Dense", 1, {"activation": "sigmoid"})],
            (2, 3), (X_bin, y_bin),
            {"loss": "binary_crossentropy", "optimizer": ("sgd", {"learning_rate": 0.05})}, {"epochs": 40, "batch_size": 4},
        ),
        (
            "GRU: GRU(8, seq)+GRU(6)+Dense(2), Adam(0.01), mse, 60 epochs, batch 4 of 10",
            [("GRU", 8, {"return_sequences": True}), ("GRU", 6, {}), ("Dense", 2, {})], (5, 3), (X_seq, y_seq),
            {"loss": "mse", "optimizer": ("adam", {"learning_rate": 0.01})}, {"epochs": 60, "batch_size": 4},
        ),
        (
            "GRU lesson: GRU(10)+Dense(1), Adam, mse, 300 epochs, batch 32",
            [("GRU", 10, {}), ("Dense", 1, {"activation": "linear"})], (1, 1), lesson_data(),
            {"loss": "mse", "optimizer": ("adam", {})}, {"epochs": 300, "batch_size": 32},
        ),
    ]


def _args(units) -> tuple:
    """A layer's positional arguments: units, or a tuple of them (Conv2D's filters and kernel_size), or ()."""
    return units if isinstance(units, tuple) else (units,)


def keras_model(keras, layers, input_shape, seed):
    keras.backend.clear_session()  # layer names start again at conv2d, dense, ... as in a fresh script
    keras.utils.set_random_seed(seed)
    stack = [keras.Input(shape=input_shape)]
    for kind, units, options in layers:
        stack.append(getattr(keras.layers, kind)(*_args(units), **options))
    return keras.Sequential(stack)


def ours_model(layers, input_shape):
    built = []
    for k, (kind, units, options) in enumerate(layers):
        extra = {"input_shape": input_shape} if k == 0 else {}
        built.append(getattr(sc, kind)(*_args(units), **options, **extra))
    return sc.Sequential(built)


# --- conv and embedding models: summaries layer by layer, then training -----------------------------

SUMMARY_MODELS = {
    "LeNet-5 (relu, max pooling)": ([
        ("Conv2D", (6, 5), {"padding": "same", "activation": "relu"}), ("MaxPooling2D", (), {}),
        ("Conv2D", (16, 5), {"activation": "relu"}), ("MaxPooling2D", (), {}), ("Flatten", (), {}),
        ("Dense", 120, {"activation": "relu"}), ("Dense", 84, {"activation": "relu"}), ("Dense", 10, {"activation": "softmax"}),
    ], (28, 28, 1)),
    "the course's HappyModel": ([
        ("ZeroPadding2D", (), {"padding": 3}), ("Conv2D", (32, 7), {"strides": 1}), ("BatchNormalization", (), {"axis": 3}),
        ("ReLU", (), {}), ("MaxPool2D", (), {}), ("Flatten", (), {}), ("Dense", 1, {"activation": "sigmoid"}),
    ], (64, 64, 3)),
    "odd strides (3×3 s2 valid, 4×4 s3 same, 3×3 s2 average same, dropout)": ([
        ("Conv2D", (8, 3), {"strides": 2, "activation": "relu"}), ("Conv2D", (4, (4, 2)), {"strides": (3, 1), "padding": "same"}),
        ("AveragePooling2D", (), {"pool_size": 3, "strides": 2, "padding": "same"}), ("Dropout", (), {"rate": 0.25}),
        ("Flatten", (), {}), ("Dense", 3, {"activation": "softmax"}),
    ], (31, 20, 3)),
    "Embedding + LSTM": ([
        ("Embedding", (1000, 32), {}), ("LSTM", 16, {}), ("Dense", 1, {"activation": "sigmoid"}),
    ], (12,)),
}


def keras_summary(keras, layers, input_shape) -> list[tuple]:
    model = keras_model(keras, layers, input_shape, seed=0)
    rows = [(layer.name, type(layer).__name__.replace("MaxPool2D", "MaxPooling2D"), tuple(layer.output.shape),
             layer.count_params()) for layer in model.layers]
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return rows + [("totals", model.count_params(), trainable, frozen)]


def ours_summary(layers, input_shape) -> list[tuple]:
    summary = sc.trace(ours_model(layers, input_shape)).summary().to_json()
    rows = [(layer["name"], layer["type"], tuple(layer["output_shape"]), layer["params"]) for layer in summary["layers"]]
    return rows + [("totals", summary["total_params"], summary["trainable_params"], summary["non_trainable_params"])]


def compare_summaries(keras) -> None:
    for name, (layers, input_shape) in SUMMARY_MODELS.items():
        theirs, ours = keras_summary(keras, layers, input_shape), ours_summary(layers, input_shape)
        print(f"summary of {name}: {'EQUAL' if theirs == ours else 'DIFFERENT'} to Keras's, layer by layer "
              f"({len(ours) - 1} layers, total/trainable/non-trainable {ours[-1][1:]})", flush=True)
        if theirs != ours:
            for a, b in zip(theirs, ours):
                print(f"    keras {a}\n    ours  {b}" if a != b else f"    same  {a}")


def conv_cases():
    """Small conv and Embedding models trained from Keras's initial weights (no Dropout: its masks are random)."""
    rng = np.random.default_rng(3)
    X_img, y_img = rng.normal(size=(16, 9, 9, 2)), rng.integers(0, 2, size=16).astype(float)
    X_cls, y_cls = rng.normal(size=(12, 8, 7, 1)), rng.integers(0, 4, size=12)
    y_onehot = np.eye(4)[y_cls]
    X_txt, y_txt = rng.integers(0, 30, size=(14, 6)).astype(float), rng.normal(size=(14, 2))
    return [
        (
            "conv: Conv2D(4, 3, same, relu)+MaxPooling2D+Conv2D(3, 2, s2)+Flatten+Dense(1, sigmoid), Adam, bce",
            [("Conv2D", (4, 3), {"padding": "same", "activation": "relu"}), ("MaxPooling2D", (), {}),
             ("Conv2D", (3, 2), {"strides": 2}), ("Flatten", (), {}), ("Dense", 1, {"activation": "sigmoid"})],
            (9, 9, 2), (X_img, y_img), {"loss": "binary_crossentropy", "optimizer": ("adam", {"learning_rate": 0.01})},
            {"epochs": 20, "batch_size": 8},
        ),
        (
            "HappyModel-like: ZeroPadding2D+Conv2D(5, 3, s2)+BatchNormalization+ReLU+AveragePooling2D+Flatten+Dense(4, softmax), SGD, cce",
            [("ZeroPadding2D", (), {"padding": 1}), ("Conv2D", (5, 3), {"strides": 2}), ("BatchNormalization", (), {}),
             ("ReLU", (), {}), ("AveragePooling2D", (), {"pool_size": 2}), ("Flatten", (), {}), ("Dense", 4, {"activation": "softmax"})],
            (8, 7, 1), (X_cls, y_onehot), {"loss": "categorical_crossentropy", "optimizer": ("sgd", {"learning_rate": 0.1, "momentum": 0.9})},
            {"epochs": 20, "batch_size": 4},
        ),
        (
            "sparse: Conv2D(3, (3, 2), valid, tanh)+Activation(relu)+Flatten+Dense(4, softmax), Adam, sparse cce",
            [("Conv2D", (3, (3, 2)), {"activation": "tanh"}), ("Activation", ("relu",), {}), ("Flatten", (), {}),
             ("Dense", 4, {"activation": "softmax"})],
            (8, 7, 1), (X_cls, y_cls), {"loss": "sparse_categorical_crossentropy", "optimizer": ("adam", {})},
            {"epochs": 20, "batch_size": 5},
        ),
        (
            "Embedding(30, 5)+LSTM(4)+Dense(2), Adam, mse",
            [("Embedding", (30, 5), {}), ("LSTM", 4, {}), ("Dense", 2, {})],
            (6,), (X_txt, y_txt), {"loss": "mse", "optimizer": ("adam", {"learning_rate": 0.01})}, {"epochs": 30, "batch_size": 7},
        ),
    ]


def optimizer(module, spec):
    name, options = spec
    return {"adam": module.Adam, "sgd": module.SGD}[name](**options)


def relative(a, b) -> float:
    """max |a − b| / max |b|; the absolute difference where Keras's array is all below 1e-6 (a conv bias
    before BatchNormalization has a zero gradient by construction: it stays at float32 rounding noise)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.abs(b).max()
    return float(np.abs(a - b).max() / scale) if scale > 1e-6 else float(np.abs(a - b).max())


def compare(keras, floatx: str) -> list[dict]:
    keras.config.set_floatx(floatx)
    if floatx == "float64":
        # Off TensorFlow, Keras's type promotion maps float64 to float32 (to match JAX's default), so
        # ops.matmul computes float64 weights in float32. For a true float64 reference, undo that map.
        from keras.src.backend.common import dtypes

        dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"
    rows = []
    for name, layers, input_shape, (X, y), compiled, fitted in [*cases(), *conv_cases()]:
        theirs = keras_model(keras, layers, input_shape, seed=1)
        theirs.compile(loss=compiled["loss"], optimizer=optimizer(keras.optimizers, compiled["optimizer"]))
        ours = ours_model(layers, input_shape)
        ours.compile(loss=compiled["loss"], optimizer=optimizer(sc, compiled["optimizer"]))
        initial = [np.asarray(w, dtype=np.float64) for w in theirs.get_weights()]
        ours.set_weights(initial)
        shapes_agree = [w.shape for w in ours.get_weights()] == [w.shape for w in initial]

        h_theirs = theirs.fit(X.astype(floatx), y.astype(floatx), shuffle=False, verbose=0, **fitted).history["loss"]
        h_ours = ours.fit(X, y, shuffle=False, verbose=0, **fitted).history["loss"]
        loss_rel = max(abs(a - b) / abs(b) for a, b in zip(h_ours, h_theirs))
        loss_abs = max(abs(a - b) for a, b in zip(h_ours, h_theirs)) / abs(h_theirs[0])
        weight_rel = max(relative(a, b) for a, b in zip(ours.get_weights(), theirs.get_weights()))
        pred_rel = relative(ours.predict(X), theirs.predict(X.astype(floatx), verbose=0))
        rows.append({
            "case": name, "floatx": floatx, "shapes_agree": shapes_agree,
            "loss_first": h_theirs[0], "loss_last": h_theirs[-1],
            "loss_rel": loss_rel, "loss_abs": loss_abs, "weight_rel": weight_rel, "pred_rel": pred_rel,
        })
    return rows


def main(argv: list[str]) -> None:
    """Each floatx in its own process: Keras caches its type promotion, so the float64 patch must come first."""
    if not argv:
        import subprocess
        import sys

        for floatx in ("float32", "float64"):
            subprocess.run([sys.executable, __file__, floatx], check=True)
        return
    import keras

    floatx = argv[0]
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}, floatx {floatx}", flush=True)
    if floatx == "float32":
        compare_summaries(keras)
    for row in compare(keras, floatx):
        print(
            f"[{row['floatx']}] {row['case']}\n"
            f"    weight layout agrees: {row['shapes_agree']}; keras loss {row['loss_first']:.6g} -> {row['loss_last']:.6g}\n"
            f"    max rel diff: epoch losses {row['loss_rel']:.2e} (|Δloss| / first loss {row['loss_abs']:.2e}), "
            f"final weights {row['weight_rel']:.2e}, predictions {row['pred_rel']:.2e}",
            flush=True,
        )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
