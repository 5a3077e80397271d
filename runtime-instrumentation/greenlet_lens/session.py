"""Starting and stopping a recording in this process."""
import atexit
import os
import sys
import time

from . import accel, chain, compat, forks, gevent_hooks, probe, reprs, spawned
from .recorder import Recorder
from .writer import MAX_INTERNED, TraceWriter, VERSION


def _header(argv):
    header = {"format": "greenlet-lens-trace", "version": list(VERSION)}
    header.update(probe.describe())  # python, implementation, greenlet, gevent, loop, compiled
    header.update({
        "pid": os.getpid(),
        "argv": list(argv),
        "cwd": os.getcwd(),
        "startedAt": time.time(),
        "clock": "monotonic-us",
        "t0": time.monotonic_ns() // 1000,
        "reprLimit": reprs.LIMIT,
        "stackDepth": 8,
        # Strings past these are used once, by the next event (writer.MAX_INTERNED):
        # a reader need not keep them, so its memory does not grow with a long run.
        "internedStrings": MAX_INTERNED - 1,
        # Which recorder wrote it: the compiled core, or the pure-Python one and why.
        "recorder": "compiled" if accel.core() is not None else "pure-python: " + accel.why_not(),
    })
    return header


def start(output, argv, live=None, flush_interval=None, follow_forks=False, follow_spawn=False):
    """Begin recording the calling (main) thread into output (a path or None)
    and/or live (a callable taking trace bytes); returns the Recorder.
    follow_forks: a forked child records into <output>.d/<pid>.glt (forks.py);
    else it is not recorded. follow_spawn: so does a new Python it starts
    that runs greenlets (spawned.py)."""
    kwargs = {} if flush_interval is None else {"flush_interval": flush_interval}
    header = _header(argv)
    w = TraceWriter(output, header, live=live, **kwargs)
    folder = None
    if output is not None:
        # The recording replaces an earlier one to the same file, its children's traces too.
        folder = forks.folder_of(os.path.abspath(output))
        forks.clear_stale(folder)
    return _begin(w, header, folder if follow_forks else None, follow_spawn)


def start_spawned(folder, argv, live=None, flush_interval=None):
    """In a new Python started by a recording that follows children: records
    into <folder>/<pid>.glt and follows its own children into folder too.
    In a live session's spawned child, folder is None when the launch has no
    trace, and live takes the trace bytes."""
    parent_pid, parent_trace = spawned.parent_of_this_process()
    header = _header(argv)
    header.update({"parentPid": parent_pid, "parentTrace": parent_trace, "startedBy": "spawn"})
    kwargs = {} if flush_interval is None else {"flush_interval": flush_interval}
    w = TraceWriter(forks.new_child_path(folder) if folder is not None else None, header, live=live, **kwargs)
    rec = _begin(w, header, folder, True)
    # Nothing of ours runs the program here: its end is written at exit (or os._exit).
    forks.end_at_exit(rec, stop)
    atexit.register(_ended_at_exit, rec)
    return rec


def _begin(w, header, follow_folder, follow_spawn):
    import greenlet_lens
    rec = Recorder(w)
    rec.header = header
    rec.follow_folder = follow_folder
    rec.follow_spawn = follow_spawn and follow_folder is not None
    gevent_hooks.install(rec)
    rec.main_greenlet = compat.getcurrent()
    rec.gid(rec.main_greenlet)
    rec.prev_tracer = compat.settrace(rec.trace)
    chain.install(rec)
    greenlet_lens._recorder = rec
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: _forked(rec))
    if rec.follow_spawn:
        spawned.export(follow_folder, w.path)
    return rec


def _ended_at_exit(rec):
    """A spawned child's end: its exit status is not visible at exit, only an
    uncaught exception (sys.last_value, set when Python printed it)."""
    exc = getattr(sys, "last_value", None)
    code = 0
    if exc is not None and not isinstance(exc, SystemExit):
        rec.main_failed = True
        try:
            rec.exception(1, type(exc), exc, exc.__traceback__)
        except Exception:
            pass
        code = 1
    stop(rec, code)
    # A Python that never ran a greenlet (multiprocessing's resource tracker, a
    # helper `python -c`) has nothing to show: its trace would only be noise.
    w = rec.w
    if (rec.header.get("startedBy") == "spawn" and rec.switches == 0 and len(rec.greenlets.by_id) <= 1
            and not rec.main_failed and w.errors == 0 and w.file_error is None and w.path is not None):
        try:
            os.unlink(w.path)
        except OSError:
            pass


def restart(rec, output, argv):
    """Go on recording the same process into a new trace file (pytest plugin)."""
    rec.restart(output, _header(argv))


def _forked(rec):
    if not rec.enabled:
        return
    hook = rec.fork_hook
    if hook is not None and rec._get_ident() == rec.main_ident:
        try:
            if hook():
                return
        except Exception as e:
            say("this child process (pid %d) is not debugged: %s" % (os.getpid(), e))
        if rec.w.live is not None:
            rec.follow_folder = None  # not followed by the session: not recorded either
    if rec.follow_folder is not None and rec._get_ident() == rec.main_ident and rec.w.file_error is None:
        try:
            _follow(rec)
            return
        except Exception as e:
            say("this child process (pid %d) is not recorded: %s" % (os.getpid(), e))
    # The child would write into the parent's file; it is not recorded.
    rec.enabled = False
    chain.uninstall(rec)
    try:
        compat.settrace(rec.prev_tracer)
    except Exception:
        pass
    rec.w.abandon()
    import greenlet_lens
    greenlet_lens._recorder = None


def _follow(rec):
    """Goes on recording in a forked child, into a trace of its own."""
    parent_trace = rec.w.path
    path = forks.new_child_path(rec.follow_folder)
    header = forks.child_header(rec.header, parent_trace)
    rec.w.fork_into(path, header)
    rec.header = header
    if rec.follow_spawn:
        spawned.export(rec.follow_folder, path)
    forks.describe_state(rec)
    forks.end_at_exit(rec, stop)


def say(text):
    try:
        os.write(2, ("greenlet-lens: %s\n" % text).encode("utf-8", "replace"))
    except OSError:
        pass


def stop(rec, code):
    import greenlet_lens
    if rec.finished or (not rec.enabled and rec.stopped_by is None):
        return
    note = None
    chain.uninstall(rec)
    try:
        if rec._get_ident() != rec.main_ident:
            pass  # greenlet's tracer is per thread: only the recorded one can tell
        elif compat.gettrace() is rec.trace:
            compat.settrace(rec.prev_tracer)
        elif rec.enabled:
            note = ("the program replaced the greenlet tracer without greenlet.settrace's Python function: "
                    "switches after that were not recorded")
    except Exception:
        pass
    gevent_hooks.uninstall(rec)
    rec.finish(code, note)
    greenlet_lens._recorder = None
