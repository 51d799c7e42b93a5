"""Specs: Keras's meanings, the file schema, and clear refusals."""

import json

import pytest

import shapecheck as sc


def test_dense_net_uses_hidden_then_output_activations():
    spec = sc.dense_net([4, 3, 2, 1], hidden="tanh", output="sigmoid")
    assert spec.activations == ("tanh", "tanh", "sigmoid") and spec.L == 3


def test_keras_names_layers_like_keras():
    model = sc.Sequential([sc.LSTM(4, return_sequences=True, input_shape=(3, 2)), sc.LSTM(4), sc.Dense(2), sc.Dense(1)])
    assert [layer.name for layer in model.layers] == ["lstm", "lstm_1", "dense", "dense_1"]


def test_dense_default_activation_is_linear_as_in_keras():
    assert sc.Dense(3).activation == "linear" and sc.LSTM(3).activation == "tanh"


def test_input_shape_on_a_later_layer_is_refused():
    with pytest.raises(sc.ShapecheckError, match="not the first layer"):
        sc.Sequential([sc.Dense(3, input_shape=(2,)), sc.Dense(1, input_shape=(3,))])


def test_json_and_toml_specs_load_the_same_network(tmp_path):
    toml = tmp_path / "m.toml"
    toml.write_text('[[sequential]]\ntype = "LSTM"\nunits = 10\ninput_shape = [1, 1]\n\n[[sequential]]\ntype = "Dense"\nunits = 1\n')
    js = tmp_path / "m.json"
    js.write_text(json.dumps({"sequential": [{"type": "LSTM", "units": 10, "input_shape": [1, 1]}, {"type": "Dense", "units": 1}]}))
    assert repr(sc.load_spec(toml)) == repr(sc.load_spec(js)) == "Sequential([LSTM(10, input_shape=(1, 1)), Dense(1)])"


def test_activations_list_must_have_one_per_layer():
    with pytest.raises(sc.ShapecheckError, match="one per layer"):
        sc.dense_net([3, 2, 1], activations=["relu"])


@pytest.mark.parametrize("bad", [True, 2.5, "x", None, [3]])
def test_a_size_must_be_a_whole_number(bad):
    with pytest.raises(sc.ShapecheckError, match="n1"):
        sc.dense_net([3, bad])


@pytest.mark.parametrize("kwargs, english, arabic", [
    ({"hidden": "rlu"}, "for the hidden layers.", "في الطبقات الخفية."),
    ({"output": "sigmod"}, "for the output layer (g[2]).", "في طبقة المخرجات (g[2])."),
    ({"activations": ["relu", "sigmod"]}, "for layer 2 (g[2]).", "في الطبقة 2 (g[2])."),
])
def test_an_unknown_activation_names_its_layer_in_the_chosen_language(kwargs, english, arabic):
    from shapecheck.core.messages import strip_isolates
    from shapecheck.core.language import set_language

    with pytest.raises(sc.ShapecheckError) as caught:
        sc.dense_net([2, 3, 1], **kwargs)
    assert english in str(caught.value)
    set_language("ar")
    try:
        with pytest.raises(sc.ShapecheckError) as caught:
            sc.dense_net([2, 3, 1], **kwargs)
    finally:
        set_language(None)
    text = strip_isolates(str(caught.value))
    assert arabic in text and "layer" not in text


@pytest.mark.parametrize("layer", [sc.Dense, sc.SimpleRNN, sc.LSTM, sc.GRU])
def test_too_many_units_is_called_too_many_not_a_non_positive_number(layer):
    with pytest.raises(sc.ShapecheckError) as raised:
        layer(100_000_000)
    assert "units = 100,000,000 is more than the 1,000,000 units" in str(raised.value)
    assert "positive" not in str(raised.value)  # it is positive: "must be a positive integer" misled
    with pytest.raises(sc.ShapecheckError, match="must be a positive integer"):
        layer(0)


@pytest.mark.parametrize("value", ["12288 20 7", 5, None, b"12"])
def test_layer_dims_that_are_not_a_list_are_named_not_read_character_by_character(value):
    with pytest.raises(sc.ShapecheckError, match=r"layer_dims = .* must be a list of the layer sizes"):
        sc.dense_net(value)  # "12288 20 7" was "n5 = ' ' is not a whole number"; 5 and None a TypeError
