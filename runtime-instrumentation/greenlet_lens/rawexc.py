"""The exception that killed a plain greenlet.

greenlet hands it to the parent only after the trace callback returns, so a
one-shot frame tracer on the parent's resumed frame catches its first
``exception`` event and then removes itself. Skipped when another tool (a
debugger, coverage) owns ``sys.settrace``: that tool's tracing is not ours to
disturb, and the trace then says the greenlet failed without the details.
"""
import sys

from . import frames


def _resumed_frame():
    f = sys._getframe(1)
    while f is not None and frames.code_class(f.f_code) == frames.OURS:
        f = f.f_back
    return f


def catch_in_parent(rec, gid):
    frame = _resumed_frame()
    if frame is None or sys.gettrace() is not None:
        rec.exception(gid, None, None, None)
        return

    def local(fr, event, arg):
        try:
            if event == "exception" and fr is frame:
                etype, value, tb = arg
                rec.exception(gid, etype, value, tb)
        finally:
            sys.settrace(None)
            fr.f_trace = None
        return None

    def global_(fr, event, arg):
        return None

    frame.f_trace_lines = False
    frame.f_trace = local
    sys.settrace(global_)
