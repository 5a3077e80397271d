"""A program that owns the signals a debugger might use: SIGUSR2 back to its
default action, the runtime's interrupt signal to the default or to its own
handler (argv[1]: 'default' or 'handler'). It spins in a greenlet that
yields now and then; prints how often its handlers ran."""
import signal
import sys
import time

import gevent

fired = []
try:
    from greenlet_lens import interrupts
    ours = interrupts.SIGNAL
except ImportError:
    ours = None
signal.signal(signal.SIGUSR2, signal.SIG_DFL)
if ours is not None:
    if sys.argv[1] == "handler":
        signal.signal(ours, lambda *a: fired.append("interrupt"))
        signal.signal(signal.SIGUSR2, lambda *a: fired.append("SIGUSR2"))
    else:
        signal.signal(ours, signal.SIG_DFL)
print("ready", flush=True)


def spin():
    end = time.time() + 3
    while time.time() < end:
        t = time.time() + 0.3
        while time.time() < t:
            pass  # SPIN
        gevent.sleep(0)


gevent.spawn(spin).join()
print("handlers fired: %r" % fired)
