"""Recording forked children (gunicorn workers, multiprocessing's fork
pools, a program's own os.fork or gevent.fork).

A child made by fork on the recorded thread goes on recording into a trace
of its own, ``<trace>.d/<pid>.glt`` next to the parent's ``<trace>``
(docs/runtime.md, "Processes"). Its recorder is the parent's, reset at the
fork (os.register_at_fork): a new file, header, flush thread and interning
tables, and first records that describe every greenlet and object alive at
the fork under the ids the parent's trace gave them.
"""
import os
import stat
import sys
import time

from . import compat
from . import writer as W
from ._schema import G_GREENLET

FOLDER_SUFFIX = ".d"


def folder_of(trace_path):
    return trace_path + FOLDER_SUFFIX


def _is_child_name(name):
    stem, dot, ext = name.partition(".")
    return ext == "glt" and stem.replace("-", "").isdigit()


def clear_stale(folder):
    """Children traces of an earlier recording to the same file are replaced,
    as its parent trace is: removed when the new recording starts. Only
    files named as ours and holding a trace (or nothing) are touched."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not _is_child_name(name):
            continue
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                continue
            with open(path, "rb") as f:
                magic = f.read(len(W.MAGIC))
            if magic in (W.MAGIC, b""):
                os.unlink(path)
        except OSError:
            pass


def new_child_path(folder):
    """A file of this process's own in folder, created empty and private:
    <pid>.glt, or <pid>-N.glt when an earlier process of the same pid (a
    reused pid) left one in this recording."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise OSError(0, "%s is not a folder" % folder)
    pid = os.getpid()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for n in range(1, 1000):
        path = os.path.join(folder, "%d.glt" % pid if n == 1 else "%d-%d.glt" % (pid, n))
        try:
            os.close(os.open(path, flags, 0o600))
        except FileExistsError:
            continue
        return path
    raise OSError(0, "no free name for process %d's trace in %s" % (pid, folder))


def child_header(parent_header, parent_trace):
    header = dict(parent_header)
    header.update({
        "pid": os.getpid(),
        "parentPid": os.getppid(),
        "parentTrace": os.path.basename(parent_trace),
        "startedBy": "fork",
        "argv": _argv(parent_header.get("argv", [])),
        "cwd": _cwd(parent_header.get("cwd", "")),
        "startedAt": time.time(),
        "t0": time.monotonic_ns() // 1000,
    })
    return header


def _argv(parent_argv):
    """The parent's argv as it was given (`gunicorn …`, not the path runpy
    found for it), unless the program changed its arguments since."""
    argv = list(sys.argv)
    return list(parent_argv) if argv[1:] == list(parent_argv)[1:] else argv


def _cwd(default):
    try:
        return os.getcwd()
    except OSError:
        return default


def describe_state(rec):
    """The child's first records: what the parent's recorder knew at the
    fork, greenlet and object ids unchanged. Spawn sites, stacks and wait
    sites are not repeated (they are in the parent's trace)."""
    rec._fids.clear()
    rec.waits.forget()
    rec.switches = 0
    w = rec.w
    t = time.monotonic_ns() // 1000
    main = rec.greenlets.get(rec.main_greenlet) if rec.main_greenlet is not None else None
    alive = []
    for n, ref in sorted(rec.greenlets.by_id.items()):
        g = ref()
        if g is None or getattr(g, "dead", False):
            continue
        alive.append(n)
        w.event(W.T_SPAWN, t, n, 0, rec.gkind.get(n, G_GREENLET),
                w.string(rec.names.get(n, "")), w.string(rec.funcs.get(n, "")), 0, 0)
    for n, ref in sorted(rec.objects.by_id.items()):
        obj = ref()
        if obj is None:
            continue
        okind = rec.op_kinds.kind(type(obj)) or rec.kinds.kind(type(obj))
        if okind:
            rec._describe(obj, n, okind, 0, 0, t)
    current = rec.greenlets.get(compat.getcurrent())
    for n in alive:
        if n in rec.blocked:
            w.event(W.T_BLOCK, t, n, rec.block_reasons.get(n, 0), rec.blocked[n], 0, 0, 0)
        elif n in rec.started and n != current and n != main and n not in rec.hubs:
            w.event2(W.T_READY, t, n, 0)
    if current is not None and main is not None and current != main:
        w.event2(W.T_SWITCH, t, main, current)
    rec.current = current or main or 1


_real_exit = os._exit
_ending = [None]  # (recorder, stop) of the recording os._exit ends in this process


def end_at_exit(rec, stop):
    """A forked child often ends with os._exit (multiprocessing's fork
    workers do), which skips everything after the program, so its trace
    would lose its last records and its end. In a followed child os._exit
    ends the trace first, then exits as it would (docs/runtime.md: the one
    name the runtime replaces in a followed child)."""
    _ending[0] = (rec, stop)
    if os._exit is not _exit:
        os._exit = _exit


def _exit(status):
    ending = _ending[0]
    if ending is not None:
        _ending[0] = None
        rec, stop = ending
        try:
            stop(rec, status if isinstance(status, int) and not isinstance(status, bool) else 1)
        except BaseException:
            pass
    _real_exit(status)


_exit.__name__ = _exit.__qualname__ = "_exit"
_exit.__module__ = _real_exit.__module__
_exit.__doc__ = _real_exit.__doc__
