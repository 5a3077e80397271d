"""Two greenlets wait on an Event nobody sets: gevent would end with LoopExit."""
import gevent
from gevent.event import Event

never = Event()


def waiter(n):
    never.wait()
    return n


gevent.joinall([gevent.spawn(waiter, 1), gevent.spawn(waiter, 2)])
