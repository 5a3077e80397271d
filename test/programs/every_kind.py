"""Every event kind the runtime writes (but `error`, a hook failing), every wait
reason the format names (but `other`), every wrapped object kind, and every exit
flag, for test/integration/schema-conformance.test.ts. Each line where a
greenlet waits says why in a `# WAIT <reason>` comment: the test checks the
trace's reason against it."""
import gevent
import greenlet
from gevent import socket
from gevent.event import AsyncResult, Event
from gevent.lock import BoundedSemaphore, RLock, Semaphore
from gevent.queue import JoinableQueue, LifoQueue, PriorityQueue, Queue

import greenlet_lens

greenlet_lens.mark("every-kind")

q = Queue()
bounded = Queue(1)
lifo = LifoQueue()
prio = PriorityQueue(items=[3, 1, 2])  # seen first with items: a qsync
joinable = JoinableQueue()
ev = Event()
ar = AsyncResult()
failed = AsyncResult()
sem = Semaphore(1)
bsem = BoundedSemaphore(2)
rlock = RLock()


def getter():
    return q.get()  # WAIT queue_get


def putter():
    bounded.put("second")  # WAIT queue_put


def waiter():
    ev.wait()  # WAIT event_wait


def result_getter():
    return ar.get()  # WAIT result_get


def locker():
    with sem:  # WAIT lock_acquire
        pass


def sleeper():
    gevent.sleep(0.001)  # WAIT sleep
    return "slept"


def reader(sock):
    return sock.recv(1)  # WAIT io


def fails():
    raise ValueError("on purpose")


def forever():
    gevent.sleep(60)  # WAIT sleep


def plain():
    return "plain"


workers = [gevent.spawn(f) for f in (getter, putter, waiter, result_getter, sleeper)]
bounded.put("first")
sem.acquire()
holder = gevent.spawn(locker)
a, b = socket.socketpair()
io = gevent.spawn(reader, a)
renamed = gevent.spawn(lambda: None)
renamed.name = "renamed later"
doomed = gevent.spawn(fails)
victim = gevent.spawn(forever)
gevent.sleep(0.01)  # WAIT sleep

q.put("item")
bounded.get()
ev.set()
ev.clear()
ar.set(42)
failed.set_exception(KeyError("nope"))
sem.release()
b.send(b"x")
lifo.put(1)
lifo.put(2)
lifo.get()
prio.get()
joinable.put("job")
joinable.get()
joinable.task_done()
with bsem:
    with rlock:
        pass
victim.kill()  # WAIT join
greenlet.greenlet(plain).switch()
gevent.joinall(workers + [holder, io, renamed, doomed])  # WAIT join
print("done")
