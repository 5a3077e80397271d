"""A crowd for the board's wait-for graph: N workers (default 1000) drain one
queue and end up waiting on it, a few watchers wait on an Event nobody sets,
and two greenlets take two locks in opposite order (a deadlock cycle).
Prints "ready" once everyone is waiting, then lets the program end."""
import sys

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from gevent.queue import Queue

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
tasks = Queue()
go = Event()
left_lock = Semaphore()
right_lock = Semaphore()


def worker(i):
    while True:
        tasks.get()
        gevent.sleep(0)


def watcher():
    go.wait()


def take(first, second):
    with first:
        gevent.sleep(0.01)
        with second:
            return True


def producer():
    for i in range(N // 2):
        tasks.put(i)


crowd = [gevent.spawn(worker, i) for i in range(N)]
watchers = [gevent.spawn(watcher) for _ in range(5)]
pair = [gevent.spawn(take, left_lock, right_lock), gevent.spawn(take, right_lock, left_lock)]
gevent.spawn(producer).join()
gevent.sleep(0.2)
print('ready', flush=True)
