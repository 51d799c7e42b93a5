"""Strategies in the course's terms: right shapes and keys, seeded, shrinking to the smallest readable case."""

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck import strategies_course as scs
from shapecheck.core.errors import ShapecheckError
from shapecheck.testing import assert_shapes

sizes = st.integers(1, 6)


@given(scs.course_layer_dims(), st.data())
def test_dense_parameters_have_the_course_s_keys_and_shapes(layer_dims, data):
    params = data.draw(scs.dense_parameters(layer_dims))
    L = len(layer_dims) - 1
    assert list(params) == [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]
    assert_shapes(params, "dense_params", layer_dims=layer_dims)
    assert sc.check_params(sc.dense_net(layer_dims), params) == []
    assert all(v.dtype == np.float64 and np.all(v != 0) for v in params.values())  # a forgotten + b shows


@given(sizes, sizes, st.data())
def test_inputs_and_labels_have_one_column_per_example(n, m, data):
    X = data.draw(scs.input_batches(n, m))
    Y = data.draw(scs.binary_labels(m))
    one_hot = data.draw(scs.one_hot_labels(n, m))
    assert X.shape == (n, m) and Y.shape == (1, m) and one_hot.shape == (n, m)
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert np.array_equal(one_hot.sum(axis=0), np.ones(m)) and set(np.unique(one_hot)) <= {0.0, 1.0}


@given(scs.dense_cases())
def test_a_dense_case_runs_through_the_engine(case):
    AL, caches = sc.forward(case.layer_dims, case.parameters, case.X)  # the engine checks every shape first
    assert AL.shape == case.Y.shape == (1, case.m) and len(caches) == len(case.layer_dims) - 1


@given(scs.recurrent_sizes(), st.data())
def test_recurrent_strategies_fit_the_engine_s_lstm_and_rnn(s, data):
    x = data.draw(scs.sequences(s.n_x, s.m, s.T_x))
    a0 = data.draw(scs.input_batches(s.n_a, s.m))
    assert x.shape == (s.n_x, s.m, s.T_x)
    a, y, c, _ = sc.lstm_forward(x, a0, data.draw(scs.lstm_parameters(s.n_x, s.n_a, s.n_y)))
    assert a.shape == c.shape == (s.n_a, s.m, s.T_x) and y.shape == (s.n_y, s.m, s.T_x)
    a, y, _ = sc.rnn_forward(x, a0, data.draw(scs.rnn_parameters(s.n_x, s.n_a, s.n_y)))
    assert a.shape == (s.n_a, s.m, s.T_x) and y.shape == (s.n_y, s.m, s.T_x)


@settings(max_examples=200)
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_n_a_differs_from_n_x_whenever_the_bounds_allow(max_x, max_a, data):
    s = data.draw(scs.recurrent_sizes(max_x=max_x, max_a=max_a))
    assert 1 <= s.n_x <= max_x and 1 <= s.n_a <= max_a
    assert s.n_a != s.n_x or max_a == 1


def test_n_a_equals_n_x_only_when_nothing_else_fits():
    assert find(scs.recurrent_sizes(max_x=1, max_a=1), lambda s: True) == (1, 1, 1, 1, 1)


@pytest.mark.parametrize("strategy, smallest", [
    (scs.course_layer_dims(), [1, 1]),
    (scs.recurrent_sizes(), (1, 2, 1, 1, 1)),
])
def test_sizes_shrink_towards_the_smallest_readable_case(strategy, smallest):
    assert find(strategy, lambda value: True) == smallest


def test_a_dense_case_shrinks_to_one_unit_and_one_example():
    case = find(scs.dense_cases(), lambda case: True)
    assert (case.layer_dims, case.m, case.X.shape) == ([1, 1], 1, (1, 1))


def test_arrays_shrink_to_the_seed_0_draw_so_a_failure_reproduces():
    smallest = find(scs.input_batches(2, 3), lambda X: True)
    assert np.array_equal(smallest, np.random.default_rng(0).standard_normal((2, 3)))


def test_parameters_are_the_seed_s_draw_in_the_course_s_key_order():
    smallest = find(scs.rnn_parameters(2, 3, 1), lambda p: True)
    rng = np.random.default_rng(0)
    shapes = {"Wax": (3, 2), "Waa": (3, 3), "Wya": (1, 3), "ba": (3, 1), "by": (1, 1)}
    assert list(smallest) == list(shapes)
    assert all(np.array_equal(smallest[k], rng.standard_normal(shape) * 0.5) for k, shape in shapes.items())


@pytest.mark.parametrize("make, words", [
    (lambda: scs.input_batches(0, 3), "n0 = 0"),
    (lambda: scs.sequences(2, 3, True), "T_x = True"),
    (lambda: scs.dense_parameters([4]), "at least two sizes"),
    (lambda: scs.dense_parameters([4, 2], scale=-1), "scale = -1"),
    (lambda: scs.course_layer_dims(max_layers=0), "max_layers = 0"),
    (lambda: scs.recurrent_sizes(max_a=2.5), "max_a = 2.5"),
])
def test_bad_arguments_fail_when_the_strategy_is_made_not_when_it_is_drawn(make, words):
    with pytest.raises(ShapecheckError, match=words):
        make()
