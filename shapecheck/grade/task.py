"""One submission, graded inside a grader process: ``diagnose`` with the warm launcher and the guard.

``grade_one(task)`` returns plain JSON data: ``{"status": "graded", "report": {...}, "notes": [...]}``,
``{"status": "fault", "fault": {...}}`` when the file itself is bad input for ``diagnose``, or
``{"status": "error", ...}`` when our own code failed on it (the run goes on; the traceback goes to
the grader's log). The report drops ``seconds``: a result must not depend on how loaded the machine was.
Every sentence in the result is in the task's ``lang``, the coordinator's language, whatever the
grader's environment says (a Dask worker's may differ).
"""

from __future__ import annotations

import os

# one BLAS thread before numpy loads: the cores belong to the graders, forking is safe, results repeat
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from shapecheck.core.errors import ShapecheckError  # noqa: E402
from shapecheck.core.messages import msg  # noqa: E402
from shapecheck.core.language import set_language

DIAGNOSIS_OPTIONS = ("kind", "timeout", "seed", "memory_mb", "strict")


def warm() -> None:
    """Import what every diagnosis needs, once per grader, before the first submission."""
    import numpy  # noqa: F401

    from shapecheck.diagnosis import (  # noqa: F401
        cases, compare, hints, mutants, numeric, reference, runner, stand_ins, worker)


def grade_one(task: dict) -> dict:
    from shapecheck.diagnosis.runner import diagnose
    from shapecheck.grade.launch import can_fork, launcher, stop_leftovers

    options = {k: task[k] for k in DIAGNOSIS_OPTIONS if k in task}
    popen, started = launcher(fork=task.get("fork", True) and can_fork())
    try:
        if task.get("lang"):  # the coordinator's language, whatever this worker's environment says
            set_language(task["lang"])
        report = diagnose(task["path"], options.pop("kind", "auto"), popen=popen, **options)
    except ShapecheckError as exc:
        return {"status": "fault", "fault": {"id": exc.message_id, "message": str(exc)}}
    except Exception as exc:  # noqa: BLE001 - our bug on one submission must not stop a class's run
        import traceback

        traceback.print_exc()
        return {"status": "error", "error": msg("grade.internal_error", type=type(exc).__name__, message=str(exc)[:300])}
    finally:
        left = stop_leftovers(started)
    data = report.to_json()
    data.pop("seconds", None)
    notes = [msg("grade.leftovers", count=left)] if left else []
    return {"status": "graded", "report": data, "notes": notes}
