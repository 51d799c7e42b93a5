"""The tracer's shapes are the shapes numpy really produces, for every architecture."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck import strategies as sst
from shapecheck.core.dims import Bindings, evaluate, resolve, symbols


def numpy_pass(dims, m, rng):
    """A plain course-style forward and backward pass, written out with no help from shapecheck."""
    L = len(dims) - 1
    shapes = {}
    A = rng.standard_normal((dims[0], m))
    shapes["X"] = A.shape
    params, cache = {}, {0: A}
    for l in range(1, L + 1):
        W = rng.standard_normal((dims[l], dims[l - 1]))
        b = np.zeros((dims[l], 1))
        Z = W @ A + b
        A = np.tanh(Z)
        params[l] = W
        cache[l] = A
        shapes.update({f"W{l}": W.shape, f"b{l}": b.shape, f"Z{l}": Z.shape, f"A{l}": A.shape})
    Y = (rng.random((dims[L], m)) > 0.5).astype(float)
    shapes["Y"] = Y.shape
    dA = A - Y
    shapes[f"dA{L}"] = dA.shape
    for l in range(L, 0, -1):
        dZ = dA * (1 - cache[l] ** 2)
        dW = dZ @ cache[l - 1].T / m
        db = dZ.sum(axis=1, keepdims=True) / m
        dA = params[l].T @ dZ
        shapes.update({f"dZ{l}": dZ.shape, f"dW{l}": dW.shape, f"db{l}": db.shape, f"dA{l-1}": dA.shape})
    return shapes


@settings(max_examples=200, deadline=None)
@given(sst.layer_dims(max_layers=6), st.integers(1, 9), sst.seeds())
def test_traced_shapes_equal_a_numpy_forward_and_backward_pass(dims, m, seed):
    traced = {r.tensor: r.size for r in sc.trace(sc.dense_net(dims), m=m).rows}
    real = numpy_pass(dims, m, np.random.default_rng(seed))
    assert traced == real


@settings(max_examples=50, deadline=None)
@given(sst.layer_dims())
def test_symbolic_m_stays_a_symbol_and_sizes_are_numbers(dims):
    trace = sc.trace(sc.dense_net(dims))
    z1 = trace.row("Z1")
    assert z1.shape == ("n1", "m") and z1.size == (dims[1], "m")
    assert trace.row("W1").size == (dims[1], dims[0])


def test_course_network_has_245973_parameters_and_every_tensor():
    trace = sc.trace(sc.dense_net([12288, 20, 7, 5, 1]), m=209)
    assert trace.total_params == 245_973
    assert trace.row("W1").size == (20, 12288)
    assert trace.row("dA0").size == (12288, 209)
    names = {r.tensor for r in trace.rows}
    for l in range(1, 5):
        assert {f"W{l}", f"b{l}", f"Z{l}", f"A{l}", f"dZ{l}", f"dW{l}", f"db{l}", f"dA{l-1}"} <= names


def test_lstm_lesson_counts_480_11_491():
    model = sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1, activation="linear")])
    summary = sc.trace(model).summary().to_json()
    assert [layer["params"] for layer in summary["layers"]] == [480, 11]
    assert summary["total_params"] == 491 and summary["trainable_params"] == 491
    assert [layer["output_shape"] for layer in summary["layers"]] == [[None, 10], [None, 1]]


# counted by Keras 3.15.1 itself (keras.Sequential([keras.Input(shape), layers.<Kind>(units)]).count_params(), torch
# backend, in the scratch environment), not by the formulas the tracer uses
KERAS_COUNTS = [("LSTM", 10, 1, 480), ("LSTM", 64, 32, 24832), ("LSTM", 3, 7, 132), ("SimpleRNN", 5, 4, 50),
                ("SimpleRNN", 128, 300, 54912), ("GRU", 10, 1, 390), ("GRU", 32, 16, 4800), ("GRU", 7, 3, 252),
                ("Dense", 1, 10, 11), ("Dense", 4, 12288, 49156), ("Dense", 20, 7, 160)]


@pytest.mark.parametrize("kind, units, inputs, count", KERAS_COUNTS)
def test_parameter_counts_are_keras_s_own(kind, units, inputs, count):
    layer = getattr(sc, kind)(units, input_shape=(5, inputs) if kind != "Dense" else (inputs,))
    model = sc.Sequential([layer])
    assert sc.trace(model).layers[0].params == count and model.count_params() == count


@settings(max_examples=100, deadline=None)
@given(sst.sequential_specs())
def test_the_total_is_the_sum_of_the_layers_and_of_their_weights_sizes(model):
    """Three independent tallies agree: the trace's per-layer counts, count_params and the weights' own shapes."""
    trace = sc.trace(model)
    weights = sum(math.prod(row.size) for row in trace.rows if row.phase == "forward" and row.tensor.split("/")[-1]
                  in ("kernel", "recurrent_kernel", "bias"))
    assert model.count_params() == sum(c.params for c in trace.layers) == weights


def test_lstm_rows_carry_both_conventions():
    model = sc.Sequential([sc.LSTM(64, input_shape=(50, 32))])
    trace = sc.trace(model, m=16)
    assert trace.row("lstm/kernel").size == (32, 256)
    assert trace.row("lstm/recurrent_kernel").size == (64, 256)
    assert trace.row("lstm/bias").size == (256,)
    assert trace.row("Wf").size == (64, 96) and trace.row("Wf").shape == ("n_a", "n_a + n_x")
    assert trace.row("x").size == (32, 16, 50)
    assert trace.row("input").size == (16, 50, 32)


def test_return_sequences_keeps_the_time_axis():
    model = sc.Sequential([sc.LSTM(8, return_sequences=True, input_shape=(5, 3)), sc.SimpleRNN(4), sc.Dense(2)])
    outputs = [layer.output_shape for layer in sc.trace(model).layers]
    assert outputs == [(None, 5, 8), (None, 4), (None, 2)]


def test_a_recurrent_layer_on_2d_input_says_how_to_reshape():
    with pytest.raises(sc.ShapecheckError) as info:
        sc.trace(sc.Sequential([sc.LSTM(10, input_shape=(1,)), sc.Dense(1)]))
    text = str(info.value)
    assert "3-D" in text and "X.reshape((len(X), 1, 1))" in text and "(None, 1)" in text


def test_expressions_evaluate_only_when_bound():
    assert symbols("n_a + n_x") == {"n_a", "n_x"}
    assert evaluate("4*units", {"units": 10}) == 40
    assert evaluate("n_a + n_x", {"n_a": 5}) is None
    assert resolve(("n_a", "n_a + n_x"), {"n_a": 5, "n_x": 3}) == (5, 8)
    with pytest.raises(ValueError):
        symbols("__import__('os')")


def test_unification_names_both_places():
    bindings = Bindings()
    assert bindings.bind("m", 209, "X") is None and bindings.bind("m", 209, "W1") is None
    conflict = bindings.bind("m", 208, "Y")
    assert (conflict.symbol, conflict.first_place, conflict.first_size, conflict.place, conflict.size) == ("m", "X", 209, "Y", 208)


def test_trace_json_rows_follow_the_design_keys():
    data = sc.trace(sc.dense_net([5, 4, 1])).to_json()
    row = next(r for r in data["rows"] if r["tensor"] == "W1")
    assert row["layer"] == 1 and row["shape"] == [4, 5] and row["symbolic"] == ["n1", "n0"]
    assert "W[l] is (n[l], n[l-1])" in row["rule"]


def test_a_notebook_shows_the_table_without_load_ext():
    bundle = sc.trace(sc.dense_net([5, 4, 1]), m=3)._repr_mimebundle_()
    assert "W1" in bundle["text/plain"] and "(4, 5)" in bundle["text/plain"]
    assert "<table" in bundle["text/html"] and ">W1</td>" in bundle["text/html"]


def test_a_row_that_is_not_there_lists_the_rows_that_are_and_is_still_a_key_error():
    report = sc.trace(sc.dense_net([5, 4, 1]), m=3)
    with pytest.raises(KeyError) as raised:  # a bare KeyError('W9') said nothing of what the names are
        report.row("W9")
    assert isinstance(raised.value, sc.ShapecheckError)
    assert str(raised.value).startswith("There is no 'W9' in this trace: its tensors are X, W1, b1, Z1, A1, W2,")
