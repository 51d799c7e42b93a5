"""Grading on an existing Dask distributed cluster (``--dask ADDRESS``; the ``cluster`` extra).

Each submission is one task. The task carries the file's bytes (a worker need not share our disk),
writes them to a temporary folder on its worker and grades them in a fresh
``python -m shapecheck.grade.pool --one`` process: the student's code never runs inside the dask
worker, which has threads and other tasks. Results stream back as they finish and go through the
same ``on_result`` as the local pool, so the results folder and its resumability are the same.
A task whose grader dies is retried once by dask (``retries=1``), then recorded as ``error``.
Workers need shapecheck-dl installed, the same version as here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.diagnosis.source import read_source_bytes

CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler


def available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def grade_remote(name: str, data: bytes, task: dict, wall: float) -> dict:
    """Runs on a dask worker: one submission, in its own grader process. Raises when that process dies."""
    from shapecheck.grade.pool import grader_env

    with tempfile.TemporaryDirectory(prefix="shapecheck-task-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            done = subprocess.run([sys.executable, "-m", "shapecheck.grade.pool", "--one"],
                                  input=json.dumps({**task, "path": str(path)}), capture_output=True, text=True,
                                  timeout=wall, env=grader_env(), start_new_session=True)
        except subprocess.TimeoutExpired:
            return {"status": "timeout", "error": msg("grade.wall_timeout", seconds=round(wall))}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["-"])[-1][:300]
        raise RuntimeError(msg("grade.worker_died", detail=f"exit {done.returncode}: {tail}"))
    result = json.loads(done.stdout)
    if result.get("report"):
        result["report"]["path"] = task["path"]  # where it is here, not in the worker's temporary folder
    return result


def run(address: str, tasks: list[tuple[str, dict]], on_result: Callable[[str, dict], None], wall: float) -> None:
    if not available():
        from shapecheck.core.extras import install_command

        raise ShapecheckError("grade.no_dask", command=install_command("cluster"))
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ShapecheckError("grade.dask_unreachable", address=address, reason=exc) from None
    try:
        futures = {}
        for key, task in tasks:
            path = Path(task["path"])
            try:
                data = read_source_bytes(path, follow=False)
            except ShapecheckError as exc:
                on_result(key, {"status": "fault", "fault": {"id": exc.message_id, "message": str(exc)}})
                continue
            future = client.submit(grade_remote, path.name, data, task, wall,
                                   key=f"shapecheck-grade-{key}-{os.urandom(4).hex()}", pure=False, retries=1)
            futures[future] = key
        for future in as_completed(futures):
            key = futures[future]
            if future.status == "error":
                result = {"status": "error", "error": msg("grade.worker_died", detail=str(future.exception())[:300])}
            else:
                result = future.result()
            on_result(key, result)
    finally:
        client.close()
