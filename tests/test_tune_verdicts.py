"""The labelling rule of shapecheck.tune.verdicts, on curves built by hand: each part of the rule, its edges."""

import doctest
import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shapecheck.tune import verdicts
from shapecheck.tune.verdicts import CLOSE_TO_BEST, RISE_SHARE, curve_verdict, label, suggest

T = np.arange(301)


def decay(rate, start=1.0, floor=0.1):
    """J_t = floor + (start − floor)·e^(−rate·t): what a well-chosen α draws."""
    return list(floor + (start - floor) * np.exp(-rate * T))


def codes(curves, rates, constant_cost=None):
    return [(v.code, v.reason) for v in label(curves, rates, constant_cost)]


@pytest.mark.parametrize("module", ["verdicts", "sweep", "datasets"])
def test_the_docstrings_examples_run(module):
    result = doctest.testmod(importlib.import_module(f"shapecheck.tune.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_a_smooth_fall_alone_is_good():
    assert curve_verdict(decay(0.05)) is None
    assert codes([decay(0.05)], [0.1]) == [("good", "best")]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_cost_that_is_not_finite_diverged(bad):
    curve = decay(0.05)
    curve[150] = bad
    assert curve_verdict(curve) == verdicts.Verdict("diverged", "not_finite")


def test_a_run_that_ends_above_its_start_diverged_even_without_nan():
    rising = list(1.0 + 0.01 * T)
    assert curve_verdict(rising).code == "diverged" and curve_verdict(rising).reason == "ended_higher"
    flat = [1.0] * len(T)  # no lower than it started
    assert curve_verdict(flat).reason == "ended_higher"


def test_a_zigzag_that_falls_overall_oscillates():
    curve = [1.0 - 0.002 * t + (0.05 if t % 2 else 0.0) for t in T]
    assert curve_verdict(curve) == verdicts.Verdict("oscillates", "rises")


def test_one_spike_counts_even_between_recorded_points():
    curve = decay(0.05)
    curve[1] = 5.0  # iteration 1: a sweep that records every 100 iterations never shows it
    assert curve_verdict(curve).code == "oscillates"
    assert curve_verdict(curve[::100]) is None  # the recorded points alone look smooth: why the rule reads every J_t


@pytest.mark.parametrize("share, oscillates", [(RISE_SHARE * 0.9, False), (RISE_SHARE * 1.1, True)])
def test_the_rise_threshold_is_ten_percent_of_the_fall(share, oscillates):
    fall = 0.5
    rise = share * fall
    curve = [1.0, 1.0 - (fall + rise) / 2, 1.0 - (fall + rise) / 2 + rise, 1.0 - fall]  # down, up by rise, down
    f = verdicts.facts(curve)
    assert f.rise == pytest.approx(rise) and f.fall == pytest.approx(fall)
    assert (curve_verdict(curve) is not None and curve_verdict(curve).code == "oscillates") is oscillates


def test_a_curve_that_hardly_moves_is_slow():
    curve = list(1.0 - 0.005 * T / T[-1])  # fell by 0.5% of J_0
    assert curve_verdict(curve) == verdicts.Verdict("slow", "hardly_moved")


def test_a_smaller_alpha_that_fell_short_of_the_best_is_slow():
    small, good = decay(0.002), decay(0.05)  # the small α's curve is still high at the end
    assert codes([small, good], [0.001, 0.01]) == [("slow", "behind_larger"), ("good", "best")]


def test_close_to_the_best_is_good_too():
    best = decay(0.05)
    close = list(np.array(best) + 0.5 * (1 - CLOSE_TO_BEST) * (1.0 - best[-1]) * T / T[-1])  # 95% of the best's fall
    assert codes([close, best], [0.01, 0.03]) == [("good", "close_to_best"), ("good", "best")]


def test_a_larger_alpha_stuck_at_the_constant_guess_collapsed():
    best = decay(0.05, floor=0.1)
    dead = decay(0.5, floor=0.693)  # fell fast to the cost of a constant 0.5, and stayed: no rise at all
    assert curve_verdict(dead) is None
    assert codes([best, dead], [0.1, 3.0], constant_cost=0.693) == [("good", "best"), ("diverged", "collapsed")]
    assert codes([best, dead], [0.1, 3.0], constant_cost=None) == [("good", "best"), ("diverged", "stalled")]


def test_the_verdicts_need_one_learning_rate_per_curve():
    with pytest.raises(ValueError):
        label([decay(0.05)], [0.1, 0.2])


def test_every_run_labelled_by_its_own_curve_when_none_is_stable():
    nan = decay(0.05)
    nan[3] = math.nan
    assert codes([nan, list(1.0 + 0.01 * T)], [1.0, 10.0]) == [("diverged", "not_finite"), ("diverged", "ended_higher")]


# --- properties ------------------------------------------------------------------------------------


@st.composite
def curves(draw, min_size=2, max_size=40):
    """Positive costs; shrinks towards short flat curves."""
    return draw(st.lists(st.floats(0.01, 10.0), min_size=min_size, max_size=max_size))


@settings(max_examples=100, deadline=None)
@given(curves(), st.floats(0.01, 100.0))
def test_the_rule_does_not_depend_on_the_costs_unit(curve, scale):
    scaled = [scale * c for c in curve]
    assert curve_verdict(scaled) == curve_verdict(curve) or _near_a_threshold(curve)


def _near_a_threshold(curve):
    """Rounding can move a curve across a threshold only when it sits on one."""
    f = verdicts.facts(curve)
    return any(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in (
        (f.end, f.start), (f.rise, RISE_SHARE * f.fall), (f.fall, verdicts.HARDLY_MOVED * f.start)))


@settings(max_examples=100, deadline=None)
@given(curves(min_size=3))
def test_a_curve_that_never_rises_and_falls_is_never_too_large(curve):
    falling = sorted(curve, reverse=True)
    verdict = curve_verdict(falling)
    if falling[-1] < falling[0]:
        assert verdict is None or verdict.code == "slow"


@settings(max_examples=100, deadline=None)
@given(st.lists(curves(), min_size=1, max_size=5), st.data())
def test_every_run_gets_one_of_the_four_verdicts_and_a_best_one_is_good(runs, data):
    rates = data.draw(st.lists(st.floats(1e-4, 10.0), min_size=len(runs), max_size=len(runs), unique=True))
    start = runs[0][0]
    runs = [[start] + r[1:] for r in runs]  # one network: every run starts from the same parameters
    result = label(runs, rates)
    assert all(v.code in verdicts.VERDICTS for v in result)
    assert sum(v.reason == "best" for v in result) <= 1


# --- the suggested α -------------------------------------------------------------------------------

V = verdicts.Verdict


def test_the_suggestion_is_the_good_alpha_with_the_lowest_cost():
    s = suggest([0.001, 0.01, 0.1], [V("slow", ""), V("good", ""), V("good", "")], [0.5, 0.3, 0.2])
    assert (s.alpha, s.tried, s.run, s.reason) == (0.1, True, 2, "best_good")


def test_between_slow_and_too_large_the_suggestion_is_their_geometric_mean():
    s = suggest([0.001, 0.1], [V("slow", ""), V("oscillates", "")], [0.5, 0.6])
    assert s.alpha == pytest.approx(0.01) and not s.tried and s.reason == "between"


def test_all_slow_suggests_ten_times_larger_and_all_too_large_ten_times_smaller():
    assert suggest([0.001, 0.01], [V("slow", "")] * 2, [0.6, 0.5]).alpha == pytest.approx(0.1)
    assert suggest([1.0, 10.0], [V("diverged", ""), V("oscillates", "")], [0.6, 0.7]).alpha == pytest.approx(0.1)


def test_no_suggestion_when_slow_runs_lie_above_too_large_ones():
    s = suggest([0.1, 1.0], [V("oscillates", ""), V("slow", "")], [0.6, 0.7])
    assert s.alpha is None and s.reason == "none"
