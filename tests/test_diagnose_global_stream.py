"""The course's code that diagnose runs in this process (the mutants) seeds and draws from numpy's global
stream. A diagnosis must not depend on another diagnosis running in another thread (the gallery test, an
instructor's script): once the gallery's dinos/sample_x_not_reset.py got "indices (51,) but must be (32,)"
with the generic hint, because the x-not-reset mutant drew from another thread's seed. Nor may it consume
or reseed the caller's own stream."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

import shapecheck as sc
from shapecheck.diagnosis import mutants
from shapecheck.diagnosis.cases import cases_for

GALLERY = Path(__file__).resolve().parent / "gallery"


def test_a_mutant_s_draws_come_from_its_own_seed_while_another_thread_runs_mutants(monkeypatch):
    """Interleaved on purpose: thread A's mutant seeds the stream, then waits while thread B runs the
    Dinosaurus sample mutants (each reseeds the global stream), then draws. A's draw must be its seed's."""
    inside, b_done = threading.Event(), threading.Event()
    real_mutants_for = mutants.mutants_for

    def seeded_draw():
        np.random.seed(0)
        inside.set()
        b_done.wait(timeout=0.5)  # with the stream held, B cannot run until A has drawn: the wait times out
        return np.random.rand()

    def mutants_for(function, kind=None, stand_ins=None):
        return {"seeded_draw": seeded_draw} if function == "probe" else real_mutants_for(function, kind, stand_ins)

    monkeypatch.setattr(mutants, "mutants_for", mutants_for)
    case = cases_for("sample", kind="dinos")[0]
    drawn = {}

    def thread_a():
        drawn.update(mutants.run_mutants("probe", (), "dinos"))

    def thread_b():
        inside.wait(timeout=5)
        drawn["sample"] = mutants.run_mutants("sample", case.fresh_args(), "dinos")
        b_done.set()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert drawn["seeded_draw"] == np.random.RandomState(0).rand()
    assert drawn["sample"] == mutants.run_mutants("sample", case.fresh_args(), "dinos")  # B's own, undisturbed


def test_diagnose_leaves_the_callers_global_stream_as_it_was():
    np.random.seed(7)
    sc.diagnose(GALLERY / "dinos" / "sample_x_not_reset.py", kind="dinos")
    assert np.random.rand() == np.random.RandomState(7).rand()

