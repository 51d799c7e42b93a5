"""A worker confined by the kernel before the student's first statement runs (Linux). Self-contained.

Loaded by path in the worker's template (worker.py): the standard library only, never the package.
``confine(options, keep)`` runs in a freshly forked child and, in this order, as far as the kernel
allows (``IN_FORCE`` says afterwards what held):

- ``pid``: new PID namespace; its init (forked by this process) forks the worker and waits for it. When
  the worker ends, the kernel kills every process it started, however it detached (double forks,
  setsid); the worker sees no process outside its namespace, so it can neither signal nor find them;
- ``net``: new network namespace with no interface up: no network at all;
- ``mount``: private mounts; /tmp becomes a fresh tmpfs of ``quota`` bytes, the worker's working
  folder and its only writable place (/dev/shm, /var/tmp empty and closed), and /proc shows the
  namespace's own processes only (without a mount namespace: ``scratch``, an empty folder);
- ``user``: when root, the worker drops to an unprivileged user of its own (``UID_BASE`` + pid), no
  supplementary groups, no capabilities; otherwise a user namespace gives the namespaces above;
- ``rlimits``: address space (``memory`` beyond what Python and numpy take), file size (``fsize``), open files, no core dumps, and with a
  user of its own no second process or thread at all (``NPROC``);
- ``landlock``: reads only beneath ``read`` (the standard library, numpy), writes only in the scratch
  folder; no TCP; no signals or abstract sockets across the sandbox (Landlock ABI 6+);
- ``no_new_privs``; a clean environment; only the socket and the output file open.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
UID_BASE = 1_500_000_000  # an unprivileged user per worker: UID_BASE + pid (no such user in /etc/passwd)
NPROC = 1  # processes (and threads) of the worker's own user: itself, so it can start none

# Landlock (include/uapi/linux/landlock.h)
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
RULE_PATH_BENEATH = 1

IN_FORCE: dict[str, bool] = {}

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
    return result


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when it has none (or it is disabled)."""
    if not sys.platform.startswith("linux"):
        return 0
    result = _libc.syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(int(result), 0)


def confine(options: dict, keep: dict[int, int | None]) -> None:
    """Confine this process (a fresh fork) as the module docstring says; returns in the worker only.

    ``options``: scratch (a folder), quota, memory, fsize (bytes; 0 = no limit), read (folders the
    worker may read beneath), env (the worker's environment). ``keep``: the socket's fd -> 3, the output
    file's fd -> stdout and stderr (None)."""
    IN_FORCE.clear()
    root = os.geteuid() == 0
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()
    flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS
    if not root:
        flags |= CLONE_NEWUSER
    uid, gid = os.getuid(), os.getgid()
    worker_uid = UID_BASE + os.getpid() if root else uid  # this process's pid: unique among running workers
    try:
        _check(_libc.unshare(flags), "unshare")
        IN_FORCE.update(pid=True, net=True, mount=True, user=not root)
        if not root:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        IN_FORCE.update(pid=False, net=False, mount=False, user=False)
    if IN_FORCE["pid"]:
        _become_init()  # returns in the worker, the new namespace's process 2
    scratch = options["scratch"]
    if IN_FORCE["mount"]:
        IN_FORCE["mount"] = _mounts(options["quota"], worker_uid, worker_uid if root else gid)
        if IN_FORCE["mount"]:
            scratch = "/tmp"  # a fresh tmpfs: the only place it may write, empty, with a quota
    if root and scratch != "/tmp":
        os.chown(scratch, worker_uid, worker_uid)
    IN_FORCE["scratch_quota"] = scratch == "/tmp"
    read_fds = [_open_path(p) for p in options.get("read", ())]
    scratch_fd = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
    devices = [(_open_path(p), rights) for p, rights in (("/dev/null", FS_READ_FILE | FS_WRITE_FILE),
                                                          ("/dev/urandom", FS_READ_FILE))]
    _limits(options)
    if root:
        IN_FORCE["user"] = _drop_to(worker_uid)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after the change of user, which clears it
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    IN_FORCE["no_new_privs"] = True
    IN_FORCE["landlock"] = _landlock([fd for fd in read_fds if fd is not None], scratch_fd,
                                     [(fd, r) for fd, r in devices if fd is not None])
    for fd in read_fds + [fd for fd, _ in devices]:
        if fd is not None:
            os.close(fd)
    os.fchdir(scratch_fd)
    os.close(scratch_fd)
    _descriptors(keep)
    os.environ.clear()
    os.environ.update(options.get("env", {}))
    import tempfile

    tempfile.tempdir = scratch if scratch == "/tmp" else "."
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the file-size limit raises OSError: a finding
    sys.dont_write_bytecode = True


def _become_init() -> None:
    """Fork the new PID namespace's init, which forks the worker and waits for it: when the worker ends, init
    ends, and the kernel kills every process left in the namespace. Returns in the worker only."""
    _fork_and_wait()  # this process (in the grader's namespace) waits for init
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # init dies with it, and the namespace with init
    _fork_and_wait()  # init waits for the worker


def _fork_and_wait() -> None:
    """Fork; the parent closes everything, waits for the child and ends as it ended (128 + signal)."""
    pid = os.fork()
    if pid == 0:
        return
    os.closerange(0, 65536)  # the worker's socket must close when the worker dies, not stay open here
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def _mounts(quota: int, uid: int, gid: int) -> bool:
    """In the worker's own mount namespace: /tmp a fresh tmpfs of ``quota`` bytes owned by the worker, the
    other world-writable places empty and tiny, /proc this namespace's processes only."""
    mount = _libc.mount
    mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    if mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False
    data = f"size={max(int(quota), 4096)},nr_inodes=2048,mode=0700,uid={uid},gid={gid}".encode()
    if mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, data) != 0:
        return False
    for place in (b"/dev/shm", b"/var/tmp", b"/run/lock"):
        if os.path.isdir(place):
            mount(b"tmpfs", place, b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, b"size=4096,nr_inodes=4,mode=0500")
    mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)  # this namespace's processes only
    return True


def _limits(options: dict) -> None:
    memory, fsize = int(options.get("memory", 0)), int(options.get("fsize", 0))
    if memory > 0:  # on top of what Python and numpy already take, so a small --memory is still a limit, not a failure
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if fsize > 0:
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    if os.geteuid() == 0:  # per user: meaningful for a user of its own
        resource.setrlimit(resource.RLIMIT_NPROC, (NPROC, NPROC))
    IN_FORCE["rlimits"] = True


def _address_space() -> int:
    """Bytes of address space this process has now (Python, numpy, their libraries)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _drop_to(uid: int) -> bool:
    for target in (uid, 65534):
        try:
            os.setgroups([])
            os.setresgid(target, target, target)
            os.setresuid(target, target, target)
            return os.geteuid() != 0
        except OSError:
            continue
    return False


def _landlock(read_fds: list[int], scratch_fd: int, devices: list[tuple[int, int]]) -> bool:
    abi = landlock_abi()
    if abi < 1:
        return False
    fs = FS_ALL_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) | (FS_IOCTL_DEV if abi >= 5 else 0)
    attr = _RulesetAttr(fs, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    try:
        ruleset = _check(_libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)),
                         "landlock_create_ruleset")
        read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
        rules = [(fd, read) for fd in read_fds] + [(scratch_fd, fs & ~(FS_IOCTL_DEV | FS_REFER))] + devices
        for fd, allowed in rules:
            rule = _PathBeneath(allowed & fs, fd)
            _check(_libc.syscall(SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                                 ctypes.c_uint32(0)), "landlock_add_rule")
        _check(_libc.syscall(SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)), "landlock_restrict_self")
        os.close(ruleset)
    except OSError:
        return False
    IN_FORCE["landlock_net"] = abi >= 4
    IN_FORCE["landlock_scope"] = abi >= 6
    return True


def _descriptors(keep: dict[int, int | None]) -> None:
    """stdin from /dev/null, stdout and stderr to the output file, the socket as fd 3, nothing else open."""
    null = os.open(os.devnull, os.O_RDWR)
    moved = {}
    for fd, target in keep.items():
        moved[os.dup(fd)] = target  # out of the way of 0-3 first
    os.dup2(null, 0)
    for fd, target in moved.items():
        if target is None:
            os.dup2(fd, 1)
            os.dup2(fd, 2)
        else:
            os.dup2(fd, target)
    os.closerange(4, 65536)
    os.set_inheritable(3, False)


def _open_path(path: str) -> int | None:
    try:
        return os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return None


def _prctl(option: int, value: int) -> None:
    _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
