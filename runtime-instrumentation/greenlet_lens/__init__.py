"""Greenlet Lens runtime: records what greenlets do in a running program.

Start a program under it with ``python3 -m greenlet_lens record --output
FILE script.py``. From inside a recorded program, ``greenlet_lens.mark(label)``
puts a labelled point into the trace. Without a recording both are no-ops.
"""
__version__ = "0.1.0"

_recorder = None


def mark(label):
    """Write a ``mark`` event (used to line up a trace with program output)."""
    rec = _recorder
    if rec is not None:
        rec.mark(label)


def listen(port=5679, wait=False, trace=None):
    """Let a Greenlet Lens debug session attach to this program on
    127.0.0.1:port (the secret is written to $TMPDIR/greenlet-lens-UID/port-PORT.secret,
    a folder only this user can enter).
    Call it on the main thread, before the program starts its greenlets;
    wait=True blocks until the debugger has attached and configured."""
    from . import live
    return live.listen(port, wait, trace)


def recording():
    """True while this process is being recorded."""
    return _recorder is not None and _recorder.enabled
