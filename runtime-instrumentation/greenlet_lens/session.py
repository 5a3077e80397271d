"""Starting and stopping a recording in this process."""
import os
import time

from . import accel, chain, compat, gevent_hooks, probe, reprs
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


def start(output, argv, live=None, flush_interval=None):
    """Begin recording the calling (main) thread into output (a path or None)
    and/or live (a callable taking trace bytes); returns the Recorder."""
    import greenlet_lens
    kwargs = {} if flush_interval is None else {"flush_interval": flush_interval}
    w = TraceWriter(output, _header(argv), live=live, **kwargs)
    rec = Recorder(w)
    gevent_hooks.install(rec)
    rec.main_greenlet = compat.getcurrent()
    rec.gid(rec.main_greenlet)
    rec.prev_tracer = compat.settrace(rec.trace)
    chain.install(rec)
    greenlet_lens._recorder = rec
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: _forked(rec))
    return rec


def restart(rec, output, argv):
    """Go on recording the same process into a new trace file (pytest plugin)."""
    rec.restart(output, _header(argv))


def _forked(rec):
    # The child would write into the parent's file; it is not recorded.
    if not rec.enabled:
        return
    rec.enabled = False
    chain.uninstall(rec)
    try:
        compat.settrace(rec.prev_tracer)
    except Exception:
        pass
    rec.w.abandon()
    import greenlet_lens
    greenlet_lens._recorder = None


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
