"""Three thousand greenlets blocked on one queue, for the thread list's cap."""
import gevent
from gevent.queue import Queue

q = Queue()


def waiter(i):
    return q.get()


crowd = [gevent.spawn(waiter, i) for i in range(3000)]
gevent.sleep(0)
count = len(crowd)  # BREAK
for _ in crowd:
    q.put(None)
gevent.joinall(crowd)
print("all", count, "done")
