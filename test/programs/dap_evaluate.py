"""Evaluate, set value and completions at a breakpoint in a consumer greenlet.

A producer fills a queue; two consumers take from it; a breakpoint stops the
first consumer with an item in hand while the other waits on the queue.
"""
import gevent
from gevent.queue import Queue

tasks = Queue()
LIMIT = 3
big = list(range(250))
results = []


class Box(object):
    def __init__(self):
        self.count = 1


box = Box()


def consumer(name):
    total = 0
    for _ in range(2):
        item = tasks.get()
        total += item
        results.append((name, item))  # BREAK
        gevent.sleep(0)
    print("consumer", name, "total", total, "box", box.count, "limit", LIMIT)


def idle():
    marker = "in idle"
    gevent.sleep(0.05)  # IDLE
    return marker


def producer():
    for i in range(4):
        tasks.put(i + 10)


sleeper = gevent.spawn(idle)
crew = [gevent.spawn(consumer, n) for n in ("ann", "bob")]
gevent.spawn(producer)
gevent.joinall(crew + [sleeper])
print("results", results)
