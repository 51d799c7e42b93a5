"""The assignments' dict layouts live in one place, core/tensors.py: the plug-ins ask it, never write their own."""

import numpy as np
from hypothesis import given, strategies as st

from shapecheck.core import tensors
from shapecheck.diagnosis.assignments import ASSIGNMENTS
from shapecheck.diagnosis.plugin import BATCHES, Assignment, arrays


def own_layouts(assignment: Assignment) -> list[str]:
    """The layouts a plug-in names or holds that are not the registry's own, word for word."""
    named = {spec for c in assignment.contracts for spec in (*c.inputs.values(), *c.outputs.values())
             if isinstance(spec, str) and (spec.endswith(("_params", "_grads", "_model")) or spec in ("moments", BATCHES))}
    held = {name for name, shape in assignment.layouts.items() if tensors.DICT_LAYOUTS.get(name) != shape}
    return sorted(held | {name for name in named if name not in tensors.DICT_LAYOUTS or name not in assignment.layouts})


def test_every_plugin_reads_its_dict_layouts_from_the_registry():
    found = {kind: own_layouts(a) for kind, a in ASSIGNMENTS.items()}
    assert {kind: names for kind, names in found.items() if names} == {}, \
        "add the layout to core/tensors.py DICT_LAYOUTS and list it with tensors.layouts(...) in the plug-in's contract"


def test_meta_a_plugin_with_a_layout_of_its_own_is_found():
    dnn = ASSIGNMENTS["dnn"]
    copied = Assignment(kind="x", package=dnn.package, contracts=dnn.contracts,
                        layouts={**dnn.layouts, "dense_params": {"W{l}": ("n{l-1}", "n{l}"), "b{l}": ("n{l}", 1)}})
    unlisted = Assignment(kind="x", package=dnn.package, contracts=dnn.contracts, layouts={})
    assert own_layouts(copied) == ["dense_params"]
    assert own_layouts(unlisted) == ["dense_grads", "dense_params", "planar_params"]


def test_the_recurrent_contracts_shapes_are_the_registrys():
    rnn = {c.name: c for c in ASSIGNMENTS["rnn"].contracts}
    assert rnn["lstm_forward"].outputs["c"] == tensors.LSTM["c"].shape == ("n_a", "m", "T_x")
    assert rnn["rnn_cell_forward"].inputs["xt"] == tensors.ARGUMENTS["xt"].shape
    assert [k for k in tensors.DICT_LAYOUTS["lstm_params"]][:4] == [f"W{g}" for g in tensors.LSTM_GATES]


@given(st.lists(st.integers(1, 6), min_size=2, max_size=5))
def test_arrays_draws_every_key_of_a_layout_with_its_shape_in_the_layouts_order(dims):
    sizes = {f"n{l}": n for l, n in enumerate(dims)}
    drawn = arrays("dense_params", sizes, lambda key, shape: np.zeros(shape), L=len(dims) - 1)
    assert list(drawn) == [k for l in range(1, len(dims)) for k in (f"W{l}", f"b{l}")]
    assert all(drawn[f"W{l}"].shape == (dims[l], dims[l - 1]) and drawn[f"b{l}"].shape == (dims[l], 1) for l in range(1, len(dims)))
