"""numpy's integers are whole numbers: a size that comes from ``X.shape`` arithmetic or ``np.array(layer_dims)``
is np.int64, and was refused as "np.int64(5) is not a whole number" (sizes, m, units, input_shape)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck import strategies as sst

INTEGER_TYPES = st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint16, np.uint32, np.uint64, np.intp])


@given(sst.layer_dims(), st.integers(1, 50), INTEGER_TYPES)
def test_numpy_integer_sizes_and_m_trace_as_the_same_python_ints(dims, m, kind):
    spec = sc.dense_net(np.array(dims, dtype=kind))
    assert spec == sc.dense_net(dims)
    assert all(type(n) is int for n in spec.layer_dims)
    assert sc.trace(spec, m=kind(m)).to_json() == sc.trace(sc.dense_net(dims), m=m).to_json()


@given(st.integers(1, 64), st.integers(1, 5), st.integers(1, 5), INTEGER_TYPES)
def test_numpy_integer_units_and_input_shape_count_as_keras_counts_them(units, steps, features, kind):
    ours = sc.Sequential([sc.LSTM(kind(units), input_shape=(kind(steps), kind(features))), sc.Dense(kind(1))])
    plain = sc.Sequential([sc.LSTM(units, input_shape=(steps, features)), sc.Dense(1)])
    assert ours.layers[0].units == units and type(ours.layers[0].units) is int
    assert trace_json(ours) == trace_json(plain)


def trace_json(model):
    return sc.trace(model).summary().to_json()


@pytest.mark.parametrize("value", [True, np.True_, 2.5, np.float64(2.5), "x", np.array([3, 4])])
def test_what_is_not_a_whole_number_is_still_refused_in_one_sentence(value):
    with pytest.raises(sc.ShapecheckError, match="n1 = .* not a whole number"):
        sc.dense_net([5, value, 1])
    with pytest.raises(sc.ShapecheckError, match="units = .* must be a positive integer"):
        sc.Dense(value)


def test_numpy_m_below_one_is_refused():
    with pytest.raises(sc.ShapecheckError, match="m = .* positive integer"):
        sc.trace(sc.dense_net([5, 4, 1]), m=np.int64(0))
