"""Runs until stopped; says which of its clean-ups ran: atexit, finally, and
(argv[1] == 'handler') its own SIGTERM handler."""
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
print("running", flush=True)
try:
    g.join()
finally:
    print("main finally ran", flush=True)
