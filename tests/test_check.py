"""check_params: silent on right shapes, and names the tensor of every single broken one."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck import strategies as sst
from shapecheck.validate.params import check_data, require_valid


@settings(max_examples=200, deadline=None)
@given(sst.dense_specs().flatmap(lambda spec: st.tuples(st.just(spec), sst.params_for(spec))))
def test_right_dense_params_give_no_problem(case):
    spec, params = case
    assert sc.check_params(spec, params) == []
    assert sc.check_params(None, params) == []  # inferred sizes agree too


@settings(max_examples=100, deadline=None)
@given(sst.sequential_specs().flatmap(lambda model: st.tuples(st.just(model), sst.params_for(model))))
def test_right_keras_weights_give_no_problem(case):
    model, params = case
    assert sc.check_params(model, params) == []


@settings(max_examples=300, deadline=None)
@given(sst.dense_specs().flatmap(lambda spec: st.tuples(st.just(spec), sst.corrupted_shapes(spec))))
def test_every_single_corrupted_dense_dim_is_reported_by_name(case):
    spec, (shapes, corruption) = case
    problems = sc.check_params(spec, shapes)
    assert [p.tensor for p in problems] == [corruption.tensor]
    assert problems[0].actual == corruption.shape
    if corruption.how == "transpose":  # a transposed bias is a row (1, n)
        assert ("looks transposed" if corruption.tensor[0] == "W" else "is a row") in problems[0].message
    if corruption.how == "rank1":
        assert "rank-1" in problems[0].message and "reshape" in problems[0].hint


@settings(max_examples=100, deadline=None)
@given(sst.sequential_specs().flatmap(lambda model: st.tuples(st.just(model), sst.corrupted_shapes(model))))
def test_every_single_corrupted_keras_weight_is_reported_by_name(case):
    model, (shapes, corruption) = case
    assert [p.tensor for p in sc.check_params(model, shapes)] == [corruption.tensor]


@settings(max_examples=200, deadline=None)
@given(sst.dense_specs(min_layers=2).flatmap(lambda spec: st.tuples(st.just(spec), sst.corrupted_shapes(spec))))
def test_without_a_spec_the_broken_tensor_is_still_named(case):
    spec, (shapes, corruption) = case
    right = sst.param_shapes(spec)
    # W1's column count *is* n0 when no spec says otherwise: that one change cannot be seen
    assume(not (corruption.tensor == "W1" and corruption.how == "dim" and corruption.shape[0] == right["W1"][0]))
    named = {p.tensor for p in sc.check_params(None, shapes)}
    # W[L] and b[L] are the only witnesses of n[L]: when they disagree either may be the one named
    assert corruption.tensor in named or (corruption.tensor[1:] == str(spec.L) and _partner(corruption.tensor) in named)


def _partner(name):
    return ("b" if name[0] == "W" else "W") + name[1:]


def test_transposed_w2_in_the_course_network_reads_like_the_style_guide():
    spec = sc.dense_net([12288, 20, 7, 5, 1])
    shapes = sst.param_shapes(spec)
    shapes["W2"] = (20, 7)
    (problem,) = sc.check_params(spec, shapes)
    assert problem.message.startswith("W2 has shape (20, 7) but must be (7, 20): W[l] is (n[l], n[l-1])")
    assert "looks transposed" in problem.message
    assert "W2.T" in problem.hint and "np.random.randn(7, 20) * 0.01" in problem.hint


def test_a_chain_break_names_both_tensors():
    spec = sc.dense_net([12288, 20, 7, 5, 1])
    shapes = sst.param_shapes(spec)
    shapes["W3"] = (5, 8)
    (problem,) = sc.check_params(spec, shapes)
    assert "W3 has 8 columns but layer 2 has 7 units" in problem.message and "W2" in problem.message


def test_missing_and_unexpected_keys_are_reported_in_layer_order():
    shapes = sst.param_shapes(sc.dense_net([5, 4, 3, 1]))
    del shapes["b2"]
    shapes["w1"] = (4, 5)
    problems = sc.check_params(sc.dense_net([5, 4, 3, 1]), shapes)
    assert [(p.kind, p.tensor) for p in problems] == [("missing", "b2"), ("unexpected", "w1")]
    assert "W1" in problems[1].hint  # did you mean W1?


def test_row_bias_and_rank_problems():
    spec = sc.dense_net([5, 4, 1])
    problems = sc.check_params(spec, {"W1": (4, 5, 1), "b1": (1, 4), "W2": (1, 4), "b2": (1, 1)})
    assert [p.tensor for p in problems] == ["W1", "b1"]
    assert "3 dimension(s)" in problems[0].message and "row" in problems[1].message


def test_lstm_gate_with_wrong_column_count_names_n_a_plus_n_x():
    params = {f"W{g}": (5, 8) for g in "fico"} | {f"b{g}": (5, 1) for g in "fico"}
    params["Wc"] = (5, 7)
    (problem,) = sc.check_params(None, params)
    assert problem.tensor == "Wc" and "n_a + n_x = 5 + 3 = 8" in problem.message


def test_m_bound_twice_names_both_places():
    spec = sc.dense_net([12288, 20, 7, 5, 1])
    report = check_data(spec, X=np.zeros((12288, 209)), Y=np.zeros((1, 208)))
    assert report[0].message.startswith("m is 209 in X but 208 in Y")


def test_rank1_labels_and_transposed_x_get_their_own_sentences():
    spec = sc.dense_net([3, 1])
    report = check_data(spec, X=np.zeros((7, 3)), Y=np.zeros(7))
    assert "examples must be columns" in report[0].message
    assert "Y.reshape(1, -1)" in report[1].hint


def test_require_valid_raises_the_first_problem_with_its_rule():
    with pytest.raises(sc.ShapecheckError, match=r"b\[l\] is \(n\[l\], 1\)"):
        require_valid(sc.dense_net([3, 2]), {"W1": np.zeros((2, 3)), "b1": np.zeros(2)})


def test_non_numeric_arrays_are_a_dtype_problem_and_user_arrays_are_untouched():
    W1 = np.array([["a"] * 3] * 2)
    params = {"W1": W1, "b1": np.zeros((2, 1))}
    before = W1.copy()
    (problem,) = sc.check_params(sc.dense_net([3, 2]), params)
    assert problem.kind == "dtype" and np.array_equal(W1, before)


def test_keys_that_fit_no_layer_are_bad_input():
    with pytest.raises(sc.ShapecheckError, match="fit a network"):
        sc.check_params(None, {"weights": np.zeros(3)})


def test_report_json_has_the_design_keys():
    data = sc.check_params(sc.dense_net([3, 2]), {"W1": (3, 2), "b1": (2, 1)}).to_json()
    assert data["passed"] is False
    assert set(data["problems"][0]) >= {"kind", "tensor", "expected", "actual", "message", "hint"}
    assert data["problems"][0]["expected"] == [2, 3] and data["problems"][0]["actual"] == [3, 2]


def test_print_of_a_report_shows_the_table_and_the_rule_not_a_repr():
    spec = sc.dense_net([5, 4, 1])
    params = sc.init_params(spec, seed=1)
    params["W2"] = params["W2"].T
    report = sc.check_params(spec, params)
    text = str(report)
    assert "W[l] is (n[l], n[l-1])" in text and "Fix:" in text
    assert not text.startswith("ParamsReport(")
    assert repr(report).startswith("ParamsReport(")  # the repr stays a repr, for debugging
    assert "Z[l] = W[l]·A[l-1] + b[l]" in str(sc.trace(spec, m=3))
