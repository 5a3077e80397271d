"""A poller waits on a queue with a short timeout that nearly always fires."""
import gevent
from gevent.queue import Empty, Queue

inbox = Queue()


def poller():
    idle = 0
    for _ in range(10):
        try:
            inbox.get(timeout=0.005)  # TIMEOUTS
        except Empty:
            idle += 1
    print("idle polls:", idle)


gevent.spawn(poller).join()
