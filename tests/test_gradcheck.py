"""sc.gradcheck on black-box costs: per-tensor verdicts, modes, noise floor, kinks, NaN, the report."""

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.gradients import kinks
from shapecheck.gradients.gradcheck import (
    NOISE_MARGIN, THRESHOLD, GradcheckWarning, backward_order, band_of, compare, rounding_noise,
)
from shapecheck.core.errors import ShapecheckError

MODES = ("full", "sample", "directional")


def quadratic(shapes, seed):
    """J = Σ_t Σ c_t·θ_t² + d_t·θ_t, with its exact gradient: a smooth cost of several tensors."""
    rng = np.random.default_rng(seed)
    c = {n: rng.uniform(0.1, 2, s) for n, s in shapes.items()}
    d = {n: rng.standard_normal(s) for n, s in shapes.items()}
    params = {n: rng.standard_normal(s) for n, s in shapes.items()}

    def f(p):
        return float(sum(np.sum(c[n] * p[n] ** 2 + d[n] * p[n]) for n in p))

    grads = {"d" + n: 2 * c[n] * params[n] + d[n] for n in params}
    return f, params, grads


shapes_st = st.dictionaries(
    st.sampled_from(["W1", "b1", "W2", "b2", "W3"]),
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    min_size=1, max_size=4,
)


@settings(max_examples=40, deadline=None)
@given(shapes_st, st.integers(0, 2**32 - 1), st.sampled_from(MODES))
def test_a_right_gradient_passes_in_every_mode(shapes, seed, mode):
    f, params, grads = quadratic(shapes, seed)
    report = sc.gradcheck(f, params, grads, mode=mode, seed=seed % 100)
    assert report.passed, report.conclusion()
    assert report.difference < THRESHOLD


@settings(max_examples=40, deadline=None)
@given(shapes_st, st.integers(0, 2**32 - 1), st.sampled_from(MODES), st.data())
def test_a_wrong_tensor_fails_in_every_mode_and_is_named(shapes, seed, mode, data):
    f, params, grads = quadratic(shapes, seed)
    broken = data.draw(st.sampled_from(sorted(grads)))
    grads[broken] = grads[broken] * 3 + 0.5  # wrong everywhere, by far
    report = sc.gradcheck(f, params, grads, mode=mode)
    assert not report.passed
    assert report.first_failure.name == broken
    assert [t.name for t in report.tensors if not t.passed and t.name != "theta"] == [broken]


def test_sample_covers_each_tensor_with_k_seeded_coordinates():
    f, params, grads = quadratic({"W1": (5, 6), "b1": (5, 1), "W2": (1, 2)}, 0)
    report = sc.gradcheck(f, params, grads, mode="sample", k=4, seed=3)
    assert {t.name: t.checked for t in report.tensors} == {"dW2": 2, "dW1": 4, "db1": 4}
    again = sc.gradcheck(f, params, grads, mode="sample", k=4, seed=3)
    other = sc.gradcheck(f, params, grads, mode="sample", k=4, seed=4)
    assert report.to_json() == again.to_json()
    assert report.tensors[1].worst != other.tensors[1].worst  # another seed, other coordinates
    assert "4 seeded coordinates per tensor" in report.coverage()


def test_directional_costs_2k_evaluations_whatever_the_size():
    for size in (3, 300):
        f, params, grads = quadratic({"W1": (size, 10)}, 1)
        report = sc.gradcheck(f, params, grads, mode="directional", k=7)
        assert report.evaluations == 2 * 7 + 1  # and J(θ) once
        assert [t.name for t in report.tensors] == ["theta"]


def test_directional_failure_is_located_by_the_same_directions_per_tensor():
    f, params, grads = quadratic({"W1": (4, 3), "b1": (4, 1), "W2": (2, 4)}, 2)
    grads["db1"] = -grads["db1"]
    report = sc.gradcheck(f, params, grads, mode="directional", k=5)
    assert not report.passed
    assert report.evaluations == 1 + 2 * 5 * (1 + 3)
    assert report.first_failure.name == "db1" and report.first_failure.pattern.kind == "opposite_sign"
    assert {t.name for t in report.tensors if t.passed} == {"dW1", "dW2"}


def test_all_zero_gradients_on_both_sides_pass_without_dividing_by_zero():
    params = {"W": np.ones((2, 3)), "b": np.zeros((2, 1))}
    report = sc.gradcheck(lambda p: 4.0, params, {"dW": np.zeros((2, 3)), "db": np.zeros((2, 1))})
    assert report.passed and report.difference == 0.0
    assert all(t.difference == 0.0 and t.band == "great" for t in report.tensors)


def test_a_zero_analytic_gradient_of_a_moving_cost_is_named_as_such():
    f, params, grads = quadratic({"W1": (3, 2)}, 5)
    report = sc.gradcheck(f, params, {"dW1": np.zeros((3, 2))})
    assert report.tensors[0].pattern.kind == "zero_analytic"
    assert "all zeros" in report.conclusion()


def test_nan_in_a_gradient_is_its_own_finding_with_its_index():
    f, params, grads = quadratic({"W1": (3, 2), "W2": (2, 2)}, 6)
    grads["dW1"][2, 1] = np.nan
    report = sc.gradcheck(f, params, grads)
    row = {t.name: t for t in report.tensors}["dW1"]
    assert row.band == "not_finite" and row.pattern.where == "analytic" and row.worst_index == (2, 1)
    assert {t.name: t for t in report.tensors}["dW2"].passed
    assert not report.passed and "NaN or inf" in report.conclusion() and "(2, 1)" in report.conclusion()
    json.dumps(report.to_json(), allow_nan=False)  # NaN has no JSON spelling: it is null


def test_a_cost_that_is_not_finite_stops_the_check_with_one_finding():
    with np.errstate(divide="ignore"):
        report = sc.gradcheck(lambda p: float(np.log(p["W"].sum() - 6)), {"W": np.ones((2, 3))}, {"dW": np.ones((2, 3))})
    assert not report.passed and not report.cost_finite
    assert "log(0)" in report.conclusion()
    assert report.to_json()["cost"] is None


def test_a_cost_that_overflows_next_to_a_coordinate_is_a_numeric_finding():
    def f(p):
        with np.errstate(divide="ignore"):
            return float(np.sum(np.log(p["W"])))

    params = {"W": np.array([[1.0, 1e-7]])}  # θ − ε = 0 for the second entry: log(0) = −inf
    report = sc.gradcheck(f, params, {"dW": 1 / params["W"]})
    assert report.tensors[0].pattern.where == "numeric" and report.tensors[0].worst_index == (0, 1)


def test_nan_in_a_parameter_is_reported_before_any_difference():
    report = sc.gradcheck(lambda p: float(np.nansum(p["W"])), {"W": np.array([[np.nan, 1.0]])}, {"dW": np.ones((1, 2))})
    assert report.tensors[0].pattern.where == "parameter" and report.tensors[0].checked == 0


def test_float32_is_upcast_with_a_warning_that_says_why_and_nothing_is_mutated():
    W = np.array([[0.5, -1.5]], dtype=np.float32)
    before = W.copy()
    seen = []

    def f(p):
        seen.append(p["W"].dtype)
        return float(np.sum(p["W"] ** 2))

    with pytest.warns(GradcheckWarning, match="float32"):
        report = sc.gradcheck(f, {"W": W}, {"dW": 2 * W})
    assert set(seen) == {np.dtype(np.float64)}
    assert report.passed and "float64" in report.warnings[0] and "rounding" in report.warnings[0]
    assert W.dtype == np.float32 and np.array_equal(W, before)


def test_the_users_arrays_are_never_written():
    f, params, grads = quadratic({"W1": (3, 3), "b1": (3, 1)}, 7)
    copies = {n: v.copy() for n, v in {**params, **grads}.items()}
    for mode in MODES:
        sc.gradcheck(f, params, grads, mode=mode, detect_kinks=True)
    assert all(np.array_equal(v, copies[n]) for n, v in {**params, **grads}.items())


def test_gradients_keyed_like_the_parameters_work_too():
    f, params, grads = quadratic({"W1": (2, 2)}, 8)
    report = sc.gradcheck(f, params, {"W1": grads["dW1"]})
    assert report.passed and report.tensors[0].name == "dW1"


def test_a_missing_gradient_fails_and_says_so():
    f, params, grads = quadratic({"W1": (2, 2), "b1": (2, 1)}, 9)
    del grads["db1"]
    report = sc.gradcheck(f, params, grads)
    assert report.first_failure.name == "db1" and report.first_failure.pattern.kind == "missing"


@pytest.mark.parametrize("shape, given, kind", [
    ((2, 3), lambda g: g.T, "transposed"),
    ((3, 1), lambda g: g.ravel(), "rank1"),  # a db without keepdims
    ((2, 3), lambda g: g.ravel(), "shape"),
    ((2, 3), lambda g: g[:, :1], "shape"),
])
def test_a_gradient_of_the_wrong_shape_fails_with_what_the_shape_looks_like(shape, given, kind):
    f, params, grads = quadratic({"W1": shape}, 10)
    report = sc.gradcheck(f, params, {"dW1": given(grads["dW1"])})
    row = report.tensors[0]
    assert not row.passed and row.pattern.kind == kind and row.band == "wrong"
    assert row.grad_shape == np.shape(given(grads["dW1"]))


def test_a_square_gradient_with_transposed_values_is_recognised():
    f, params, grads = quadratic({"W1": (3, 3)}, 11)
    report = sc.gradcheck(f, params, {"dW1": grads["dW1"].T.copy()})
    assert report.tensors[0].pattern.kind == "transposed_values"


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 300), st.integers(0, 2**32 - 1))
def test_a_factor_of_m_is_called_a_missing_one_over_m(m, seed):
    f, params, grads = quadratic({"W1": (3, 2)}, seed)
    report = sc.gradcheck(f, params, {"dW1": m * grads["dW1"]}, m=m)
    assert report.tensors[0].pattern.kind == "missing_1_over_m"
    assert "the 1/m is missing" in report.conclusion()
    assert sc.gradcheck(f, params, {"dW1": grads["dW1"] / m}, m=m).tensors[0].pattern.kind == "extra_1_over_m"


def test_some_entries_right_and_others_not_is_partly_right():
    f, params, grads = quadratic({"W1": (4, 4)}, 12)
    wrong = grads["dW1"].copy()
    wrong[:2] *= 0.5
    report = sc.gradcheck(f, params, {"dW1": wrong})
    assert report.tensors[0].pattern.kind == "partly_right" and report.tensors[0].pattern.matching == 8


def test_bands_in_order_of_the_documented_table():
    assert band_of(1e-9, below_noise=False, threshold=2e-7) == "great"
    assert band_of(2e-7, below_noise=False, threshold=2e-7) == "great"
    assert band_of(1e-5, below_noise=True, threshold=2e-7) == "acceptable"
    assert band_of(1e-5, below_noise=False, threshold=2e-7) == "suspicious"
    assert band_of(1e-3, below_noise=False, threshold=2e-7) == "wrong"
    assert band_of(0.5, below_noise=True, threshold=2e-7) == "acceptable"


def test_a_tiny_right_gradient_is_below_the_noise_floor_and_not_blamed():
    # J ≈ 0.7 plus a term whose gradient is ~1e-6, like dW1 under the course's ×0.01 initialisation
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 5))

    def f(p):
        return 0.7 + 1e-6 * float(np.sum(np.tanh(p["W1"] @ X)))

    params = {"W1": rng.standard_normal((3, 4))}
    grads = {"dW1": 1e-6 * (1 - np.tanh(params["W1"] @ X) ** 2) @ X.T}
    row = sc.gradcheck(f, params, grads).tensors[0]
    assert row.difference > THRESHOLD  # the course's bar alone would fail a right gradient ...
    assert row.below_noise and row.band == "acceptable" and row.passed  # ... the noise floor does not
    report = sc.gradcheck(f, params, grads)
    assert "pass (rounding)" in report.conclusion() and "rounding floor" in report.conclusion()
    # and a wrong tiny gradient is still above the noise: the floor hides nothing real
    assert not sc.gradcheck(f, params, {"dW1": 2 * grads["dW1"]}).passed


def test_the_noise_estimate_bounds_the_rounding_of_centered_differences():
    rng = np.random.default_rng(1)
    ratios = []
    for _ in range(200):
        a, x = rng.standard_normal(), rng.standard_normal()
        J = lambda t: float(np.log1p(np.exp(a * t)))  # noqa: E731
        g = a / (1 + np.exp(-a * x))
        n = (J(x + 1e-7) - J(x - 1e-7)) / 2e-7
        ratios.append(abs(n - g) / rounding_noise(J(x), 1e-7, x, n))
    assert max(ratios) < NOISE_MARGIN
    assert max(ratios) > NOISE_MARGIN / 100  # the estimate is not absurdly loose either


def test_compare_keeps_kinks_out_of_the_verdict():
    analytic = np.array([1.0, 2.0, 3.0])
    numeric = np.array([1.0, 2.0, 30.0])
    indices = np.arange(3)[:, None]
    with_kink = compare("dW", "W", (3,), analytic, numeric, indices, np.array([0, 0, 1], bool), 1e-9, 2e-7)
    assert with_kink.passed and with_kink.kinks == 1 and with_kink.checked == 2
    without = compare("dW", "W", (3,), analytic, numeric, indices, np.zeros(3, bool), 1e-9, 2e-7)
    assert not without.passed  # meta: the same numbers fail when the kink is not set aside


def test_backward_order_is_dW_L_first():
    assert backward_order(["W1", "b1", "W2", "b2", "W10"]) == ["W10", "W2", "b2", "W1", "b1"]
    assert backward_order(["conv", "dense"]) == ["dense", "conv"]


# --- black-box kinks ------------------------------------------------------------------------------------


def test_black_box_kinks_are_flagged_and_set_aside():
    params = {"W": np.array([[0.0, 5e-8, -1.5e-7, 1.0, -1.0]])}

    def f(p):
        return float(np.sum(np.maximum(p["W"], 0.0)) + 0.3)

    grads = {"dW": (params["W"] > 0).astype(float)}  # the course's choice at 0: the left slope
    plain = sc.gradcheck(f, params, grads)
    assert not plain.passed  # meta: without the detector the kinks fail a right gradient
    report = sc.gradcheck(f, params, grads, detect_kinks=True)
    assert report.passed and report.kinks == 3 and report.tensors[0].checked == 2
    assert "set aside" in report.conclusion()


@settings(max_examples=60, deadline=None)
@given(st.floats(-3, 3), st.floats(0.1, 3), st.floats(0, 3), st.sampled_from(["exp", "sin", "quartic", "softplus"]))
def test_smooth_costs_have_no_black_box_kinks(x, a, c, kind):
    # costs are sums of non-negative terms, as losses are: rounding is then relative to |J|
    g = {"exp": np.exp, "sin": lambda t: 2 + np.sin(t), "quartic": lambda t: t ** 2 + t ** 4,
         "softplus": lambda t: np.log1p(np.exp(t))}[kind]
    J = lambda t: float(c + g(a * t))  # noqa: E731
    steps = np.array([[((x + o * 1e-7) - x)] for o in (-2, -1, 1, 2)])
    values = np.array([[J(x + s[0])] for s in steps])
    assert not kinks.one_sided(values, steps, J(x), 1e-7)[0]


@settings(max_examples=60, deadline=None)
@given(st.floats(-1.9, 1.9), st.floats(-3, 3), st.floats(-3, 3), st.floats(-2, 2))
def test_a_slope_jump_anywhere_within_two_steps_is_a_kink(where, left, right, c):
    assume(abs(left - right) >= 0.05)
    x0 = where * 1e-7  # the kink, within (−2ε, 2ε) of θ = 0

    def J(t):
        return c + (left if t < x0 else right) * (t - x0)

    steps = np.array([[o * 1e-7] for o in (-2, -1, 1, 2)])
    values = np.array([[J(s[0])] for s in steps])
    assert kinks.one_sided(values, steps, J(0.0), 1e-7)[0]


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("options, words", [
    ({"mode": "fast"}, ["mode", "full"]),
    ({"eps": 0}, ["eps", "1e-7"]),
    ({"k": 0}, ["k = 0"]),
    ({"threshold": -1}, ["threshold"]),
])
def test_bad_options_are_one_sentence(options, words):
    with pytest.raises(ShapecheckError) as error:
        sc.gradcheck(lambda p: 0.0, {"W": np.ones(2)}, {"dW": np.ones(2)}, **options)
    assert all(w in str(error.value) for w in words)


def test_bad_params_and_costs_are_one_sentence():
    with pytest.raises(ShapecheckError, match="dict of arrays"):
        sc.gradcheck(lambda p: 0.0, [np.ones(2)], {})
    with pytest.raises(ShapecheckError, match="one number"):
        sc.gradcheck(lambda p: np.ones(3), {"W": np.ones(2)}, {"dW": np.ones(2)})
    with pytest.raises(ShapecheckError, match="not numbers"):
        sc.gradcheck(lambda p: 0.0, {"W": np.array(["a"])}, {"dW": np.ones(1)})


# --- the report -----------------------------------------------------------------------------------------


def _failing_report():
    f, params, grads = quadratic({"W1": (3, 2), "b1": (3, 1), "W2": (2, 3), "b2": (2, 1)}, 13)
    grads["dW2"] = 10 * grads["dW2"]
    return sc.gradcheck(f, params, grads, m=10)


def test_json_has_the_design_keys_and_plain_values():
    data = json.loads(json.dumps(_failing_report().to_json(), allow_nan=False))
    assert {"passed", "difference", "threshold", "mode", "tensors"} <= set(data)
    assert data["passed"] is False and data["mode"] == "full" and data["threshold"] == 2e-7
    row = data["tensors"][0]
    assert {"name", "difference", "max_abs_error", "worst_index", "passed", "kinks"} <= set(row)
    assert row["name"] == "dW2" and row["passed"] is False and row["pattern"]["kind"] == "missing_1_over_m"
    assert isinstance(row["worst_index"], list) and len(row["worst_index"]) == 2
    assert data["first_failure"] == "dW2" and "1/m" in data["conclusion"]


def test_the_overall_difference_is_the_course_measure_over_every_coordinate():
    """‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) over all coordinates of all tensors, against numbers worked out by hand."""
    # J = Σ W1² + Σ b1³ at W1 = [1, 2], b1 = [1]: exact dW1 = [2, 4], db1 = [3]; dW1 given 1.5× too large = [3, 6]
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[1.0]])}
    grads = {"dW1": np.array([[3.0, 6.0]]), "db1": np.array([[3.0]])}
    report = sc.gradcheck(lambda p: float(np.sum(p["W1"] ** 2) + np.sum(p["b1"] ** 3)), params, grads)
    # ‖(1, 2, 0)‖ / (‖(3, 6, 3)‖ + ‖(2, 4, 3)‖) = √5 / (√54 + √29): both tensors count, not dW1 alone (that is 1/5)
    assert report.difference == pytest.approx(5 ** 0.5 / (54 ** 0.5 + 29 ** 0.5), rel=1e-7)
    assert report.difference == pytest.approx(0.1756033, rel=1e-6)


def test_the_overall_difference_is_the_notebooks_printed_number():
    """The gradient-checking notebook prints 0.2850931567761624 for its planted backward_propagation_n."""
    from shapecheck.diagnosis.assignments.gradcheck.cases import notebook_case
    from shapecheck.engine import gradient_checking as gc

    X, Y, params = notebook_case()
    _, cache = gc.forward_propagation_n(X, Y, params)
    planted = gc.backward_propagation_n_as_shipped(X, Y, cache)
    report = sc.gradcheck(lambda p: gc.forward_propagation_n(X, Y, p)[0], params, {k: planted[k] for k in planted if k[1] in "Wb"})
    assert report.passed is False and report.difference == pytest.approx(0.2850931567761624, rel=1e-8)


def test_the_table_at_width_80_names_the_tensor_and_says_fail():
    text = _failing_report().to_text(width=80)
    assert "dW2" in text and "FAIL" in text and "1/m" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_passing_table_says_pass_and_a_notebook_gets_html():
    f, params, grads = quadratic({"W1": (2, 2)}, 14)
    report = sc.gradcheck(f, params, grads)
    assert "PASS" in report.to_text(width=80) and "FAIL" not in report.to_text(width=80)
    assert "dW1" in report._repr_mimebundle_()["text/html"]


def test_progress_is_reported_up_to_the_total():
    f, params, grads = quadratic({"W1": (3, 4), "b1": (3, 1)}, 15)
    calls = []
    sc.gradcheck(f, params, grads, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (15, 15) and len(calls) == 15
