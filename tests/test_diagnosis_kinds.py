"""A contract is found by kind and name: compute_cost, predict, update_parameters, optimize ... are graded in
several assignments with different signatures, so a name alone never picks one of them silently."""

from __future__ import annotations

import pytest

from shapecheck.diagnosis import hints, mutants
from shapecheck.diagnosis.assignments import ALL, ASSIGNMENTS, NAMES, by_function, contract, owners, recognise
from shapecheck.diagnosis.cases import cases_for


def test_every_contract_is_found_by_its_kind_and_name():
    for c in ALL:
        assert contract(c.name, c.kind) is c
        assert c.kind in owners(c.name)
    assert sorted(NAMES) == sorted({c.name for c in ALL})


def test_a_name_of_another_assignment_or_of_none_is_a_key_error():
    with pytest.raises(KeyError, match="'rnn'"):
        contract("linear_forward", "rnn")
    with pytest.raises(KeyError, match="not a contract function"):
        by_function("no_such_function")


def test_a_name_several_assignments_grade_is_ambiguous_without_a_kind(monkeypatch):
    # two assignments with a function of the same name, as planar's compute_cost and the deep network's
    twin = ASSIGNMENTS["logreg"]
    monkeypatch.setitem(ASSIGNMENTS, "twin", twin)
    with pytest.raises(KeyError, match="several assignments"):
        by_function("predict")
    assert contract("predict", "logreg").kind == "logreg"


def test_each_case_carries_its_assignment():
    for c in ALL:
        assert {case.kind for case in cases_for(c.name, kind=c.kind)} == {c.kind}


def test_mistake_names_are_unique_across_assignments():
    """BY_NAME and KIND_OF key mistakes by name: two plug-ins may not reuse one."""
    names = [m.name for a in ASSIGNMENTS.values() for m in a.mistakes]
    assert len(names) == len(set(names))
    assert all(mutants.KIND_OF[m.name] == kind for kind, a in ASSIGNMENTS.items() for m in a.mistakes)


def test_a_rule_of_one_assignment_reads_only_that_assignment_s_functions():
    rule = hints.HintRule("x", ("predict",), "hints.values_differ", lambda e: True, kind="logreg")
    assert rule.applies_to("predict", "logreg") and rule.applies_to("predict")
    assert not rule.applies_to("predict", "planar")
    mutant_rules = [r for r in hints.MUTANT_RULES]
    assert mutant_rules and all(r.kind == mutants.KIND_OF[r.mutant] for r in mutant_rules)


def test_recognition_counts_functions_then_signatures():
    assert recognise(["linear_forward", "L_model_forward", "predict"]) == "dnn"
    # one function each: the signature decides
    assert recognise(["linear_forward", "predict"], {"predict": ("w", "b", "X")}) == "logreg"
    assert recognise(["linear_forward", "predict"], {"linear_forward": ("A", "W", "b")}) == "dnn"
    # nothing known: the default
    assert recognise([]) == "dnn"


def test_a_few_pasted_collaborators_of_the_application_models_do_not_make_it_the_step_by_step_notebook():
    from shapecheck.diagnosis.assignments import recognise_all
    from shapecheck.validate.watch import contracts_for

    models = ["two_layer_model", "L_layer_model"]
    pasted = ["linear_activation_forward", "L_model_forward"]  # as many as the models: once a tie the default won
    assert recognise_all(models + pasted) == ["dnn_app"]
    assert set(contracts_for({name: (lambda: None) for name in models + pasted})) == set(models)
    # a file holding most of the step-by-step notebook holds it too, next to the models
    step_by_step = [c.name for c in ASSIGNMENTS["dnn"].contracts]
    assert recognise_all(step_by_step + models) == ["dnn", "dnn_app"]
    assert recognise(pasted) == "dnn"  # alone, they are the step-by-step notebook's


def test_a_dnn_app_file_with_its_own_helpers_is_diagnosed_as_the_application():
    from pathlib import Path

    import shapecheck as sc

    report = sc.diagnose(Path(__file__).resolve().parent / "gallery" / "correct" / "dnn_app_own_helpers.py")
    assert report.kind == "dnn_app" and report.to_json()["assignments"] == ["dnn_app"] and report.passed
