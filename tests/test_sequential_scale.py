"""``Sequential.add`` is linear: a network of 100,000 layers is built in Python as fast as its layers are made.

Naming was quadratic (each unnamed layer counted the layers of its kind before it): 100,000 layers took
313 s. Files stay limited to 1,000 layers (a file is input to be wary of); the Python API has no limit,
because there is nothing left to limit. Growth is measured by counting the interpreter's calls, never by
timing, so the test holds on a loaded machine.
"""

import sys

import shapecheck as sc
from shapecheck.core.errors import ShapecheckError
from shapecheck.spec import networks


def calls(run) -> int:
    """How many function calls (Python and C, with their returns) ``run()`` makes: a count of operations."""
    count = 0

    def tally(frame, event, arg):
        nonlocal count
        count += 1

    sys.setprofile(tally)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def adding(n: int) -> int:
    """The calls that adding ``n`` unnamed layers to a model makes (the layers are made beforehand)."""
    model = sc.Sequential([sc.Dense(2, input_shape=(3,))])
    layers = [sc.Dense(2) if k % 2 else sc.LSTM(2) for k in range(n)]
    return calls(lambda: [model.add(layer) for layer in layers])


def linear(count, n: int) -> bool:
    """Twice the layers cost at most twice the operations (and a little for the constant part's noise)."""
    return count(2 * n) <= 2.05 * count(n)


def test_adding_layers_is_linear():
    assert linear(adding, 20_000)


def test_a_hundred_thousand_layers_are_named_as_keras_names_them():
    model = sc.Sequential([sc.Dense(1, input_shape=(1,)), *(sc.Dense(1) for _ in range(99_999))])
    assert [layer.name for layer in model.layers[:3]] == ["dense", "dense_1", "dense_2"]
    assert model.layers[-1].name == "dense_99999"
    assert model.count_params() == 100_000 * 2  # each Dense(1) on one input: a weight and a bias


def test_names_count_every_layer_of_a_kind_named_or_not():
    model = sc.Sequential([sc.LSTM(3, input_shape=(5, 2), return_sequences=True, name="encoder"), sc.LSTM(3),
                           sc.Dense(1), sc.Dense(1, name="head"), sc.Dense(1)])
    assert [layer.name for layer in model.layers] == ["encoder", "lstm_1", "dense", "head", "dense_2"]


def quadratic_add(self, layer) -> None:
    """The naming before: every unnamed layer counts all the layers before it."""
    if layer.name is None:
        taken = sum(1 for other in self.layers if other.kind == layer.kind)
        layer.name = layer.snake if taken == 0 else f"{layer.snake}_{taken}"
    self.layers.append(layer)


def test_meta_the_count_sees_quadratic_naming(monkeypatch):
    # If this fails, test_adding_layers_is_linear could not fail.
    monkeypatch.setattr(networks.Sequential, "add", quadratic_add)
    assert not linear(adding, 400)


def test_the_file_limit_still_holds(tmp_path):
    spec = tmp_path / "deep.toml"
    spec.write_text("[dense_net]\nlayer_dims = [" + ", ".join(["2"] * 1_002) + "]\n")
    try:
        networks.load_spec(spec)
    except ShapecheckError as exc:
        assert "1,000" in str(exc) and "Python" in str(exc)
    else:
        raise AssertionError("a file of 1,001 layers was read")
