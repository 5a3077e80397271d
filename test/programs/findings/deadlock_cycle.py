"""Two workers take two locks in opposite orders and wait on each other forever."""
import gevent
from gevent.lock import Semaphore

a, b = Semaphore(), Semaphore()


def one():
    with a:
        gevent.sleep(0.01)
        with b:  # DEADLOCK-ONE
            pass


def two():
    with b:
        gevent.sleep(0.01)
        with a:  # DEADLOCK-TWO
            pass


gevent.spawn(one)
gevent.spawn(two)
gevent.sleep(0.1)
print("main gives up waiting")
