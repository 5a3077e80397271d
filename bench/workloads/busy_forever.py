"""A busy service that runs until it is stopped: two greenlets passing
messages through queues, and short-lived request greenlets, with no pause.
With an argument, it stops after that many request rounds (for tests)."""
import sys

import gevent
from gevent.queue import Queue

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else None

a, b = Queue(), Queue()


def ping():
    i = 0
    while True:
        a.put(i)
        b.get()
        i += 1


def pong():
    while True:
        b.put(a.get())


def handle(i):
    gevent.sleep(0)
    return i


def requests():
    i = 0
    while rounds is None or i < rounds * 50:
        gevent.joinall([gevent.spawn(handle, i + k) for k in range(50)])
        i += 50
        gevent.sleep(0.001)


service = [gevent.spawn(ping), gevent.spawn(pong)]
gevent.spawn(requests).join()
gevent.killall(service)
