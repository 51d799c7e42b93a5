"""``grade``: a class's submissions diagnosed in parallel, scored, stored, summarised.

>>> report = grade(["submissions/"], out="grades", jobs=2)    # doctest: +SKIP
>>> report.summary["root_causes"][0]                          # doctest: +SKIP
{'function': 'linear_backward', 'hint_id': 'missing_1_over_m', 'count': 41, 'example': 'alice', ...}
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Callable

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.printable import printable
from shapecheck.grade.collect import collect, collect_student
from shapecheck.grade.collect import Submission
from shapecheck.grade.report import GradeReport
from shapecheck.grade.rubric import Rubric, load_rubric
from shapecheck.grade.store import ResultStore, dumps, write_atomic
from shapecheck.grade.summary import class_csv, summarize
from shapecheck.grade.verdict import record_passed
from shapecheck.core.messages import language, msg

VERSION = "2"  # of the records: a record of another version is graded again (2: signed)
MIN_MEMORY_MB = 256  # Python, numpy and the worker need about 160 MB of address space before any student array
MAX_MEMORY_MB = 2**20  # a terabyte: more is a typo
MAX_SEED = 2**32 - 1  # numpy's classic seed range
MAX_JOBS = 1024


def grade(submissions: list[str | Path] | None = None, *, kind: str = "auto", jobs: int | None = None,
          out: str | Path | None = None, rubric: str | Path | Rubric | None = None, timeout: float = 3.0,
          seed: int = 0, memory_mb: int = 2048, strict: bool = False, dask: str | None = None,
          gradescope: str | Path | None = None, on_progress: Callable[[dict], None] | None = None,
          fork: bool = True, target: str | None = None) -> GradeReport:
    """Grade every submission (files, or class folders of files or of student folders) into ``out``.

    ``gradescope``: the path of results.json to write; ``submissions`` is then one student's folder
    (default /autograder/submission). ``target`` replaces the per-submission task (tests only).
    """
    check_options(timeout=timeout, seed=seed, memory_mb=memory_mb, jobs=jobs)
    rubric = rubric if isinstance(rubric, Rubric) else (load_rubric(rubric) if rubric else Rubric())
    kind = _kind(kind, rubric)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if gradescope is not None:
        from shapecheck.grade.gradescope import SUBMISSION

        found = collect_student(submissions[0] if submissions else SUBMISSION) if len(submissions or []) <= 1 else None
        if found is None:
            raise ShapecheckError("grade.gradescope_one")
    else:
        if not submissions:
            raise ShapecheckError("grade.no_submissions")
        found = collect(submissions)
        if not found:
            raise ShapecheckError("grade.nothing_found", paths=", ".join(map(str, submissions)))
    if out is None and gradescope is not None:  # the records are only a means to results.json: none left behind
        with tempfile.TemporaryDirectory(prefix="shapecheck-grades-") as temporary:
            report = grade(submissions, kind=kind, jobs=jobs, out=temporary, rubric=rubric, timeout=timeout, seed=seed,
                           memory_mb=memory_mb, strict=strict, dask=dask, gradescope=gradescope,
                           on_progress=on_progress, fork=fork, target=target)
        report.out = report.gradescope  # the temporary folder is gone: the results are in results.json
        return report
    store = ResultStore(out if out is not None else "grades").open()
    # the language is an option like the others: a record holds the diagnosis's sentences (messages, hints,
    # conclusion) in the language it was graded in, so a run in another language grades it again rather
    # than mix two languages in one report; and the task carries it to graders that do not share our
    # environment (a Dask worker)
    options = {"kind": kind, "timeout": float(timeout), "seed": seed, "memory_mb": memory_mb, "strict": strict,
               "lang": language(), "version": VERSION}
    run = _Run(store, rubric, options, found, on_progress)
    run.reuse()
    tasks = [(s.key, {**{k: v for k, v in options.items() if k != "version"}, "path": str(s.path), "sha256": s.sha256,
              "fork": fork})
             for s in run.todo]
    from shapecheck.grade.pool import wall_limit

    wall = wall_limit(timeout)
    if tasks and dask:
        from shapecheck.grade import cluster

        cluster.run(dask, tasks, run.finished, wall)
    elif tasks:
        from shapecheck.grade.pool import TARGET, Pool

        Pool(min(jobs, len(tasks)), target=target or TARGET, wall=wall).run(tasks, run.finished)
    report = run.conclude()
    if gradescope is not None:
        from shapecheck.grade.gradescope import results_json

        path = Path(gradescope)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ShapecheckError("grade.cannot_write", path=path, reason=exc.strerror or exc) from None
        write_atomic(path, dumps(results_json(report.records[0])))
        report.gradescope = str(path)
    return report


def check_options(*, timeout: float, seed: int, memory_mb: int, jobs: int | None) -> None:
    """Nonsense option values are one line before anything runs, never a class of invented results."""
    if isinstance(timeout, bool) or not (isinstance(timeout, (int, float)) and 0 < timeout <= 600):
        raise ShapecheckError("diagnose.bad_timeout", value=timeout)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ShapecheckError("grade.bad_seed", value=seed, most=MAX_SEED)
    if isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or not MIN_MEMORY_MB <= memory_mb <= MAX_MEMORY_MB:
        raise ShapecheckError("grade.bad_memory", value=memory_mb, least=MIN_MEMORY_MB, most=MAX_MEMORY_MB)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS):
        raise ShapecheckError("grade.bad_jobs", value=jobs, most=MAX_JOBS)


def _kind(kind: str, rubric: Rubric) -> str:
    from shapecheck.diagnosis.assignments import ASSIGNMENTS

    if kind != "auto" and kind not in ASSIGNMENTS:
        raise ShapecheckError("diagnose.bad_kind", value=kind, kinds=", ".join(ASSIGNMENTS))
    if rubric.kind and kind != "auto" and kind != rubric.kind:
        raise ShapecheckError("grade.kind_clash", kind=kind, rubric=rubric.source, rubric_kind=rubric.kind)
    return rubric.kind or kind


class _Run:
    """The records of one run: reused, graded now, or faults; written as they come, summarised at the end."""

    def __init__(self, store: ResultStore, rubric: Rubric, options: dict, found: list[Submission],
                 on_progress: Callable[[dict], None] | None) -> None:
        self.store, self.rubric, self.options, self.found = store, rubric, options, found
        self.by_key = {s.key: s for s in found}
        self.records: dict[str, dict] = {}
        self.todo: list[Submission] = []
        self.reused = 0
        self.on_progress = on_progress
        self.progress = Counter(total=len(found))

    def reuse(self) -> None:
        for submission in self.found:
            if submission.fault:
                continue
            record = self.store.reusable(submission.key, submission.id, submission.sha256, self.options)
            if record is None:
                self.todo.append(submission)
                continue
            self.reused += 1
            self._keep(submission.key, self._graded(submission, {"report": record["report"], "notes": record.get("notes", [])}))

    def finished(self, key: str, result: dict) -> None:
        """A result from the pool or the cluster: recorded at once, atomically."""
        submission = self.by_key[key]
        if result.get("status") == "graded":
            record = self._graded(submission, result)
        else:
            fault = result.get("fault") or {"id": result.get("status", "error"), "message": result.get("error", "")}
            record = self._ungraded(submission, result.get("status", "error"), fault, self._class_kind())
        self._keep(key, record)

    def _keep(self, key: str, record: dict) -> None:
        if self.store.load(key) != record:
            self.store.save(key, record)
        self.records[key] = record
        self.progress["done"] += 1
        if not record.get("passed"):
            self.progress["failed"] += 1
        if record["status"] == "timeout" or any(f["status"] == "timeout" for f in record.get("functions", [])):
            self.progress["timed_out"] += 1
        if self.on_progress:
            self.on_progress(dict(self.progress))

    def conclude(self) -> GradeReport:
        kind = self._class_kind()
        for submission in self.found:
            record = self.records.get(submission.key)
            if submission.fault:
                self._keep(submission.key, self._ungraded(submission, "fault", submission.fault.to_json(), kind))
            elif record and record["status"] != "graded" and record["kind"] != kind:  # its maximum is the class's
                self.records[submission.key] = self._ungraded(submission, record["status"], record["fault"], kind)
                self.store.save(submission.key, self.records[submission.key])
        records = [self.records[s.key] for s in self.found if s.key in self.records]
        summary = summarize(records, self.rubric.to_json())
        self.store.write("class.json", dumps(summary))
        self.store.write("class.csv", class_csv(records))
        kinds = sorted({r["kind"] for r in records if r["status"] == "graded"})
        unscored = [name for k in kinds for name in self.rubric.unscored(k)]
        warnings = [msg("grade.rubric_unscored", path=self.rubric.source, names=", ".join(unscored))] if unscored else []
        return GradeReport(summary, records, str(self.store.root), graded_now=len(records) - self.reused - sum(bool(s.fault) for s in self.found),
                           reused=self.reused, warnings=warnings)

    def _base(self, submission: Submission) -> dict:
        return {"id": submission.id, "path": printable(str(submission.path)), "sha256": submission.sha256, "options": self.options}

    def _graded(self, submission: Submission, result: dict) -> dict:
        report = result["report"]
        score = self.rubric.score(report)
        record = {**self._base(submission), "status": "graded", "kind": report["kind"], "passed": False,
                  "score": score.score, "max_score": score.max_score, "functions": [f.to_json() for f in score.functions],
                  "notes": result.get("notes", []), "fault": None, "report": report}
        record["passed"] = record_passed(record)  # full score, whatever the diagnosis's own verdict
        return record

    def _ungraded(self, submission: Submission, status: str, fault: dict, kind: str) -> dict:
        return {**self._base(submission), "status": status, "kind": kind, "passed": False, "score": 0.0,
                "max_score": self.rubric.max_score(kind), "functions": [], "notes": [], "fault": fault, "report": None}

    def _class_kind(self) -> str:
        """The assignment a submission that could not be graded is scored against (its maximum)."""
        if self.rubric.kind or self.options["kind"] != "auto":
            return self.rubric.kind or self.options["kind"]
        kinds = Counter(r["kind"] for r in self.records.values() if r["status"] == "graded")
        return max(sorted(kinds), key=kinds.__getitem__) if kinds else "dnn"
