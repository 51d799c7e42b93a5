"""The loader reads a student's file as Python reads it, and a process that dies is called what it is.

A correct file stays correct with several statements on one line, a UTF-8 BOM, CRLF line ends, tabs, a
latin-1 coding cookie, or a trailing ``if __name__ == "__main__":`` block; a crash (os._exit, runaway
recursion, a segfault) is a crash with how it ended, never a time limit; a small ``--memory`` is a limit
on the student's allocations, not a reason to fail every function.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import shapecheck as sc

GALLERY = Path(__file__).resolve().parent / "gallery"
COURSE = (GALLERY / "correct/dnn_course.py").read_text()
ONE_LINE_IMPORTS = COURSE.replace("import numpy as np\n", "import numpy as np; import copy\n", 1)

FILES = {  # name -> bytes of a correct file written another way
    "one_line": ONE_LINE_IMPORTS.encode(),
    "bom": b"\xef\xbb\xbf" + COURSE.encode(),
    "crlf": COURSE.replace("\n", "\r\n").encode(),
    "tabs": COURSE.replace("    ", "\t").encode(),
    "cookie": ("# -*- coding: latin-1 -*-\n# Élève: José\n" + COURSE).encode("latin-1"),
    "main_block": (COURSE + '\nif __name__ == "__main__":\n    import sys\n    sys.exit(1)\n').encode(),
}
CRASHES = {  # name -> (function, body, what the message says)
    "exits": ("compute_cost", "import os\n    os._exit(3)", "code 3"),
    "c_recursion": ("linear_backward", "import sys, json\n    sys.setrecursionlimit(10**7)\n    x = []\n    for _ in range(3 * 10**5):\n"
                                       "        x = [x]\n    json.dumps(x)", "SIGSEGV"),
    "segfault": ("linear_forward", "import faulthandler\n    faulthandler._sigsegv()", "SIGSEGV"),
}


def crashing(function: str, body: str) -> str:
    return COURSE + f"\n\ndef {function}(*args):\n    {body}\n"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("loader")
    jobs = {}
    for name, data in FILES.items():
        (root / f"{name}.py").write_bytes(data)
        jobs[name] = (root / f"{name}.py", {})
    for name, (function, body, _) in CRASHES.items():
        (root / f"{name}.py").write_text(crashing(function, body))
        jobs[name] = (root / f"{name}.py", {})
    jobs["small_memory"] = (root / "one_line.py", {"memory_mb": 100})
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda item: (item[0], sc.diagnose(item[1][0], "dnn", timeout=2.0, **item[1][1])), jobs.items())
        return dict(done)


@pytest.mark.parametrize("name", [*FILES, "small_memory"])
def test_a_correct_file_written_another_way_passes_every_function(reports, name):
    report = reports[name]
    assert [f.name for f in report.functions if f.status != "pass"] == [], report.to_text(140)
    assert report.passed and not report.findings


@pytest.mark.parametrize("name", CRASHES)
def test_a_crash_is_called_a_crash_with_how_it_ended(reports, name):
    function, _, how = CRASHES[name]
    result = reports[name].function(function)
    assert result.status == "error", result.to_json()
    problem = result.problems[0]
    assert problem.hint_id == "crash" and how in problem.message and "not a time limit" in problem.message
    others = [f for f in reports[name].functions if f.name != function and not f.inherited_from]
    assert others and all(f.status == "pass" for f in others)


def test_no_function_is_said_to_time_out_when_nothing_hung(reports):
    assert all(f.status != "timeout" for report in reports.values() for f in report.functions)


def test_runaway_recursion_within_the_limit_is_a_recursion_error(tmp_path):
    path = tmp_path / "recursion.py"
    path.write_text(crashing("linear_backward", "f = lambda n: f(n + 1)\n    f(0)"))
    result = sc.diagnose(path, "dnn", timeout=2.0).function("linear_backward")
    assert result.status == "error" and result.problems[0].actual == "RecursionError"


def test_a_crash_at_import_is_a_finding_and_the_rest_still_loads(tmp_path):
    path = tmp_path / "dies_at_import.py"
    path.write_text("import os\nos._exit(4)\n" + COURSE)
    report = sc.diagnose(path, "dnn", timeout=2.0)
    assert [p.hint_id for p in report.findings] == ["crash"] and "code 4" in report.findings[0].message
    assert all(f.status == "pass" for f in report.functions)
