"""gevent objects with waiters, for Variables: a full queue with a putter
waiting, an empty one with a getter, an Event with two waiters, a Semaphore
held by one greenlet and wanted by another, and a long queue."""
import gevent
from gevent.event import AsyncResult, Event
from gevent.lock import Semaphore
from gevent.queue import Queue

full = Queue(maxsize=2)
full.put("a")
full.put("b")
empty = Queue()
go = Event()
result = AsyncResult()
lock = Semaphore(1)
long_queue = Queue()
for i in range(150):
    long_queue.put(i)


def putter():
    full.put("c")


def getter():
    return empty.get()


def waiter():
    go.wait()


def holder():
    with lock:
        go.wait()


def wanter():
    with lock:
        pass


crew = [gevent.spawn(putter), gevent.spawn(getter), gevent.spawn(waiter), gevent.spawn(holder), gevent.spawn(wanter)]
gevent.sleep(0.01)
result.set(42)
print("ready")  # BREAK
go.set()
empty.put("x")
full.get()
gevent.joinall(crew)
print("done")
