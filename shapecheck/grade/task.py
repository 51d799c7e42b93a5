"""One submission, graded inside a grader process: ``diagnose`` with the grader's warm sandbox template.

``warm()`` imports what every diagnosis needs and starts the sandbox's template process once per
grader (sandbox.Template: numpy loaded, never the checker); each submission's workers are forked from
it and confined by the kernel (see SECURITY.md). A task with ``"fork": false`` gets a template of its
own, started anew (what ``diagnose`` does on its own).

``grade_one(task)`` returns plain JSON data: ``{"status": "graded", "report": {...}, "notes": [...]}``,
``{"status": "fault", "fault": {...}}`` when the file itself is bad input for ``diagnose``, or
``{"status": "error", ...}`` when our own code failed on it (the run goes on; the traceback goes to
the grader's log). The report drops ``seconds``: a result must not depend on how loaded the machine was.
Every sentence in the result is in the task's ``lang``, the coordinator's language, whatever the
grader's environment says (a Dask worker's may differ).
"""

from __future__ import annotations

import hashlib
import os

# one BLAS thread before numpy loads: the cores belong to the graders, and results repeat
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from shapecheck.core.errors import ShapecheckError  # noqa: E402
from shapecheck.core.messages import msg  # noqa: E402
from shapecheck.core.language import set_language

DIAGNOSIS_OPTIONS = ("kind", "timeout", "seed", "memory_mb", "strict")
_TEMPLATE = None


def warm() -> None:
    """Import what every diagnosis needs and start the sandbox's template, once per grader."""
    import numpy  # noqa: F401

    from shapecheck.diagnosis import cases, compare, hints, mutants, numeric, reference, runner  # noqa: F401

    _template()


def _template():
    """The grader's template process, started again if it is gone."""
    global _TEMPLATE
    from shapecheck.diagnosis.sandbox import Template

    if _TEMPLATE is None or _TEMPLATE.process.poll() is not None:
        _TEMPLATE = Template()
    return _TEMPLATE


def grade_one(task: dict) -> dict:
    from shapecheck.diagnosis.runner import diagnose

    options = {k: task[k] for k in DIAGNOSIS_OPTIONS if k in task}
    try:
        if task.get("lang"):  # the coordinator's language, whatever this worker's environment says
            set_language(task["lang"])
        data = None
        if task.get("sha256"):  # grade exactly the bytes collect hashed: read once, no link followed
            from shapecheck.diagnosis.source import read_source_bytes

            data = read_source_bytes(task["path"], follow=False)
            if hashlib.sha256(data).hexdigest() != task["sha256"]:
                raise ShapecheckError("grade.changed", path=task["path"])
        template = _template() if task.get("fork", True) else None
        report = diagnose(task["path"], options.pop("kind", "auto"), template=template, data=data, **options)
    except ShapecheckError as exc:
        return {"status": "fault", "fault": {"id": exc.message_id, "message": str(exc)}}
    except Exception as exc:  # noqa: BLE001 - our bug on one submission must not stop a class's run
        import traceback

        traceback.print_exc()
        return {"status": "error", "error": msg("grade.internal_error", type=type(exc).__name__, message=str(exc)[:300])}
    data = report.to_json()
    data.pop("seconds", None)
    return {"status": "graded", "report": data, "notes": []}
