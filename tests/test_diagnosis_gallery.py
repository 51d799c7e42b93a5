"""The gallery's student files, run IN-PROCESS through cases -> compare (no sandbox).

Only the files that are safe to import here: isolation cases (an exit or an endless loop at import,
a call that never returns or allocates without bound) are the sandbox's, tested by the runner's
tests, and so is in-place mutation of inputs (the sandbox compares the arguments before and after).
Everything else must come out as the manifest says: correct files without a single problem; in a
buggy file, the root-cause function with a problem carrying the manifest's hint, and every function
the manifest does not list as failing passing.
"""

import contextlib
import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest

import gallery_manifest
from inprocess import build_args, course_with, reference_on

from shapecheck.diagnosis import cases as case_lib
from shapecheck.diagnosis.compare import compare
from shapecheck.diagnosis.contract import KINDS, contract_of
from contracts_by_kind import reference_of
from shapecheck.diagnosis.course_utils import course_modules
from shapecheck.diagnosis.hints import exception_hint

GALLERY = Path(__file__).parent / "gallery"
MANIFEST = GALLERY / "manifest.toml"
ENTRIES = gallery_manifest.entries()  # the assignments diagnose knows today; a moved manifest fails, never skips
SANDBOX_ONLY = {"timeout", "memory", "mutates_input"}
# the assignments whose protocol this file re-implements (caches from the student's own forward); the others
# need the runner's stand-ins, editions and notebook environment: test_diagnose_gallery runs them through diagnose
IN_PROCESS = {"dnn", "rnn"}


def in_scope(entry: dict) -> bool:
    return (entry["kind"] in IN_PROCESS and entry.get("import_finding") not in ("exit", "timeout")
            and entry.get("hint") not in SANDBOX_ONLY and entry.get("status_of_root") != "timeout")


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    with contextlib.redirect_stdout(io.StringIO()):
        spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def stand_ins(module, names, kind):
    """The reference in place of the student's functions ``names``, inside the student's module."""
    saved = {name: module.__dict__.get(name) for name in names}
    module.__dict__.update({name: reference_of(name, kind) for name in names})
    try:
        yield
    finally:
        module.__dict__.update(saved)


def callees_of(name: str, kind: str) -> list[str]:
    found, queue = [], list(contract_of(name, kind).callees)
    while queue:
        callee = queue.pop(0)
        if callee not in found:
            found.append(callee)
            queue.extend(contract_of(callee, kind).callees)
    return found


def arguments(module, case, results):
    """(args, expected) per cases.py: caches from the student's forward whenever it runs.

    The reference stands in for the forward's failing callees, the deepest first and as few as
    possible, so that the student's own functions still make the caches (in the student's format).
    """
    kind = case.kind
    link = case_lib.forward_for(case.function, kind)
    if link is None or results.get(link.forward, ("missing",))[0] == "missing":
        return case.fresh_args(), case_lib.reference_result(case)
    failing = [c for c in callees_of(link.forward, kind) if results.get(c, ("missing",))[0] not in ("pass", "missing")][::-1]
    passed = results[link.forward][0] == "pass"
    attempts = [(getattr(module, link.forward), failing[:k]) for k in range(len(failing) + 1)]
    direct = {c: getattr(module, c) for c in contract_of(link.forward, kind).callees if results.get(c, ("missing",))[0] != "missing"}
    if direct:
        attempts += [(course_with(link.forward, direct, kind), failing[:k]) for k in range(len(failing) + 1)]
    for maker, replaced in attempts:
        try:
            with stand_ins(module, replaced, kind), np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
                args = build_args(case, maker, caches_only=not passed)
            return args, (case_lib.reference_result(case) if passed else reference_on(case, args))
        except Exception:  # noqa: BLE001 - this one cannot make caches (or the reference cannot read them)
            continue
    return case.fresh_args(), case_lib.reference_result(case)


def diagnose_in_process(entry: dict) -> dict[str, tuple[str, list]]:
    """{function: (status, [(hint_id, message)])}, bottom-up, as cases.py tells a runner to build arguments."""
    results: dict[str, tuple[str, list]] = {}
    with course_modules(entry["kind"]):
        module = load(GALLERY / entry["path"], "gallery_" + entry["path"].replace("/", "_")[:-3])
        for contract in KINDS[entry["kind"]]:
            function = getattr(module, contract.name, None)
            if getattr(function, "__module__", None) != module.__name__:
                if contract.notes.get("optional"):
                    continue  # as the runner: a function nothing calls, absent from the file, is not reported
                results[contract.name] = ("missing", [])
                continue
            results[contract.name] = ("pass", [])
            # as the runner: the course's own domain first; a case outside it (L = 1) may fail without failing the function
            for case in sorted(case_lib.cases_for(contract.name, kind=contract.kind), key=lambda c: c.outside is not None):
                args, expected = arguments(module, case, results)
                try:
                    with np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
                        output = function(*args)
                except Exception as error:  # noqa: BLE001 - the student's exception is the finding
                    if case.outside:
                        break
                    found = exception_hint(contract.name, type(error).__name__, str(error), case)
                    results[contract.name] = ("error", [found or ("exception", str(error))])
                    break
                problems = compare(contract.name, case, output, expected)
                if problems and case.outside:
                    break
                if problems:
                    results[contract.name] = ("fail", [(p.hint_id, p.message) for p in problems])
                    break
    return results


@pytest.mark.parametrize("entry", [e for e in ENTRIES if in_scope(e)], ids=lambda e: e["path"])
def test_gallery_file_is_diagnosed_as_the_manifest_says(entry):
    results = diagnose_in_process(entry)
    missing = {name for name, (status, _) in results.items() if status == "missing"}
    assert missing == set(entry.get("missing", []))
    failing = {name: problems for name, (status, problems) in results.items() if status in ("fail", "error")}
    # the older edition's dA keys: compare names them, the runner maps them (and fails them only when strict)
    failing = {n: p for n, p in failing.items() if any(hint != "old_edition_keys" for hint, _ in p)}
    assert set(failing) <= set(entry["failing"]), f"false positives: {set(failing) - set(entry['failing'])}"
    root = entry.get("root_cause")
    if root:
        assert root in failing, f"{root} passed: {results[root]}"
        assert entry["hint"] in {hint for hint, _ in failing[root]}, failing[root]
    else:
        assert failing == {}


def test_the_gallery_has_buggy_and_correct_files_in_scope():
    scoped = [e for e in ENTRIES if in_scope(e)]
    assert MANIFEST.exists() and ENTRIES, "the gallery's manifest is gone or empty"
    assert sum(e["correct"] for e in scoped) >= 5 and sum(not e["correct"] for e in scoped) >= 30
