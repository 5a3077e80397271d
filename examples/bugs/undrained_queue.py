"""A queue nobody drains: the consumer died of an exception nobody saw.

gevent prints the consumer's traceback and carries on; the producer then
waits forever for room in the queue, until gevent gives up with LoopExit.
Under Greenlet Lens the session stops at the raise (the "A greenlet dies with
an exception" breakpoint), then again when every greenlet waits ("Deadlock"),
and the board shows the full queue with the producer among its putters.
"""
import gevent
from gevent.queue import Queue

jobs = Queue(maxsize=2)


def consumer():
    while True:
        job = jobs.get()
        print("handling", job["id"])
        gevent.sleep(0.01)


def producer():
    for n in range(10):
        # Job 2 has no "id": the consumer's job["id"] raises KeyError.
        jobs.put({"id": n} if n != 2 else {"name": n})
    print("all jobs queued")


gevent.joinall([gevent.spawn(consumer), gevent.spawn(producer)])
