"""A broken hint rule (a plug-in's detector that raises) never crashes a diagnosis and never changes a
verdict: it is skipped, with a HintRuleWarning for the rule's author (issue 14, third stop)."""

import warnings
from pathlib import Path

import numpy as np
import pytest

import shapecheck as sc
from shapecheck.diagnosis import hints
from test_diagnosis_hints_rules import evidence_for

GALLERY = Path(__file__).resolve().parent / "gallery"


def _raises(e):
    raise ZeroDivisionError("a plug-in's rule divided by zero")


def _raises_on_second_call():
    calls = []

    def detect(e):
        calls.append(1)
        if len(calls) > 1:
            raise IndexError("the second look failed")
        return {"other": "x"}
    return detect


BROKEN = hints.HintRule("broken_rule", None, "hints.values_differ", _raises)


def _rules_with(monkeypatch, *extra):
    monkeypatch.setattr(hints, "RULES", tuple(extra) + hints.RULES)


def test_a_rule_that_raises_is_skipped_with_a_warning_and_the_choice_is_the_same(monkeypatch):
    evidence = evidence_for("linear_backward", "dW", lambda v, *_: v * 4, 0)
    before = hints.explain(evidence)
    _rules_with(monkeypatch, BROKEN)
    with pytest.warns(hints.HintRuleWarning, match="broken_rule"):
        after = hints.explain(evidence)
    assert (after.id, after.text) == (before.id, before.text) == ("missing_1_over_m", before.text)
    with pytest.warns(hints.HintRuleWarning, match="ZeroDivisionError"):
        assert BROKEN not in hints.fired(evidence)


def test_a_rule_that_raises_only_when_its_sentence_is_filled_still_gives_a_sentence(monkeypatch):
    rule = hints.HintRule("flaky_rule", ("linear_backward",), "hints.another_output", _raises_on_second_call(), extra=("other",))
    evidence = evidence_for("linear_backward", "dW", lambda v, *_: v + np.arange(v.size).reshape(v.shape) * 0.37, 0)
    _rules_with(monkeypatch, rule)
    with pytest.warns(hints.HintRuleWarning, match="IndexError"):
        hint = hints.explain(evidence)
    assert hint.id == "flaky_rule" and "{" not in hint.text and "?" in hint.text  # the placeholder it could not give


@pytest.mark.parametrize("path, kind", [("optimization/adam_t_kept_at_1.py", "optimization"), ("correct/reg_course.py", "regularization"),
                                        ("dnn/dW_missing_1_over_m.py", "dnn")])
def test_a_diagnosis_with_a_broken_plug_in_rule_has_the_same_verdicts_and_hints(monkeypatch, path, kind):
    def summary(report):
        return report.passed, [(f.name, f.status, f.inherited_from, [p.hint_id for p in f.problems]) for f in report.functions]

    before = summary(sc.diagnose(GALLERY / path, kind=kind, timeout=3.0))
    _rules_with(monkeypatch, hints.HintRule("broken_rule", None, "hints.values_differ", _raises, kind=kind))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        after = summary(sc.diagnose(GALLERY / path, kind=kind, timeout=3.0))
    assert after == before
    broken = [w for w in caught if issubclass(w.category, hints.HintRuleWarning)]
    assert bool(broken) is (not before[0])  # it ran (and was skipped) wherever a value differed


def test_the_warning_is_a_catalogued_sentence_in_both_languages():
    from shapecheck.core.messages import msg_in
    for lang in ("en", "ar"):
        text = msg_in(lang, "hints.rule_failed", rule="r", function="f", error="E: x")
        assert "r" in text and "E: x" in text
