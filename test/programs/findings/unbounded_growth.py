"""A producer outruns a consumer that soon stops: the queue only grows."""
import gevent
from gevent.queue import Queue

backlog = Queue()


def producer():
    for batch in range(30):
        for n in range(100):
            backlog.put((batch, n))  # GROWTH
        gevent.sleep(0)


def consumer():
    for _ in range(5):
        backlog.get()
        gevent.sleep(0.001)


gevent.joinall([gevent.spawn(producer), gevent.spawn(consumer)])
print("left in the queue:", backlog.qsize())
