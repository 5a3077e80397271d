"""A queue holding N items while W greenlets wait: half blocked on an Event,
half on a second queue's get. Once the backlog is full the Event is set; its
waiters drain the backlog (yielding every 100 items) and pass every 100th
item on to the second queue, which wakes its waiters one by one."""
import sys

import gevent
from gevent.event import Event
from gevent.queue import Empty, Queue

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
W = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
backlog, side = Queue(), Queue()
go = Event()


def drainer():
    go.wait()
    total = 0
    while True:
        try:
            item = backlog.get_nowait()
        except Empty:
            return total
        total += item
        if item % 100 == 0:
            side.put(item)
            gevent.sleep(0)


def collector():
    return side.get()


drainers = [gevent.spawn(drainer) for _ in range(W // 2)]
collectors = [gevent.spawn(collector) for _ in range(W - W // 2)]
gevent.sleep(0)  # every waiter runs once and blocks
for i in range(N):
    backlog.put(i)
assert backlog.qsize() == N
go.set()
gevent.joinall(drainers)
for _ in range(len(collectors) - N // 100):  # more collectors than forwarded items
    side.put(-1)
gevent.joinall(collectors)
print(sum(g.value for g in drainers), sum(g.value for g in collectors))
