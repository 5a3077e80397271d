"""What a program can see of gevent's classes must not change under the recorder."""
import json

import gevent.event
import gevent.lock
import gevent.queue
from gevent.lock import BoundedSemaphore, RLock, Semaphore
from gevent.queue import JoinableQueue, LifoQueue, PriorityQueue, Queue

checks = {
    "priority_is_queue": isinstance(PriorityQueue(), Queue),
    "lifo_is_queue": isinstance(LifoQueue(), Queue),
    "joinable_is_queue": isinstance(JoinableQueue(), Queue),
    "bounded_is_semaphore": isinstance(BoundedSemaphore(), Semaphore),
    "subclass": issubclass(PriorityQueue, Queue),
    "queue_name": Queue.__name__,
    "queue_module": Queue.__module__,
    "event_type_name": type(gevent.event.Event()).__name__,
    "joinable_alias": JoinableQueue is getattr(gevent.queue, "JoinableQueue"),
}
lock = RLock()
with lock:
    with lock:
        pass
jq = JoinableQueue()
jq.put(1)
jq.get()
jq.task_done()
jq.join()
print(json.dumps(checks, sort_keys=True))
