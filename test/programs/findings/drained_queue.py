"""Clean twin of unbounded_growth.py: the consumer keeps up and drains the queue."""
import gevent
from gevent.queue import Queue

backlog = Queue()


def producer():
    for batch in range(30):
        for n in range(100):
            backlog.put((batch, n))
        gevent.sleep(0)
    backlog.put(None)


def consumer():
    while backlog.get() is not None:
        pass


gevent.joinall([gevent.spawn(producer), gevent.spawn(consumer)])
print("left in the queue:", backlog.qsize())
