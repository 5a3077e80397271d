"""A busy service that runs until it is stopped: two greenlets passing
messages through queues, and short-lived request greenlets, with no pause."""
import gevent
from gevent.queue import Queue

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
    while True:
        gevent.joinall([gevent.spawn(handle, i + k) for k in range(50)])
        i += 50
        gevent.sleep(0.001)


gevent.joinall([gevent.spawn(ping), gevent.spawn(pong), gevent.spawn(requests)])
