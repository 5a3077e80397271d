"""A consumer waits on a queue whose only producer has returned; the rest of the program goes on."""
import gevent
from gevent.queue import Queue

items = Queue()


def producer():
    for n in range(3):
        items.put(n)
    # Returns without telling the consumer it is done.


def consumer():
    while True:
        item = items.get()  # NEVER-WOKEN
        print("got", item)


def heartbeat():
    for _ in range(5):
        gevent.sleep(0.01)


gevent.spawn(consumer)
gevent.spawn(producer)
gevent.spawn(heartbeat).join()
print("main is done")
