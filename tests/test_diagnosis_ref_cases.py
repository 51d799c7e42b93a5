"""The diagnosis cases: seeded, and sized so that mistakes cannot hide."""

import numpy as np
import pytest

from shapecheck.diagnosis import reference
from inprocess import build_args
from shapecheck.diagnosis.cases import KINK_MARGIN, LINKS, SATURATION, cases_for, forward_for, reference_result
from shapecheck.diagnosis.contract import contract_of
from contracts_by_kind import EVERY, of_kind, reference_of, split

RECURRENT = [split(q)[1] for q in of_kind("rnn")]
DENSE_WITH_M = [split(q)[1] for q in of_kind("dnn") if q not in ("dnn.initialize_parameters_deep", "dnn.initialize_parameters")]


def arrays(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from arrays(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from arrays(v)


def numbers(value):
    """The arrays and the real numbers (learning rates, x and θ) of a case's arguments."""
    if isinstance(value, float):
        yield np.float64(value)
    elif isinstance(value, dict):
        for v in value.values():
            yield from numbers(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from numbers(v)
    else:
        yield from arrays(value)


# input-free: their only input is sizes (layer_dims, dim), so a seed has nothing to draw
INPUT_FREE = {"dnn.initialize_parameters_deep", "dnn.initialize_parameters", "init.initialize_parameters_zeros", "init.initialize_parameters_random",
              "init.initialize_parameters_he", "logreg.initialize_with_zeros", "planar.initialize_parameters"}


@pytest.mark.parametrize("qualified", EVERY)
def test_the_same_seed_gives_the_same_numbers_and_another_seed_others(qualified):
    kind, name = split(qualified)
    first, again, other = cases_for(name, 0, kind), cases_for(name, 0, kind), cases_for(name, 1, kind)
    assert all(c.kind == kind for c in first)
    assert [c.label for c in first] == [c.label for c in again] and len(first) >= 3
    pairs = [(a, b) for c1, c2 in zip(first, again) for a, b in zip(numbers(c1.args), numbers(c2.args))]
    assert all(np.array_equal(a, b) for a, b in pairs)
    changed = any(not np.array_equal(a, b) for c1, c2 in zip(first, other) for a, b in zip(numbers(c1.args), numbers(c2.args)))
    assert changed != (qualified in INPUT_FREE)


def test_input_free_functions_take_no_numbers():
    for qualified in INPUT_FREE:
        kind, name = split(qualified)
        assert not [n for case in cases_for(name, kind=kind) for n in numbers(case.args)], qualified


@pytest.mark.parametrize("qualified", EVERY)
def test_every_number_is_float64(qualified):
    kind, name = split(qualified)
    for case in cases_for(name, kind=kind):
        assert all(a.dtype == np.float64 for a in arrays(case.args))


@pytest.mark.parametrize("name", DENSE_WITH_M)
def test_dense_cases_have_one_example_once_and_several_otherwise(name):
    ms = [c.sizes["m"] for c in cases_for(name, kind="dnn")]
    assert 1 in ms and sum(m >= 3 for m in ms) >= 2


@pytest.mark.parametrize("name", ["linear_forward", "linear_backward", "linear_activation_forward", "linear_activation_backward"])
def test_single_layer_sizes_are_all_different_so_no_transpose_fits_by_luck(name):
    for case in cases_for(name):
        s = case.sizes
        assert len({s["n_prev"], s["n"], s["m"]}) == 3, case.label


@pytest.mark.parametrize("name", ["L_model_forward", "L_model_backward"])
def test_nets_run_from_one_layer_to_four_with_adjacent_layers_of_different_sizes(name):
    dims = [c.sizes["layer_dims"] for c in cases_for(name)]
    assert {len(d) - 1 for d in dims} >= {1, 2, 3, 4}
    assert all(d[l] != d[l + 1] for d in dims for l in range(len(d) - 1))


@pytest.mark.parametrize("name", RECURRENT)
def test_recurrent_sizes_differ_and_cover_one_example_and_one_step(name):
    cases = cases_for(name)
    for case in cases:
        s = case.sizes
        named = [s["n_x"], s["n_a"], s["n_y"]] + [s[k] for k in ("m", "T_x") if k in s and s[k] > 1]
        assert len(set(named)) == len(named), case.label
        assert s["n_a"] + s["n_x"] not in (s["n_a"], s["n_x"])
    assert any(c.sizes["m"] == 1 for c in cases)
    if "_cell_" not in name:
        steps = [c.sizes["T_x"] for c in cases]
        assert 1 in steps and sum(t >= 3 for t in steps) >= 2


def test_relu_inputs_are_away_from_the_kink_and_sigmoid_inputs_out_of_saturation():
    for name in ("L_model_forward", "L_model_backward"):
        for case in cases_for(name):
            X, params = case.forward_args if case.forward_args else case.args
            _, caches = reference.L_model_forward(X, params)
            Zs = [Z for _, Z in caches]
            for Z in Zs[:-1]:
                assert np.abs(Z).min() >= KINK_MARGIN and (Z > 0).any() and (Z < 0).any()
            assert np.abs(Zs[-1]).max() <= SATURATION
    for case in cases_for("linear_activation_backward"):
        _, ((A, W, b), Z), activation = case.args
        assert np.abs(Z).min() >= KINK_MARGIN if activation == "relu" else np.abs(Z).max() <= SATURATION


def test_both_activations_are_exercised():
    for name in ("linear_activation_forward", "linear_activation_backward"):
        assert {c.args[-1] for c in cases_for(name)} == {"relu", "sigmoid"}


def test_biases_and_initial_states_are_not_zero_so_forgetting_them_shows():
    assert all(np.any(c.args[2]) for c in cases_for("linear_forward"))
    assert all(np.any(c.args[1]) for c in cases_for("rnn_forward"))
    assert all(np.any(c.args[2]) for c in cases_for("lstm_cell_forward"))  # c_prev
    assert all(np.any(c.args[1]) for c in cases_for("lstm_cell_backward"))  # dc_next


@pytest.mark.parametrize("kind_and_name", sorted(LINKS))
def test_build_args_with_the_reference_forward_gives_the_case_arguments(kind_and_name):
    kind, name = kind_and_name
    link = forward_for(name, kind)
    assert contract_of(link.forward, kind).kind == kind
    for case in cases_for(name, kind=kind):
        args = build_args(case, reference_of(link.forward, kind))
        rebuilt, expected = reference_of(name, kind)(*args), reference_result(case)
        pairs = zip(arrays(rebuilt), arrays(expected))
        assert all(np.allclose(a, b, rtol=1e-12, atol=0) for a, b in pairs), case.label


def test_build_args_puts_the_given_forwards_outputs_where_the_link_says():
    case = cases_for("L_model_backward")[0]
    marker_AL, marker_caches = np.full((1, 6), 0.5), ["caches of the student's forward"]
    args = build_args(case, lambda X, parameters: (marker_AL, marker_caches))
    assert args[0] is marker_AL and args[2] is marker_caches
    assert np.array_equal(args[1], case.args[1])  # Y stays the case's


def test_build_args_never_hands_the_forward_the_cases_own_arrays():
    case = cases_for("linear_backward")[0]

    def vandal(A, W, b):
        A *= 0  # a student's forward that writes into its input
        return reference.linear_forward(A, W, b)

    build_args(case, vandal)
    assert np.any(case.forward_args[0])


def test_functions_without_caches_have_no_link():
    assert forward_for("linear_forward") is None and forward_for("update_parameters", "dnn") is None
    case = cases_for("linear_forward")[0]
    assert all(np.array_equal(a, b) for a, b in zip(build_args(case, None), case.args))


def test_an_unknown_function_is_a_key_error():
    with pytest.raises(KeyError):
        cases_for("no_such_function")
    with pytest.raises(KeyError, match="rnn"):
        cases_for("linear_forward", kind="rnn")  # a name of another assignment
