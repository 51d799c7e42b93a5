"""What a student's code may not do while it is graded, enforced inside the sandbox's worker process.

The sandbox already gives each submission its own session, a scratch folder as its working directory,
a memory limit and time limits. Grading a class adds what one student's file must not do to the
others' or to the grader: start or signal processes, write outside its scratch folder, fill the disk,
load native code. ``guard(scratch)`` installs that in the worker, before any student statement runs:

- an audit hook (PEP 578) that refuses, with a ``PermissionError`` the diagnosis reports like any
  exception of the student's, the events of process creation and signalling, writes outside the
  scratch folder, and ``ctypes`` loading libraries or symbols (the way around the hook);
- ``RLIMIT_FSIZE``: no file (the captured output included) grows past ``FILE_LIMIT`` bytes, and a
  write past it raises ``OSError`` instead of killing the process (SIGXFSZ ignored); no core dumps.

This stops mistakes and casual mischief, not a determined attacker with a C extension: for hostile
code, grade inside a container (Gradescope runs each submission in its own).

``python -m shapecheck.grade.guard FD MEMORY FILE`` is the sandbox worker with the guard on: the
entry point the grader starts instead of ``shapecheck.diagnosis.worker`` when it does not fork.
"""

from __future__ import annotations

import os
import resource
import signal
import sys

FILE_LIMIT = 32 * 2**20  # bytes: 20 times what a chatty correct file prints (gallery: prints_at_import, 1.4 MB)

# events that start, replace or signal a process, start a thread that a time limit cannot stop,
# or load native code that could do all of it without an event
PROCESS_EVENTS = frozenset({
    "os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
    "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
    "_thread.start_new_thread", "ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle",
})
# events that change the file system, and the positions of their path arguments
PATH_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.rename": (0, 1), "os.replace": (0, 1), "os.mkdir": (0,),
    "os.symlink": (1,), "os.link": (1,), "os.truncate": (0,), "os.chmod": (0,), "os.chown": (0,),
    "os.utime": (0,), "os.setxattr": (0,), "os.removexattr": (0,), "shutil.rmtree": (0,),
    "shutil.copyfile": (1,), "shutil.copymode": (1,), "shutil.copystat": (1,), "shutil.move": (1,),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def guard(scratch: str) -> None:
    """Install the limits and the audit hook in this process (the sandbox worker, before student code)."""
    root = os.path.realpath(scratch)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit raises OSError (EFBIG): a finding
    import tempfile

    tempfile.tempdir = root  # tempfile.mkstemp() and friends stay inside the scratch folder
    from shapecheck.core.messages import msg

    # the sentences are formatted now: the hook must not import anything while it runs
    process_text = msg("grade.blocked_process", event="{event}")
    write_text = msg("grade.blocked_write", path="{path}", scratch=root)

    def outside(path) -> bool:
        if isinstance(path, int) or path is None:
            return False  # an open file descriptor: it was opened under this same hook
        try:
            real = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return True
        return not (real == root or real.startswith(root + os.sep) or real == os.devnull)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            if len(args) >= 3 and isinstance(args[2], int) and args[2] & _WRITE_FLAGS and outside(args[0]):
                raise PermissionError(write_text.replace("{path}", str(args[0])))
        elif event in PROCESS_EVENTS:
            raise PermissionError(process_text.replace("{event}", event))
        elif event in PATH_EVENTS:
            for position in PATH_EVENTS[event]:
                if position < len(args) and outside(args[position]):
                    raise PermissionError(write_text.replace("{path}", str(args[position])))

    sys.addaudithook(hook)


def die_with_parent() -> None:
    """Linux: this process is killed when its parent dies (a grader killed mid-run leaves no orphan)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the EOF on the socket still ends us
        pass


def main() -> None:
    """The sandbox worker, guarded: ``python -m shapecheck.grade.guard FD MEMORY FILE`` in the scratch folder."""
    die_with_parent()
    import numpy  # noqa: F401 - loaded before the guard: numpy's own start-up is not the student's

    from shapecheck.diagnosis import stand_ins, worker

    stand_ins.install_course_modules()
    guard(os.getcwd())
    worker.main()


if __name__ == "__main__":
    from shapecheck.grade.guard import main as _main  # the real module name, as the worker does

    _main()
