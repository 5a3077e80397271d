"""What a program can see of gevent's classes must not change under the recorder:
type checks, subclassing (with an ABC or its own metaclass, with super()),
pickling the classes, and which name a queue was made with."""
import abc
import json
import pickle

import gevent.event
import gevent.lock
import gevent.queue
from gevent.lock import BoundedSemaphore, RLock, Semaphore
from gevent.queue import JoinableQueue, LifoQueue, PriorityQueue, Queue


class Meta(type):
    pass


class AbcQueue(Queue, abc.ABC):
    pass


class MetaEvent(gevent.event.Event, metaclass=Meta):
    pass


class AbcSemaphore(Semaphore, abc.ABC):
    pass


class Counting(Queue):
    """A program's queue that counts its puts and hands them on with super()."""

    def __init__(self):
        super().__init__()
        self.puts = 0

    def _put(self, item):
        self.puts += 1
        super()._put(item)


def pickles(cls):
    try:
        return pickle.loads(pickle.dumps(cls)) is cls
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)


checks = {
    "priority_is_queue": isinstance(PriorityQueue(), Queue),
    "lifo_is_queue": isinstance(LifoQueue(), Queue),
    "joinable_is_queue": isinstance(JoinableQueue(), Queue),
    "bounded_is_semaphore": isinstance(BoundedSemaphore(), Semaphore),
    "subclass": issubclass(PriorityQueue, Queue),
    "queue_name": Queue.__name__,
    "queue_module": Queue.__module__,
    "queue_qualname": Queue.__qualname__,
    "event_type_name": type(gevent.event.Event()).__name__,
    "type_is": type(Queue()) is Queue,
    "joinable_alias": JoinableQueue is getattr(gevent.queue, "JoinableQueue"),
    "joinable_class": JoinableQueue.__name__,  # "Queue" on gevent >= 25.4, where it is an alias
    "abc_metaclass": type(AbcQueue).__name__,
    "own_metaclass": type(MetaEvent).__name__,
    "abc_semaphore": type(AbcSemaphore(2)).__name__,
    "abc_instance": isinstance(AbcQueue(), Queue),
    "not_my_subclass": isinstance(Queue(), Counting),
    "pickled_classes": {c.__name__: pickles(c) for c in (
        Queue, PriorityQueue, LifoQueue, JoinableQueue, gevent.event.Event, gevent.event.AsyncResult,
        Semaphore, BoundedSemaphore, RLock, AbcQueue)},
}
counting = Counting()
counting.put("a")
counting.put("b")
checks["super_puts"] = [counting.puts, counting.get()]
lock = RLock()
with lock:
    with lock:
        pass
jq = JoinableQueue()
jq.put(1)
jq.get()
jq.task_done()
jq.join()
plain = Queue()
plain.put(2)
copied = plain.copy()  # the program's too, though gevent's own code makes it
copied.put(3)
print(json.dumps(checks, sort_keys=True))
