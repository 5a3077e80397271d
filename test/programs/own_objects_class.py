"""Objects gevent makes for itself through a name the recorder rebinds (an
RLock's Semaphore; from gevent 25.4 a Queue's Event): what a program can
read of their class, and that they keep working."""
import json

import gevent
import gevent.lock
import gevent.queue


def lineage(obj):
    return [c.__module__ + "." + c.__qualname__ for c in type(obj).__mro__]


lock = gevent.lock.RLock()
with lock:
    with lock:
        pass
q = gevent.queue.JoinableQueue()


def drain():
    for _ in range(3):
        q.get()
        q.task_done()


worker = gevent.spawn(drain)
for i in range(3):
    q.put(i)
q.join()
worker.join()
print(json.dumps({"rlock_semaphore": lineage(lock._block), "joined": q.unfinished_tasks}))
