"""Two greenlets passing messages as fast as they can: a flood of events for
the live stream, then a breakpoint once it is over."""
import gevent
from gevent.queue import Queue

N = 10_000
ping, pong = Queue(), Queue()


def player():
    for _ in range(N):
        pong.put(ping.get() + 1)


def starter():
    v = 0
    for _ in range(N):
        ping.put(v)
        v = pong.get()
    return v


result = gevent.joinall([gevent.spawn(player), gevent.spawn(starter)])
finished = True  # BREAK
print("done")
