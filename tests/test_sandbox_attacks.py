"""Hostile submissions graded in a class with honest classmates (issue 13's acceptance; SECURITY.md).

Every attack of the issue, and more, each as a student's file. The class is graded once; then:
every honest score is unchanged, also after the run ends; no attacker scores above what its own work
earns; nothing is written outside the scratch folders; no secret of the grader's environment is in any
output; the run ends by itself and leaves no process behind.
"""

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from shapecheck.diagnosis.confine import UID_BASE, landlock_abi
from shapecheck.diagnosis.sandbox import WORKER_FILE
from shapecheck.grade import grade

GALLERY = Path(__file__).resolve().parent / "gallery"
COURSE = (GALLERY / "correct/dnn_course.py").read_text()
SECRET = "sk-" + hashlib.sha256(str(time.time()).encode()).hexdigest()[:24]
FUNCTIONS = ("initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
             "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward", "update_parameters")

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/ns/pid") or os.geteuid() != 0 and not landlock_abi(),
                                reason="the sandbox's isolation needs Linux namespaces (root) or Landlock")


def wrapped(function: str, body: str) -> str:
    """The correct file, with ``body`` run first whenever ``function`` is called (its result is then the right one)."""
    return COURSE + f"\n\n_{function} = {function}\n\ndef {function}(*args):\n" + \
        "".join(f"    {line}\n" for line in body.strip("\n").splitlines()) + f"    return _{function}(*args)\n"


def nothing(body: str) -> str:
    """A file that implements nothing: every function runs ``body`` (with ``name`` and ``args``) and returns its value."""
    defs = "".join(f"\ndef {f}(*args):\n    return _attack({f!r}, args)\n" for f in FUNCTIONS)
    return "import os, sys\n\ndef _attack(name, args):\n" + "".join(f"    {line}\n" for line in body.strip("\n").splitlines()) + defs


# --- the attacks: name -> (source, the most it may score: its honest work) --------------------------------
def attacks(places: dict) -> dict[str, tuple[str, int]]:
    outside, record, classmate, results = places["outside"], places["record"], places["classmate"], places["results"]
    return {
        # code in a returned object: a str subclass whose __reduce__ would run in an unpickling grader
        "reduce_in_reply": (COURSE.replace("def linear_forward(", "def _course_linear_forward(") + f'''
class Evil(str):
    def __reduce__(self):
        return (exec, ("open({str(outside / 'reduce')!r}, 'w').write('ran in the grader')",))

def linear_forward(A, W, b):
    return Evil("Z"), {{Evil("k"): Evil("v")}}
''', 8),
        # switching the old guard off, then writing where it should not
        "guard_off": (wrapped("compute_cost", f'''
try:
    import shapecheck.grade.guard as g
    g.PROCESS_EVENTS = frozenset(); g.PATH_EVENTS = {{}}; g.guard = lambda *a: None
except Exception:
    pass
open({str(outside / 'guard')!r}, 'w').write('x')
'''), 8),
        # file-system tricks with descriptors: dir_fd, hard links, mkfifo, rename and remove, fchmod, sqlite3
        "dir_fd_tricks": (wrapped("linear_backward", f'''
import os
for attempt in (
    lambda: os.open("planted", os.O_CREAT | os.O_WRONLY, dir_fd=os.open({str(outside)!r}, os.O_RDONLY)),
    lambda: os.link({str(classmate)!r}, "stolen.py"),
    lambda: os.link("mine", {str(outside / 'link')!r}),
    lambda: os.mkfifo({str(outside / 'fifo')!r}),
    lambda: os.rename("x", "y", src_dir_fd=os.open(".", os.O_RDONLY), dst_dir_fd=os.open({str(outside)!r}, os.O_RDONLY)),
    lambda: os.remove(os.path.basename({str(classmate)!r}), dir_fd=os.open({str(classmate.parent)!r}, os.O_RDONLY)),
    lambda: os.fchmod(os.open({str(classmate)!r}, os.O_RDONLY), 0o777),
    lambda: __import__("sqlite3").connect({str(outside / 'db.sqlite')!r}).execute("create table t (x)"),
    lambda: os.symlink({str(classmate)!r}, "ln") or open("ln").read(),
):
    try:
        attempt()
    except Exception:
        pass
'''), 9),
        # starting a process past the guard, and a double-forked daemon that rewrites records after the run
        "fork_exec_daemon": (wrapped("update_parameters", f'''
import os
try:
    import _posixsubprocess
    _posixsubprocess.fork_exec(["/bin/sh", "-c", "echo 0 > {record}"], [b"/bin/sh"], True, (), None, None,
                               -1, -1, -1, -1, -1, -1, -1, -1, False, False, None, None, None, -1, None, False)
except Exception:
    pass
try:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            import time
            time.sleep(2)
            open({str(record)!r}, "w").write('{{"id": "honest_0", "score": 0}}')
        os._exit(0)
except Exception:
    pass
try:
    import threading
    threading.Thread(target=lambda: open({str(record)!r}, "w").write("{{}}")).start()
except Exception:
    pass
'''), 9),
        # killing siblings (pidfd_send_signal, kill -1) and the coordinator
        "kills_everyone": (wrapped("linear_activation_forward", '''
import os, signal
for pid in range(1, 4096):
    try:
        os.pidfd_send_signal(os.pidfd_open(pid), signal.SIGKILL)
    except Exception:
        pass
for target in (os.getppid(), -1, 0):
    try:
        os.kill(target, signal.SIGKILL)
    except Exception:
        pass
'''), 9),
        # a FIFO where a classmate's record will be written
        "fifo_at_record": (wrapped("initialize_parameters_deep", f'''
import os
try:
    os.mkfifo({str(record)!r})
except Exception:
    pass
'''), 9),
        # scores without work: calling the checker's reference, from the package or its files
        "calls_reference": (nothing(f'''
for folder in {places["package_paths"]!r}:
    sys.path.insert(0, folder)
try:
    from shapecheck.diagnosis import reference
    return reference.FUNCTIONS[name](*args)
except BaseException:
    pass
try:
    from shapecheck.diagnosis.assignments.dnn import course
    return getattr(course, name)(*args)
except BaseException:
    return None
'''), 0),
        # harvesting the course's code through the stand-ins' globals during root-cause runs
        "harvests_stand_ins": (nothing('''
found = globals().setdefault("_found", {})
for value in list(globals().values()):
    for item in list(getattr(value, "__globals__", {}).values()) + [getattr(value, "func", None)]:
        if callable(item) and getattr(item, "__name__", "") in ("linear_forward", "L_model_backward") and item is not globals().get(item.__name__):
            found.update({k: v for k, v in getattr(item, "__globals__", {}).items() if callable(v)})
if name in found:
    return found[name](*args)
f = sys._getframe(1)
while f is not None:
    if name in f.f_globals and f.f_globals[name] is not globals().get(name):
        return f.f_globals[name](*args)
    f = f.f_back
return None
'''), 0),
        # ... and through the globals of the course's helper modules in the clean worker
        "harvests_helpers": ("from dnn_utils import relu\nimport rnn_utils, testCases\n" + nothing('''
for helper in (relu, rnn_utils.softmax, testCases.anything):
    for value in list(getattr(helper, "__globals__", {}).values()):
        found = getattr(value, "__globals__", {}).get(name) if callable(value) else None
        if callable(found):
            return found(*args)
    if name in getattr(helper, "__globals__", {}):
        return helper.__globals__[name](*args)
return None
'''), 0),
        # ... and anywhere in the worker's memory: the course's source, its code objects, its functions
        "scans_memory": (nothing('''
import gc, types
for obj in gc.get_objects():
    try:
        if isinstance(obj, types.FunctionType) and obj.__name__ == name and obj.__code__.co_filename != __file__:
            return obj(*args)
        if isinstance(obj, dict) and callable(obj.get(name)) and obj.get(name) is not globals().get(name):
            return obj[name](*args)
        if isinstance(obj, str) and f"def {name}(" in obj and len(obj) < 10**6:
            namespace = {}
            exec(obj, namespace)
            return namespace[name](*args)
    except Exception:
        continue
return None
'''), 0),
        # reading the coordinator's command line to find the class folder, then running a classmate's file
        "runs_classmate": (nothing(f'''
import glob
for path in glob.glob("/proc/*/cmdline") + [{str(classmate)!r}]:
    try:
        text = open(path, "rb").read().decode(errors="replace")
    except Exception:
        continue
    for folder in [{str(classmate.parent)!r}] + [t for t in text.split("\\0") if t.startswith("/")]:
        for other in glob.glob(os.path.join(folder, "*.py")):
            try:
                namespace = {{}}
                exec(open(other).read(), namespace)
                return namespace[name](*args)
            except Exception:
                pass
return None
'''), 0),
        # the grader's environment, the class folder and the results, printed into one's own feedback
        "reads_secrets": (wrapped("linear_forward", f'''
import os
seen = [str(dict(os.environ))]
for path in ("/proc/1/environ", "/proc/self/environ", {str(classmate.parent)!r}, {str(results)!r}):
    try:
        seen.append(str(os.listdir(path)) if os.path.isdir(path) else open(path, "rb").read().decode(errors="replace"))
    except Exception as exc:
        seen.append(type(exc).__name__)
print("\\n".join(seen))
raise RuntimeError(" ".join(seen)[:250])
'''), 8),
        # more of our own: a reply too large to carry, a forged frame, an array of objects, deep nesting
        "huge_reply": (wrapped("compute_cost", '''
import numpy as np
return np.zeros(60_000_000)
'''), 8),
        "forged_frame": (wrapped("linear_backward", '''
import os
os.write(3, b"SCW1" + b"\\xff" * 12)
'''), 8),
        "object_array": (wrapped("L_model_forward", '''
import numpy as np
return np.array([object(), {"a": 1}], dtype=object), [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
'''), 8),
        # crashes and hangs: a segfault, os._exit, an ignored time limit, runaway recursion, the network
        "segfault": (wrapped("linear_activation_backward", "import faulthandler\nfaulthandler._sigsegv()"), 8),
        "exits": (wrapped("compute_cost", "import os\nos._exit(3)"), 8),
        "ignores_alarm": (wrapped("update_parameters", "import signal\nfor number in (signal.SIGALRM, signal.SIGPROF):\n    signal.signal(number, signal.SIG_IGN)\nwhile True:\n    pass"), 8),
        "network": (wrapped("linear_forward", '''
import socket
s = socket.socket()
s.settimeout(0.5)
s.connect(("1.1.1.1", 80))
'''), 8),
        "recursion": (wrapped("linear_backward", '''
import sys, json
sys.setrecursionlimit(10**7)
x = []
for _ in range(3 * 10**5):
    x = [x]
json.dumps(x)
'''), 8),
        "exit_at_import": ("import sys\nsys.exit(0)\n" + COURSE, 9),
        "reads_sibling_memory": (wrapped("linear_forward", '''
import glob
for path in glob.glob("/proc/[0-9]*/mem") + glob.glob("/proc/[0-9]*/root/tmp/*"):
    try:
        print(path, open(path, "rb").read(64))
    except Exception:
        pass
'''), 9),
        "fills_shm": (wrapped("linear_forward", '''
for place in ("/dev/shm/x", "/var/tmp/x", "big"):
    try:
        with open(place, "wb") as f:
            for _ in range(200):
                f.write(b"0" * 2**20)
    except OSError:
        pass
'''), 9),
    }


HONEST = 3  # correct classmates, each with its own bytes


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    outside = tmp_path_factory.mktemp("outside")
    results = root.parent / "results"
    for k in range(HONEST):
        (root / f"honest_{k}.py").write_text(COURSE + f"\n# student {k}\n")
    (root / "honest_wrong.py").write_text(COURSE.replace("db = 1 / m * np.sum(dZ, axis=1, keepdims=True)",
                                                         "db = 1 / m * np.sum(dZ, axis=0, keepdims=True)"))
    import shapecheck

    package = Path(shapecheck.__file__).parent
    places = {"outside": outside, "record": results / "submissions" / "honest_1.json", "classmate": root / "honest_0.py",
              "results": results, "package_paths": [str(package.parent), str(package.parent.parent)]}
    found = attacks(places)
    for name, (source, _) in found.items():
        (root / f"{name}.py").write_text(source)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    os.environ["SHAPECHECK_TEST_SECRET"] = SECRET  # the graders inherit it; no worker may see it
    try:
        report = grade([root], out=results, jobs=2, timeout=1.0)
    finally:
        del os.environ["SHAPECHECK_TEST_SECRET"]
    first = {p.stem: json.loads(p.read_text()) for p in (results / "submissions").glob("*.json")}
    time.sleep(2.5)  # a daemon would rewrite records now
    return {"report": report, "root": root, "outside": outside, "results": results, "before": before,
            "first": first, "attacks": found}


def test_the_class_has_every_attack(graded):
    assert len(graded["attacks"]) >= 20


def test_every_honest_score_is_unchanged_also_after_the_run(graded):
    report, results = graded["report"], graded["results"]
    for k in range(HONEST):
        assert report.record(f"honest_{k}")["score"] == 9
        assert json.loads((results / "submissions" / f"honest_{k}.json").read_text()) == graded["first"][f"honest_{k}"]
    wrong = report.record("honest_wrong")
    assert wrong["score"] < 9 and not wrong["passed"]  # a wrong classmate is still wrong after the attackers


@pytest.mark.parametrize("name", sorted(attacks({"outside": Path("/o"), "record": Path("/r"), "classmate": Path("/c/x.py"),
                                                 "results": Path("/r"), "package_paths": []})))
def test_no_attacker_scores_above_its_own_work(graded, name):
    record = graded["report"].record(name)
    assert record["score"] <= graded["attacks"][name][1], record["report"]["functions"] if record.get("report") else record


def test_nothing_was_written_outside_the_scratch_folders(graded):
    assert list(graded["outside"].iterdir()) == []
    now = {p.name: p.read_bytes() for p in graded["root"].iterdir()}
    assert now == graded["before"]
    stray = [p for p in Path("/dev/shm").glob("x")] + [p for p in Path("/var/tmp").glob("x")]
    assert stray == []


def test_no_secret_of_the_grader_is_in_any_output(graded):
    for path in graded["results"].rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path
    reads = graded["report"].record("reads_secrets")["report"]
    assert SECRET not in json.dumps(reads) and "honest_1" not in json.dumps(reads)


def test_the_run_left_no_process_behind(graded):
    """No worker of this checkout's sandbox (a user of its own) is alive; other checkouts' may be, on a shared machine."""
    ours = str(WORKER_FILE).encode()
    left = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                uid = entry.stat().st_uid
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if UID_BASE <= uid < UID_BASE + 2**22 and ours in command:
                left.append(entry.name)
    assert left == []


def test_the_sandbox_says_what_was_in_force(graded):
    isolation = graded["report"].record("honest_0")["report"]["isolation"]
    assert isolation["pid"] and isolation["net"] and isolation["rlimits"]
    if landlock_abi() >= 1:
        assert isolation["landlock"]


def test_a_crash_is_called_a_crash_and_a_hang_a_timeout(graded):
    statuses = {name: {f["name"]: f for f in graded["report"].record(name)["report"]["functions"]}
                for name in ("segfault", "exits", "ignores_alarm")}
    crash = statuses["segfault"]["linear_activation_backward"]
    assert crash["status"] == "error" and crash["problems"][0]["hint_id"] == "crash" and "SIGSEGV" in crash["problems"][0]["message"]
    exits = statuses["exits"]["compute_cost"]
    assert exits["status"] == "error" and "code 3" in exits["problems"][0]["message"]
    assert statuses["ignores_alarm"]["update_parameters"]["status"] == "timeout"
