"""Reading cost curves the way the course does, as a rule that can be tested.

The course's advice for the learning rate α: try several values, plot the cost J against the
iterations, and look. Too small an α makes J fall slowly; too large an α makes J go up and
down, or blow up. This module writes that look down. It reads J at *every* iteration t = 0..T
(J_T after the last update), not only the recorded points: a jump between two recorded points
still counts.

For one run, with J_0 its first cost and J_T its last:

1. **diverged** when some J_t is NaN or infinite, or when J_T >= J_0 (the run ended no lower
   than it started: it rose for long enough to undo all its progress).
2. **oscillates** when J rose, summed over every step where it rose, by more than
   ``RISE_SHARE`` (10%) of what it fell overall: Σ max(0, J_{t+1} − J_t) > 0.1 · (J_0 − J_T).
3. **slow** when it hardly moved: J_0 − J_T < ``HARDLY_MOVED`` (1%) of J_0.

The other runs are *stable*, and they are compared with each other, within one network (the
same layers and activations; only α differs). The best is the stable run with the lowest J_T.
A stable run that closed at least ``CLOSE_TO_BEST`` (90%) of the best run's fall,
J_0 − J_T >= 0.9 · (J_0 − J_best), is **good**. One that fell short is

4. **slow** when its α is smaller than the best run's: a larger α got further in the same
   number of iterations;
5. **diverged** when its α is larger: it stalled above a smaller α's cost. Most often J_T is
   the cost of a constant guess (``constant_cost``: the label mean for every example), which
   is what a network whose ReLUs a too-large first step killed can still do.

The suggested α is the α of the best good run. With no good run it is a value to try next: the
geometric mean of the largest slow α and the smallest too-large α; ten times the largest α when
every run was slow; a tenth of the smallest when every run was too large.

    >>> [v.code for v in label([[1.0, 0.9, 0.8], [1.0, 0.5, 0.2], [1.0, 2.0, 0.6]], [0.01, 0.1, 1.0])]
    ['slow', 'good', 'oscillates']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from shapecheck.core.errors import ShapecheckError

RISE_SHARE = 0.1  # oscillates: total rise above this share of the net fall
HARDLY_MOVED = 0.01  # slow: the net fall below this share of J_0
CLOSE_TO_BEST = 0.9  # good: at least this share of the best stable run's fall
CONSTANT_TOLERANCE = 1e-3  # J_T within this (relative) of the constant guess's cost

VERDICTS = ("slow", "good", "oscillates", "diverged")
TOO_LARGE = ("oscillates", "diverged")


@dataclass(frozen=True)
class Verdict:
    """The label (slow | good | oscillates | diverged) and which part of the rule gave it."""

    code: str
    reason: str  # not_finite | ended_higher | rises | hardly_moved | behind_larger | collapsed | stalled | close_to_best | best


@dataclass(frozen=True)
class CurveFacts:
    """What the rule reads off one curve."""

    start: float  # J_0
    end: float  # J_T
    rise: float  # Σ max(0, J_{t+1} − J_t)
    finite: bool

    @property
    def fall(self) -> float:
        return self.start - self.end


def facts(curve: Sequence[float]) -> CurveFacts:
    """J_0, J_T, the total rise and whether every J_t is finite."""
    values = [float(v) for v in curve]
    if not values:
        raise ShapecheckError("tune.empty_curve")
    finite = all(math.isfinite(v) for v in values)
    rise = sum(max(0.0, b - a) for a, b in zip(values, values[1:])) if finite else math.inf
    return CurveFacts(values[0], values[-1], rise, finite)


def curve_verdict(curve: Sequence[float]) -> Verdict | None:
    """Rules 1-3, which need no other run; None for a stable run that moved (compare it with ``label``)."""
    f = facts(curve)
    if not f.finite:
        return Verdict("diverged", "not_finite")
    if f.end >= f.start:
        return Verdict("diverged", "ended_higher")
    if f.rise > RISE_SHARE * f.fall:
        return Verdict("oscillates", "rises")
    if f.fall < HARDLY_MOVED * abs(f.start):
        return Verdict("slow", "hardly_moved")
    return None


def label(
    curves: Sequence[Sequence[float]], learning_rates: Sequence[float], constant_cost: float | None = None
) -> list[Verdict]:
    """The verdict of each run of one network (the same layers and activations; one α per curve)."""
    if len(curves) != len(learning_rates):
        raise ShapecheckError("tune.rates_per_curve", curves=len(curves), rates=len(learning_rates))
    alone = [curve_verdict(c) for c in curves]
    stable = [i for i, v in enumerate(alone) if v is None or v.reason == "hardly_moved"]
    if not stable:
        return list(alone)  # every run was labelled by rules 1-2
    all_facts = [facts(c) for c in curves]
    best = min(stable, key=lambda i: (all_facts[i].end, -learning_rates[i]))
    verdicts = []
    for i, verdict in enumerate(alone):
        if verdict is not None:
            verdicts.append(verdict)
        elif i == best:
            verdicts.append(Verdict("good", "best"))
        elif all_facts[i].fall >= CLOSE_TO_BEST * (all_facts[i].start - all_facts[best].end):
            verdicts.append(Verdict("good", "close_to_best"))
        elif learning_rates[i] < learning_rates[best]:
            verdicts.append(Verdict("slow", "behind_larger"))
        elif constant_cost is not None and _near(all_facts[i].end, constant_cost):
            verdicts.append(Verdict("diverged", "collapsed"))
        else:
            verdicts.append(Verdict("diverged", "stalled"))
    return verdicts


def _near(cost: float, constant_cost: float) -> bool:
    """J_T is the cost of a constant guess, to ``CONSTANT_TOLERANCE`` (relative)."""
    return abs(cost - constant_cost) <= CONSTANT_TOLERANCE * max(constant_cost, 1e-12)


@dataclass(frozen=True)
class Suggestion:
    """The α to use (``tried``: one of the runs, ``run``), or, when no run was good, the one to try next."""

    alpha: float | None
    tried: bool
    reason: str  # best_good | between | larger | smaller | none
    run: int | None = None


def suggest(learning_rates: Sequence[float], verdicts: Sequence[Verdict], final_costs: Sequence[float]) -> Suggestion:
    """The documented choice of α from one network's runs (see the module's docstring)."""
    good = [i for i, v in enumerate(verdicts) if v.code == "good"]
    if good:
        best = min(good, key=lambda i: (final_costs[i], -learning_rates[i]))
        return Suggestion(float(learning_rates[best]), True, "best_good", best)
    slow = [learning_rates[i] for i, v in enumerate(verdicts) if v.code == "slow"]
    large = [learning_rates[i] for i, v in enumerate(verdicts) if v.code in TOO_LARGE]
    if slow and large and max(slow) < min(large):
        return Suggestion(math.sqrt(max(slow) * min(large)), False, "between")
    if slow and not large:
        return Suggestion(10.0 * max(slow), False, "larger")
    if large and not slow:
        return Suggestion(min(large) / 10.0, False, "smaller")
    return Suggestion(None, False, "none")
