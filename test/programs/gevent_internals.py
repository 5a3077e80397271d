"""gevent makes queues, events and semaphores for itself (Pool.imap's
UnboundQueue and its Events, Group.map, the pool's Semaphore): none of them is
the program's. The program's own objects: one Event, set once."""
import gevent
from gevent.event import Event
from gevent.pool import Group, Pool


def work(i):
    gevent.sleep(0)
    return i * 2


done = Event()
pool = Pool(3)
print(list(pool.imap(work, range(6))))
print(sorted(pool.imap_unordered(work, range(6))))
print(list(pool.imap(work, range(6), maxsize=2)))
print(Group().map(work, range(4)))
print(pool.map(work, range(3)))
pool.spawn(done.set)
pool.join()
print(done.is_set())
