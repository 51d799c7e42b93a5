"""The two ways Keras tutorials give the first layer its input, besides input_shape: Keras 2's
``Dense(12, input_dim=8)`` (the classic first-network tutorial) and Keras 3's ``keras.Input(shape=(8,))`` first in
the list. Both were a TypeError or an AttributeError; real Keras 3 takes both (counts 108 + 13 = 121 for this
model, as its summary prints them)."""

import numpy as np
import pytest

import shapecheck as sc


def summary(model):
    return sc.trace(model).summary().to_json()


def reference():
    return sc.Sequential([sc.Dense(12, input_shape=(8,), activation="relu"), sc.Dense(1, activation="sigmoid")])


def test_input_dim_is_input_shape_of_one_axis_as_in_keras():
    model = sc.Sequential([sc.Dense(12, input_dim=8, activation="relu"), sc.Dense(1, activation="sigmoid")])
    assert summary(model) == summary(reference())
    assert [layer["params"] for layer in summary(model)["layers"]] == [108, 13]  # real Keras 3's summary
    assert repr(model.layers[0]) == "Dense(12, activation='relu', input_shape=(8,))"


def test_an_input_first_gives_the_first_layer_its_shape_and_leaves_the_callers_layer_alone():
    first = sc.Dense(12, activation="relu")
    model = sc.Sequential([sc.Input(shape=(8,)), first, sc.Dense(1, activation="sigmoid")])
    assert summary(model) == summary(reference())
    assert first.input_shape is None  # the model holds a copy with the shape
    added = sc.Sequential()
    added.add(sc.Input((8,)))
    added.add(sc.Dense(12, activation="relu"))
    added.add(sc.Dense(1, activation="sigmoid"))
    assert summary(added) == summary(reference())


def test_a_model_begun_with_input_trains_like_one_begun_with_input_shape():
    X, y = np.linspace(0, 1, 8).reshape(4, 1, 2), np.array([[0.1], [0.2], [0.3], [0.4]])
    ours = sc.Sequential([sc.Input((1, 2)), sc.LSTM(3), sc.Dense(1)])
    theirs = sc.Sequential([sc.LSTM(3, input_shape=(1, 2)), sc.Dense(1)])
    for model in (ours, theirs):
        model.compile(loss="mse", optimizer="adam")
        model.fit(X, y, epochs=3, verbose=0, shuffle=False)
    assert all(np.array_equal(a, b) for a, b in zip(ours.get_weights(), theirs.get_weights()))


@pytest.mark.parametrize("build, words", [
    (lambda: sc.Dense(3, input_dim=8, input_shape=(8,)), "gets input_dim=8 and input_shape=(8,)"),
    (lambda: sc.Sequential([sc.Dense(3, input_shape=(2,)), sc.Input((8,))]), "is not first"),
    (lambda: sc.Sequential([sc.Input((8,)), sc.Input((8,)), sc.Dense(3)]), "is not first"),
    (lambda: sc.Sequential([sc.Input((8,)), sc.Dense(3, input_shape=(4,))]), "the Input before it already says (8,)"),
    (lambda: sc.Input((0,)), "must be a tuple of positive integers"),
    (lambda: sc.Dense(3, input_dim=0), "must be a tuple of positive integers"),
])
def test_what_contradicts_itself_is_one_sentence(build, words):
    with pytest.raises(sc.ShapecheckError) as raised:
        build()
    assert words in str(raised.value)
