"""shapecheck.testing: assertion helpers that pass on right code and fail with the diagnosis's explanation."""

import doctest
import functools
import types
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import shapecheck.testing as testing_module
from shapecheck import strategies_course as scs
from shapecheck.diagnosis import mutants, reference
from contracts_by_kind import EVERY, reference_of, split
from shapecheck.core.errors import ShapecheckError
from shapecheck.spec.networks import dense_net
from shapecheck.testing import assert_gradients_close, assert_matches_reference, assert_shapes

GALLERY = Path(__file__).parent / "gallery"


def module_from(path: str, replace: tuple = ()) -> types.ModuleType:
    source = (GALLERY / path).read_text()
    for old, new in replace:
        assert old in source, old
        source = source.replace(old, new)
    module = types.ModuleType("student")
    exec(compile(source, "student.py", "exec"), module.__dict__)
    return module


# --- the README's property-based test of a student's L_model_backward ------------------------------------


def L_model_backward_property(student):  # noqa: N802 - the course's name
    """The README snippet (its 8 lines from @given on), with ``student`` the module under test."""

    @settings(max_examples=25, deadline=None)
    @given(scs.dense_cases())
    def test_L_model_backward(case):  # noqa: N802
        AL, caches = student.L_model_forward(case.X, case.parameters)
        grads = student.L_model_backward(AL, case.Y, caches)
        assert_shapes(grads, "dense_grads", layer_dims=case.layer_dims, m=case.m)
        J = lambda p: student.compute_cost(student.L_model_forward(case.X, p)[0], case.Y)  # noqa: E731
        assert_gradients_close(J, case.parameters, grads, m=case.m)

    return test_L_model_backward


MISSING_1_OVER_M = (("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)"),
                    ("db = 1 / m * np.sum(dZ, axis=1, keepdims=True)", "db = np.sum(dZ, axis=1, keepdims=True)"))


def recording(module) -> tuple[types.SimpleNamespace, list]:
    """``module`` with its L_model_backward's every call recorded: (AL, Y, caches, grads)."""
    calls = []

    def L_model_backward(AL, Y, caches):  # noqa: N802
        grads = module.L_model_backward(AL, Y, caches)
        calls.append((AL, Y, caches, grads))
        return grads
    return types.SimpleNamespace(L_model_forward=module.L_model_forward, compute_cost=module.compute_cost,
                                 L_model_backward=L_model_backward), calls


def assert_explored(calls: list) -> None:
    """The property really ran: many examples, nets from L = 1 to L ≥ 3, several m."""
    assert len(calls) >= 10
    depths = {sum(key.startswith("dW") for key in grads) for _, _, _, grads in calls}
    assert min(depths) == 1 and max(depths) >= 3, depths
    assert len({Y.shape[1] for _, Y, _, _ in calls}) >= 3


def test_meta_assert_explored_fails_on_a_run_that_saw_one_kind_of_net():
    one = (np.ones((1, 2)), np.ones((1, 2)), None, {"dW1": 0, "db1": 0})
    with pytest.raises(AssertionError):
        assert_explored([one] * 30)
    with pytest.raises(AssertionError):
        assert_explored([])


def test_the_property_test_passes_for_the_engine_based_reference():
    dnn = types.SimpleNamespace(L_model_forward=reference.L_model_forward, L_model_backward=reference.L_model_backward,
                                compute_cost=reference.of("compute_cost", "dnn"))
    student, calls = recording(dnn)
    L_model_backward_property(student)()
    assert_explored(calls)


def test_the_property_test_passes_for_a_correct_student_file_whose_gradients_are_the_reference_s():
    student, calls = recording(module_from("correct/dnn_course.py"))
    L_model_backward_property(student)()
    assert_explored(calls)
    for AL, Y, caches, grads in calls:  # what passed is right, by the engine's own backward (not by assert_*)
        right = reference.L_model_backward(AL, Y, caches)
        assert grads.keys() == right.keys() and all(np.allclose(grads[k], right[k], rtol=1e-10, atol=1e-12) for k in right)


def test_the_property_test_fails_for_a_copy_without_1_over_m_and_says_so():
    broken = module_from("correct/dnn_course.py", MISSING_1_OVER_M)
    with pytest.raises(AssertionError) as info:
        L_model_backward_property(broken)()
    text = str(info.value)
    assert "the 1/m is missing" in text and "dW = (1/m)·dZ·A_prevᵀ" in text
    assert "dW1" in text and "wrong" in text  # the per-tensor lines follow the conclusion


# --- assert_shapes ------------------------------------------------------------------------------------


def test_assert_shapes_is_silent_on_right_shapes_of_every_kind():
    grads = {"dA0": np.ones((3, 2)), "dW1": np.ones((4, 3)), "db1": np.ones((4, 1)), "dA1": np.ones((4, 2)),
             "dW2": np.ones((1, 4)), "db2": np.ones((1, 1))}
    assert_shapes(grads, "dense_grads", layer_dims=[3, 4, 1], m=2)
    assert_shapes({k.replace("d", "", 1): v for k, v in grads.items() if k[1] in "Wb"}, dense_net([3, 4, 1]))
    assert_shapes({"a": np.ones((5, 2, 3)), "x": np.ones((4, 2, 3))}, {"a": ("n_a", "m", "T_x"), "x": ("n_x", "m", "T_x")})
    assert_shapes(np.ones((2, 7)), (2, "m"), m=7)


@pytest.mark.parametrize("actual, expected, options, words", [
    (np.ones(4), ("n", 1), {"name": "db"}, ["db is rank-1 (4,)", "keepdims=True"]),
    (np.ones((5, 4)), ("n", "n_prev"), {"name": "W", "n": 4}, ["W has shape (5, 4) but must be (4, 5)", "looks transposed"]),
    ({"a": np.ones((5, 2)), "c": np.ones((5, 3))}, {"a": ("n_a", "m"), "c": ("n_a", "m")}, {},
     ["m is 2 in a (assert_shapes) but 3 in c (assert_shapes)"]),
    ({"dW1": np.ones((4, 3))}, "dense_grads", {"layer_dims": [3, 4], "m": 2}, ["no key 'db1'", "(4, 1)"]),
    ({"W1": np.ones((4, 3)), "b1": np.ones(4)}, dense_net([3, 4]), {}, ["b1 is rank-1 (4,)", "b1.reshape(4, 1)"]),
    ({"Wf": np.ones((5, 7))}, {"Wf": ("n_a", "n_a + n_x")}, {"n_a": 5, "n_x": 3},
     ["Wf has 7 columns but must have n_a + n_x = 5 + 3 = 8"]),
    ([[1.0, 2.0]], (1, "m"), {"name": "Y"}, ["Y is a Python list", "np.array(Y)"]),
])
def test_assert_shapes_fails_with_the_sentence_of_the_rule(actual, expected, options, words):
    with pytest.raises(AssertionError) as info:
        assert_shapes(actual, expected, **options)
    assert all(w in str(info.value) for w in words), str(info.value)
    assert "Fix: " in str(info.value)


def test_assert_shapes_accepts_the_older_notebook_s_dA_keys():
    grads = {"dA1": np.ones((3, 2)), "dW1": np.ones((4, 3)), "db1": np.ones((4, 1))}
    assert_shapes(grads, "dense_grads", layer_dims=[3, 4], m=2)


def test_assert_shapes_rejects_what_it_cannot_read_as_bad_input():
    with pytest.raises(ShapecheckError, match="layout name"):
        assert_shapes({}, "dense_gradients")
    with pytest.raises(ShapecheckError, match="layout name"):
        assert_shapes({}, 3)


# --- assert_gradients_close -----------------------------------------------------------------------------


def cost_and_grads(m=4, seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1))}
    X = rng.standard_normal((2, m))

    def J(p):
        return float(np.sum((p["W1"] @ X + p["b1"]) ** 2) / (2 * m))

    dZ = (params["W1"] @ X + params["b1"]) / m
    return J, params, {"dW1": dZ @ X.T, "db1": dZ.sum(axis=1, keepdims=True)}


def test_assert_gradients_close_passes_on_right_gradients_and_returns_the_report():
    J, params, grads = cost_and_grads()
    assert assert_gradients_close(J, params, grads).passed


def test_assert_gradients_close_fails_with_the_first_wrong_tensor_and_one_line_per_tensor():
    J, params, grads = cost_and_grads(m=4)
    grads["db1"] = grads["db1"] * 4
    with pytest.raises(AssertionError) as info:
        assert_gradients_close(J, params, grads, m=4)
    lines = str(info.value).splitlines()
    assert lines[0].startswith("db1 is the first wrong gradient") and "the 1/m is missing" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ["dW1", "db1"]
    assert "great" in lines[1] and "wrong" in lines[2]


def test_assert_gradients_close_names_a_rank_1_gradient():
    J, params, grads = cost_and_grads()
    grads["db1"] = grads["db1"].ravel()
    with pytest.raises(AssertionError, match=r"db1 has shape \(3,\), a rank-1 array"):
        assert_gradients_close(J, params, grads)


# --- assert_matches_reference ---------------------------------------------------------------------------


@pytest.mark.parametrize("qualified", EVERY)
def test_assert_matches_reference_passes_for_the_reference_itself(qualified):
    kind, name = split(qualified)
    assert_matches_reference(name, reference_of(name, kind), kind=kind)


def test_a_name_several_assignments_grade_needs_its_kind():
    from shapecheck.diagnosis.contract import owners

    shared = [name for name in {split(q)[1] for q in EVERY} if len(owners(name)) > 1]
    for name in shared:
        with pytest.raises(ShapecheckError, match="kind="):
            assert_matches_reference(name, reference_of(name, owners(name)[0]))
    with pytest.raises(ShapecheckError, match="not a function of the 'rnn' assignment"):
        assert_matches_reference("linear_forward", reference_of("linear_forward"), kind="rnn")


@pytest.mark.parametrize("name, bug, words", [
    ("linear_backward", "db_wrong_axis_rank1", ["db has shape (4,)", "Fix linear_backward first", "keepdims=True"]),
    ("L_model_backward", "dAL_wrong_sign", ["Fix L_model_backward first", "minus"]),
    ("lstm_cell_forward", "concat_order", ["[a_prev; xt]", "Fix lstm_cell_forward first"]),
    ("update_parameters", "wrong_update_sign", ["W1 differs", "gradient ascent"]),
])
def test_assert_matches_reference_fails_with_the_diagnosis_s_explanation(name, bug, words):
    with pytest.raises(AssertionError) as info:
        assert_matches_reference(name, functools.partial(mutants.course(name, "dnn" if name == "update_parameters" else None), bug=bug),
                                 kind="dnn" if name == "update_parameters" else None)
    assert all(w in str(info.value) for w in words), str(info.value)


def test_assert_matches_reference_accepts_the_older_edition_unless_strict():
    old = module_from("correct/dnn_old_edition.py")
    assert_matches_reference("L_model_backward", old.L_model_backward)
    with pytest.raises(AssertionError, match="dA"):
        assert_matches_reference("L_model_backward", old.L_model_backward, strict=True)


def test_a_function_that_raises_fails_with_the_case_and_the_exception():
    def linear_backward(dZ, cache):
        raise ValueError("shapes (3,4) and (5,4) not aligned")

    with pytest.raises(AssertionError, match=r"linear_backward raised ValueError on the case n_prev=5.*not aligned"):
        assert_matches_reference("linear_backward", linear_backward)


def test_assert_matches_reference_rejects_unknown_names_as_bad_input():
    with pytest.raises(ShapecheckError, match="not one of the assignments' functions"):
        assert_matches_reference("L_model_backwards", reference.L_model_backward)


def test_the_documented_examples_run():
    assert doctest.testmod(testing_module, optionflags=doctest.ELLIPSIS).failed == 0


def test_assert_matches_reference_hands_gradient_check_a_wrong_backward_and_the_copied_answer_fails():
    def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
        gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
        grad = x  # the widely copied answer: never calls backward_propagation
        return abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))

    with pytest.raises(AssertionError, match="does not notice a wrong backward_propagation"):
        assert_matches_reference("gradient_check", gradient_check)


# --- L = 1 is outside the course's domain: a warning, never a failure (issue 14, item 6; third stop) ---

def _l_plus_one_after_the_loop(X, parameters):
    """The notebook's own L_model_forward with l + 1 after the loop: right for L ≥ 2, UnboundLocalError for L = 1."""
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L):  # noqa: E741
        A, cache = reference.linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = reference.linear_activation_forward(A, parameters["W" + str(l + 1)], parameters["b" + str(l + 1)], "sigmoid")
    caches.append(cache)
    return AL, caches


def test_code_right_for_the_course_s_networks_only_warns_on_the_one_layer_case():
    with pytest.warns(testing_module.OutsideDomainWarning, match=r"outside the course's networks .*one layer.*UnboundLocalError"):
        assert_matches_reference("L_model_forward", _l_plus_one_after_the_loop)


def test_given_one_layer_arguments_warn_and_the_course_s_networks_are_still_checked():
    rng = np.random.default_rng(0)
    one_layer = {"W1": rng.standard_normal((1, 3)), "b1": rng.standard_normal((1, 1))}
    with pytest.warns(testing_module.OutsideDomainWarning):
        assert_matches_reference("L_model_forward", _l_plus_one_after_the_loop, args=(rng.standard_normal((3, 4)), one_layer))
    two_layers = {**one_layer, "W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal((2, 1)),
                  "W2": rng.standard_normal((1, 2)), "b2": rng.standard_normal((1, 1))}
    assert_matches_reference("L_model_forward", _l_plus_one_after_the_loop, args=(rng.standard_normal((3, 4)), two_layers))


def test_a_real_mistake_still_fails_on_the_course_s_networks_and_is_not_a_warning():
    def skips_the_relu_layers(X, parameters):
        L = len(parameters) // 2
        AL, cache = reference.linear_activation_forward(X, parameters["W1"], parameters["b1"], "sigmoid") if L == 1 else (None, None)
        return AL, [cache]

    with pytest.raises(AssertionError):
        assert_matches_reference("L_model_forward", skips_the_relu_layers)


def test_the_one_layer_case_is_among_l_model_forward_s_cases_so_the_warning_can_show():
    from shapecheck.diagnosis.cases import cases_for
    assert any(case.outside for case in cases_for("L_model_forward", kind="dnn"))
