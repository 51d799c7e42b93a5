"""The advice is right: what the user must change, not a neighbouring rule that happens to fail."""

import json

import numpy as np
import pytest

import shapecheck as sc
from cli_helpers import run


@pytest.mark.parametrize("kind", ["LSTM", "SimpleRNN"])
def test_stacked_recurrent_layers_are_told_return_sequences_not_to_reshape_x(kind):
    layer = getattr(sc, kind)
    with pytest.raises(sc.ShapecheckError) as caught:
        sc.trace(sc.Sequential([layer(10, input_shape=(5, 1)), layer(4), sc.Dense(1)]))
    text = str(caught.value)
    assert f"{kind}(10, return_sequences=True)" in text and "reshape" not in text
    fixed = sc.Sequential([layer(10, input_shape=(5, 1), return_sequences=True), layer(4), sc.Dense(1)])
    assert sc.trace(fixed).summary().layers[1].output_shape[-1] == 4


def test_the_first_recurrent_layer_on_2d_input_is_still_told_to_reshape_x():
    with pytest.raises(sc.ShapecheckError, match=r"X.reshape"):
        sc.trace(sc.Sequential([sc.LSTM(10, input_shape=(1,)), sc.Dense(1)]))


def test_keras_weights_without_a_model_are_told_they_need_spec(tmp_path):
    path = tmp_path / "w.npz"
    np.savez(path, **{"lstm/kernel": np.zeros((1, 40)), "lstm/recurrent_kernel": np.zeros((10, 40)),
                      "lstm/bias": np.zeros(40)})
    result = run("params", path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "Keras weights" in result.stderr and "--spec model.toml" in result.stderr
    assert "or Keras names" not in result.stderr  # the old sentence offered them as a kind it would accept


@pytest.mark.parametrize("keys", [("w1", "b1", "w2", "b2"), ("W1", "B1", "W2", "B2"), ("w1", "B1", "w2", "b2")])
def test_lower_case_keys_give_the_same_network_and_a_did_you_mean(tmp_path, keys):
    path = tmp_path / "w.npz"
    shapes = [(4, 5), (4, 1), (1, 4), (1, 1)]
    np.savez(path, **{k: np.zeros(s) for k, s in zip(keys, shapes)})
    result = run("params", path, "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["inferred_dims"] == "[5, 4, 1]"
    wrong = [k for k in keys if k not in ("W1", "b1", "W2", "b2")]
    assert [p["tensor"] for p in report["problems"]] == wrong  # one problem per key: no "W1 missing" beside it
    assert all("Did you mean" in p["hint"] for p in report["problems"])


def test_a_correct_network_with_tiny_gradients_passes_rounding_with_the_measured_floor():
    result = run("gradcheck", 5, 4, 3, 1, "-m", 10, "--init", "course")
    text = " ".join(result.stdout.split())
    assert result.exit_code == 0 and "passes (rounding)" in text and "acceptable" not in text
    report = json.loads(run("gradcheck", 5, 4, 3, 1, "-m", 10, "--init", "course", "--json").stdout)
    floor = report["rounding_floor"]
    assert 0 < floor < 1e-8 and f"{floor:.1e}" in text  # the floor of this case, said in the table's legend
    rounding = [t for t in report["tensors"] if t["band"] == "acceptable"]
    assert rounding and all(t["passed"] and t["difference"] > report["threshold"] for t in rounding)
    assert all(t["max_abs_error"] <= 8 * floor for t in rounding)


def test_the_default_init_keeps_a_correct_network_clear_of_rounding():
    report = json.loads(run("gradcheck", 5, 4, 3, 1, "-m", 10, "--json").stdout)
    assert report["passed"] and {t["band"] for t in report["tensors"]} == {"great"}
