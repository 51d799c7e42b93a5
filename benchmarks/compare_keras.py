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


def keras_model(keras, layers, input_shape, seed):
    keras.utils.set_random_seed(seed)
    stack = [keras.Input(shape=input_shape)]
    for kind, units, options in layers:
        stack.append(getattr(keras.layers, kind)(units, **options))
    return keras.Sequential(stack)


def ours_model(layers, input_shape):
    built = []
    for k, (kind, units, options) in enumerate(layers):
        extra = {"input_shape": input_shape} if k == 0 else {}
        built.append(getattr(sc, kind)(units, **options, **extra))
    return sc.Sequential(built)


def optimizer(module, spec):
    name, options = spec
    return {"adam": module.Adam, "sgd": module.SGD}[name](**options)


def relative(a, b) -> float:
    """max |a − b| / max |b| (0 when both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.abs(b).max()
    return float(np.abs(a - b).max() / scale) if scale > 0 else float(np.abs(a - b).max())


def compare(keras, floatx: str) -> list[dict]:
    keras.config.set_floatx(floatx)
    if floatx == "float64":
        # Off TensorFlow, Keras's type promotion maps float64 to float32 (to match JAX's default), so
        # ops.matmul computes float64 weights in float32. For a true float64 reference, undo that map.
        from keras.src.backend.common import dtypes

        dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"
    rows = []
    for name, layers, input_shape, (X, y), compiled, fitted in cases():
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
