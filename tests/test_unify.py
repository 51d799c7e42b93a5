"""The one unifier and the one misfit classifier (core/unify.py), for every size."""

from hypothesis import assume, given
from hypothesis import strategies as st

from shapecheck.core import tensors
from shapecheck.core.dims import resolve
from shapecheck.core.unify import Misfit, classify, unify

sizes = st.integers(1, 50)


@given(sizes, sizes)
def test_a_gates_columns_solve_for_n_x_once_n_a_is_bound(n_a, n_x):
    assert unify(tensors.LSTM["Wf"].shape, (n_a, n_a + n_x), {}) == {"n_a": (n_a, 0), "n_x": (n_x, 1)}


@given(sizes, sizes)
def test_columns_that_leave_no_room_for_x_do_not_fit(n_a, short):
    columns = min(short, n_a)  # n_x >= 1, so n_a + n_x > n_a >= columns
    assert unify(("n_a", "n_a + n_x"), (n_a, columns), {}) is None


@given(sizes, sizes, sizes)
def test_a_bound_symbol_of_another_size_is_a_conflict_at_its_axis(n1, m, other):
    assume(n1 != m)  # else it fits once transposed, and that is what it would be called
    actual = (n1, m + other)
    assert unify(("n1", "m"), actual, {"m": m}) is None
    assert classify(("n1", "m"), actual, {"m": m}) == Misfit("conflict", 1, "m", (("m", m), ("n1", n1)))


@given(sizes, sizes)
def test_every_misfit_of_a_dense_layer_has_its_kind(n0, n1):
    env = {"n0": n0, "n1": n1 + n0}  # n1 != n0: a transposed W is visible
    W, b = tensors.dense("W", 1).shape, tensors.dense("b", 1).shape
    rows, columns = resolve(W, env)
    assert classify(W, (columns, rows), env).kind == "transposed"
    assert classify(b, (rows,), env).kind == "rank1_column"
    assert classify(b, (1, rows), env).kind == "row_for_column"
    assert classify(W, (rows, columns, 1), env).kind == "rank"
    assert classify(("n1", "m"), (5,), {"m": 5}).kind == "rank1"
    assert classify((1, "m"), (5,), {}).kind == "rank1_row"


@given(sizes, sizes, sizes)
def test_a_gate_with_the_wrong_columns_is_named_as_such(n_a, n_x, wrong):
    env = {"n_a": n_a, "n_x": n_x}
    columns = n_a + n_x + wrong
    misfit = classify(tensors.LSTM["Wi"].shape, (n_a, columns), env)
    assert (misfit.kind, misfit.axis) == ("gate_columns", 1)


def test_a_fit_binds_nothing_new_and_a_misfit_binds_nothing():
    assert unify(("n1", "n0"), (4, 3), {"n1": 4, "n0": 3}) == {}
    assert unify(("n1", "n0"), (4, 3, 1), {}) is None
