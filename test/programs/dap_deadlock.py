"""A greenlet waits on an Event nobody will set: the program deadlocks
(plain gevent raises LoopExit in the main greenlet's join)."""
import gevent
from gevent.event import Event

go = Event()


def waiter():
    go.wait()  # WAIT
    print("never printed")


w = gevent.spawn(waiter)
w.join()
