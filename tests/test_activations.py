"""The activation table: every g' is the derivative of its g, nothing overflows, softmax is per column."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shapecheck import strategies as sst
from shapecheck.engine.activations import ACTIVATIONS, KINKS, LEAKY_SLOPE, activation_backward, sigmoid, softmax
from shapecheck.spec.networks import ACTIVATIONS as SPEC_ACTIVATIONS

ELEMENTWISE = [name for name in ACTIVATIONS if name != "softmax"]
H = 1e-6  # centered-difference step: truncation h²·|g'''| and rounding 1e-16/h both stay below 1e-9


def strict_numerics():
    """Overflow, division by zero and invalid values raise; underflow to 0 is rounding, not an error."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


def test_the_table_covers_every_activation_a_spec_can_name():
    assert set(ACTIVATIONS) == set(SPEC_ACTIVATIONS) == set(KINKS)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ELEMENTWISE), st.lists(st.floats(-30, 30), min_size=1, max_size=20))
def test_g_prime_is_the_centered_difference_of_g(name, values):
    g, g_prime = ACTIVATIONS[name]
    Z = np.array(values)
    Z = Z[np.abs(Z) > 10 * H] if KINKS[name] else Z  # a difference across the kink at 0 is no evidence
    numeric = (g(Z + H) - g(Z - H)) / (2 * H)
    np.testing.assert_allclose(g_prime(Z), numeric, rtol=1e-6, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(ACTIVATIONS)), st.integers(1, 5), st.integers(1, 4), sst.seeds())
def test_activation_backward_is_the_vector_jacobian_product_of_g(name, n, m, seed):
    """dZ = ∂(Σ dA ∗ g(Z))/∂Z, entry by entry; for softmax this needs the whole Jacobian of each column."""
    rng = np.random.default_rng(seed)
    Z, dA = rng.standard_normal((n, m)) * 3, rng.standard_normal((n, m))
    if KINKS[name]:
        Z[np.abs(Z) < 1e-3] = 1e-3
    g = ACTIVATIONS[name][0]
    numeric = np.zeros_like(Z)
    for i, j in np.ndindex(Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[i, j] += H
        Zm[i, j] -= H
        # only column j moves (g acts entry by entry, softmax column by column): sum it alone, less rounding
        numeric[i, j] = (dA[:, j] @ g(Zp)[:, j] - dA[:, j] @ g(Zm)[:, j]) / (2 * H)
    np.testing.assert_allclose(activation_backward(name, dA, Z), numeric, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(activation_backward(name, dA, Z, g(Z)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_of_an_elementwise_g_is_dA_times_g_prime(name):
    rng = np.random.default_rng(3)
    Z, dA = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    np.testing.assert_allclose(activation_backward(name, dA, Z), dA * ACTIVATIONS[name][1](Z), rtol=1e-15)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_no_overflow_or_nan_at_z_of_a_thousand(name):
    Z = np.array([[-1e3, -1e3, 0.0], [1e3, -40.0, 1e3], [0.5, 1e3, -1e3]])
    dA = np.ones_like(Z)
    g, g_prime = ACTIVATIONS[name]
    with warnings.catch_warnings(), strict_numerics():
        warnings.simplefilter("error")
        values = [g(Z), g_prime(Z), activation_backward(name, dA, Z)]
    assert all(np.isfinite(v).all() for v in values)


def test_sigmoid_keeps_full_precision_far_below_zero():
    """0.5·(1 + tanh(z/2)) would give 0 at z = −40; σ(−40) = e^(−40)/(1 + e^(−40)) ≈ 4.2e−18."""
    z = np.array([-40.0, -700.0, -5.0])
    np.testing.assert_allclose(sigmoid(z), np.exp(z) / (1 + np.exp(z)), rtol=1e-15)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), rtol=1e-15)


def test_softmax_normalises_each_column_over_the_classes():
    Z = np.array([[1.0, 5.0], [2.0, -1.0], [3.0, 0.0]])  # (3 classes, 2 examples)
    A = softmax(Z)
    np.testing.assert_allclose(A.sum(axis=0), [1.0, 1.0], rtol=1e-15)
    assert not np.allclose(A.sum(axis=1), 1.0)  # the rows are not distributions
    np.testing.assert_allclose(softmax(Z + np.array([[100.0, -50.0]])), A, rtol=1e-14)  # a shift per column changes nothing
    np.testing.assert_allclose(A[:, 0], np.exp(Z[:, 0]) / np.exp(Z[:, 0]).sum(), rtol=1e-15)


def test_the_kinks_use_the_course_slope_on_the_left():
    zero = np.array([0.0])
    assert KINKS["relu"] == KINKS["leaky_relu"] == (0.0,)
    assert ACTIVATIONS["relu"][1](zero)[0] == 0.0  # the course's dZ[Z <= 0] = 0
    assert ACTIVATIONS["leaky_relu"][1](zero)[0] == LEAKY_SLOPE == 0.01
    np.testing.assert_array_equal(activation_backward("relu", np.ones(3), np.array([-1.0, 0.0, 1.0])), [0.0, 0.0, 1.0])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_no_function_writes_into_its_input(name):
    Z = np.array([[-2.0, 0.0], [3.0, 0.5]])
    dA = np.array([[1.0, -1.0], [2.0, 0.5]])
    before_Z, before_dA = Z.copy(), dA.copy()
    g, g_prime = ACTIVATIONS[name]
    g(Z), g_prime(Z), activation_backward(name, dA, Z), activation_backward(name, dA, Z, g(Z))
    np.testing.assert_array_equal(Z, before_Z)
    np.testing.assert_array_equal(dA, before_dA)


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_each_activation_written_once_gives_the_same_numbers_into_a_buffer(values):
    """Keras's layers run the course's formulas into buffers (z itself included): the same numbers, bit for bit."""
    from shapecheck.engine.activations import leaky_relu, relu, sigmoid, softmax, tanh

    Z = np.array(values)[:, None]
    for g in (sigmoid, tanh, relu, leaky_relu, softmax):
        expected = g(Z)
        assert np.array_equal(g(Z, out=np.empty_like(Z)) if g is not softmax else softmax(Z, 0, np.empty_like(Z)), expected)
        if g is not leaky_relu:  # leaky ReLU reads z after writing slope·z: its buffer is never z (nor was it before)
            inplace = Z.copy()
            assert np.array_equal(g(inplace, out=inplace) if g is not softmax else softmax(inplace, 0, inplace), expected)


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=16), st.integers(1, 4))
@settings(max_examples=60, deadline=None)
def test_the_gates_sigmoid_is_the_course_sigmoid_to_its_absolute_precision(values, n):
    """The recurrent kernels' form, ½·tanh(z/2) + ½ from z's halves, one tanh for σ and tanh blocks side by side:
    σ where a block is a gate, tanh where it is the candidate, within 2⁻⁵² absolutely (never above 1, never below 0)."""
    from shapecheck.engine.activations import gate_affine, gates_forward, sigmoid_of_half, tanh

    z = np.resize(np.array(values), (3, 4 * n))
    blocks = (True, True, False, True)                            # the LSTM's i, f, c̃, o
    half, shift = gate_affine(n, np.float64, blocks)
    gates = gates_forward(z * half, (half, shift))                # z·½ on σ's columns: what halved weights give
    sig = np.repeat(blocks, n)
    np.testing.assert_allclose(gates[:, sig], sigmoid(z[:, sig]), rtol=0, atol=2.0**-52)
    np.testing.assert_array_equal(gates[:, ~sig], tanh(z[:, ~sig]))
    assert 0.0 <= gates[:, sig].min() and gates[:, sig].max() <= 1.0
    np.testing.assert_allclose(sigmoid_of_half(z / 2), sigmoid(z), rtol=0, atol=2.0**-52)
    assert not half.flags.writeable and not shift.flags.writeable  # shared, cached: nobody may change them
