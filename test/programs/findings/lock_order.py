"""Clean twin of deadlock_cycle.py: both workers take the locks in one order."""
import gevent
from gevent.lock import Semaphore

a, b = Semaphore(), Semaphore()


def worker(n):
    with a:
        gevent.sleep(0.01)
        with b:
            print("worker", n, "has both")


gevent.joinall([gevent.spawn(worker, 1), gevent.spawn(worker, 2)])
