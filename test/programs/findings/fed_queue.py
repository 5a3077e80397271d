"""Clean twin of frequent_timeouts.py: the queue is fed well within the timeout."""
import gevent
from gevent.queue import Empty, Queue

inbox = Queue()


def poller():
    idle = 0
    for _ in range(10):
        try:
            inbox.get(timeout=1)
        except Empty:
            idle += 1
    print("idle polls:", idle)


def feeder():
    for n in range(10):
        gevent.sleep(0.002)
        inbox.put(n)


gevent.joinall([gevent.spawn(poller), gevent.spawn(feeder)])
