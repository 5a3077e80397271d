"""Two greenlets passing N messages back and forth through two queues."""
import sys

import gevent
from gevent.queue import Queue

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
ping, pong = Queue(), Queue()


def player():
    for _ in range(N):
        pong.put(ping.get() + 1)


def starter():
    v = 0
    for _ in range(N):
        ping.put(v)
        v = pong.get()
    print(v)


gevent.joinall([gevent.spawn(player), gevent.spawn(starter)])
