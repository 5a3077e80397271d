"""Runs until stopped; says which of its clean-ups ran: atexit, finally, and
its own SIGTERM handler: argv[1] == 'handler' sets one with signal.signal,
'gevent-handler' with gevent.signal_handler (the gevent idiom, a handler
the loop installs from C, which signal.getsignal does not see)."""
import atexit
import signal
import sys

import gevent

atexit.register(lambda: print("atexit ran", flush=True))
if len(sys.argv) > 1 and sys.argv[1] == "handler":
    def on_term(signum, frame):
        print("SIGTERM handler ran", flush=True)
        sys.exit(7)
    signal.signal(signal.SIGTERM, on_term)


def work():
    try:
        while True:
            gevent.sleep(0.05)  # BREAK
    finally:
        print("worker finally ran", flush=True)


g = gevent.spawn(work)
if len(sys.argv) > 1 and sys.argv[1] == "gevent-handler":
    def on_gevent_term():
        print("gevent SIGTERM handler ran", flush=True)
        g.kill()
    gevent.signal_handler(signal.SIGTERM, on_gevent_term)
try:
    # Inside the try: a stop that comes as soon as this is read lands in it.
    print("running", flush=True)
    g.join()
finally:
    print("main finally ran", flush=True)
