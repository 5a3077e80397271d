"""Workers sharing a queue, for breakpoints inside a greenlet."""
import gevent
from gevent.queue import Queue

jobs = Queue()
results = []


def worker(name):
    while True:
        item = jobs.get()
        if item is None:
            return name
        results.append((name, item * 2))  # BREAK: a line inside the worker
        gevent.sleep(0)


def boss():
    for i in range(4):
        jobs.put(i)
    for _ in range(2):
        jobs.put(None)


crew = [gevent.spawn(worker, "w1"), gevent.spawn(worker, "w2")]
gevent.spawn(boss).join()
gevent.joinall(crew)
print(sorted(results))
