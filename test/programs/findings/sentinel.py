"""Clean twin of never_woken.py: the producer ends the stream with a sentinel."""
import gevent
from gevent.queue import Queue

items = Queue()


def producer():
    for n in range(3):
        items.put(n)
    items.put(None)


def consumer():
    while True:
        item = items.get()
        if item is None:
            return
        print("got", item)


def heartbeat():
    for _ in range(5):
        gevent.sleep(0.01)


c = gevent.spawn(consumer)
gevent.spawn(producer)
gevent.spawn(heartbeat).join()
c.join()
print("main is done")
