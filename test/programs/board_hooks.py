"""One of everything the board draws: a bounded queue with items, an Event
and an AsyncResult with waiters, locks with holders and waiters, and at the
end a deadlock (two greenlets each holding the lock the other wants)."""
import gevent
from gevent.event import AsyncResult, Event
from gevent.lock import BoundedSemaphore, RLock
from gevent.queue import Queue

q = Queue(maxsize=2)
ready = Event()
result = AsyncResult()
first, second = RLock(), BoundedSemaphore(1)


def producer():
    q.put('job-1')
    q.put('job-2')
    ready.wait()
    result.set('done')


def consumer():
    return result.get()


def left():
    with first:
        gevent.sleep(0)
        with second:
            pass


def right():
    with second:
        gevent.sleep(0)
        with first:
            pass


workers = [gevent.spawn(producer), gevent.spawn(consumer)]
gevent.sleep(0)
ready.set()
gevent.joinall(workers)
pair = [gevent.spawn(left), gevent.spawn(right)]
try:
    gevent.joinall(pair)
except gevent.exceptions.LoopExit:
    print('deadlock')
