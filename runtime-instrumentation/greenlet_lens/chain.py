"""The program's own greenlet tracer next to the recorder's.

greenlet keeps one trace function per thread, so a program calling
greenlet.settrace(fn) would silently take switch recording away. While the
recorder runs, greenlet.settrace and greenlet.gettrace are wrappers that
keep the recorder installed on the recorded thread and chain the program's
function behind it: the program's tracer sees every event it would have
seen, gettrace() returns what it set, and settrace() returns what was set
before, as greenlet's own do. On other threads they are greenlet's own.
A tracer set behind the wrappers' back (through the C API) is detected at
the end and said in the trace.
"""
import greenlet

from . import compat

_MODULES = ("greenlet", "greenlet._greenlet")


def _modules():
    import sys
    return [sys.modules[name] for name in _MODULES if name in sys.modules]


def install(rec):
    original_set, original_get = compat.settrace, compat.gettrace

    def recording_here():
        return rec.enabled and original_get() is rec.trace

    def settrace(callback):
        if not recording_here():
            return original_set(callback)
        previous = rec.prev_tracer
        rec.prev_tracer = callback
        return previous

    def gettrace():
        return rec.prev_tracer if recording_here() else original_get()

    settrace.__doc__ = greenlet.settrace.__doc__
    gettrace.__doc__ = greenlet.gettrace.__doc__
    saved = []
    for mod in _modules():
        if getattr(mod, "settrace", None) is original_set:
            saved.append((mod, mod.settrace, mod.gettrace))
            mod.settrace = settrace
            mod.gettrace = gettrace
    rec.chain_saved = saved


def uninstall(rec):
    for mod, original_set, original_get in getattr(rec, "chain_saved", ()):
        mod.settrace = original_set
        mod.gettrace = original_get
    rec.chain_saved = []
