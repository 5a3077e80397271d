"""Objects the program names: a module variable, attributes of self, a local,
a global assigned in a function, a closure's variable; one made inline
(no name: Queue#N) and two workers whose Events share one name."""
import gevent
from gevent.event import AsyncResult, Event
from gevent.lock import Semaphore
from gevent.queue import Queue

tasks = Queue(3)
results = None


class Worker(object):
    def __init__(self):
        self.done = Event()


def drain(q):
    q.put("inline")
    return q.get()


def wait_for_result():
    return results.get()


def main():
    global results
    results = AsyncResult()
    lock = Semaphore()
    first, second = Worker(), Worker()
    pending = None

    def make():
        nonlocal pending
        pending = Queue()

    make()
    drain(Queue())
    with lock:
        tasks.put(1)
    pending.put("p")
    first.done.set()
    second.done.set()
    waiter = gevent.spawn(wait_for_result)
    gevent.sleep(0)
    print("waiting on", "results", flush=True)
    results.set(2)
    waiter.join()


main()
