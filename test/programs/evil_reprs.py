"""Objects whose __repr__/__str__ raise, block or are huge go through queues,
results and greenlet values. The recorder must not call them."""
import gevent
from gevent.event import AsyncResult
from gevent.queue import Queue

calls = []


class Raises(object):
    def __repr__(self):
        calls.append("raises")
        raise RuntimeError("repr exploded")


class Blocks(object):
    def __repr__(self):
        calls.append("blocks")
        gevent.sleep(0.1)  # would switch greenlets inside a hook
        return "Blocks()"


class Huge(object):
    def __repr__(self):
        calls.append("huge")
        return "x" * 10_000_000


class BadStr(Exception):
    def __str__(self):
        calls.append("str")
        raise RuntimeError("str exploded")


q = Queue()
result = AsyncResult()


def producer():
    for item in (Raises(), Blocks(), Huge(), "x" * 100_000, [Huge()] * 3, {"k": Raises()}):
        q.put(item)
        gevent.sleep(0)
    result.set(Huge())
    return Blocks()


def consumer():
    got = [q.get() for _ in range(6)]
    return len(got)


def failing():
    raise BadStr()


jobs = [gevent.spawn(producer), gevent.spawn(consumer), gevent.spawn(failing)]
gevent.get_hub().print_exception = lambda *a: None
gevent.joinall(jobs)
print("consumer got", jobs[1].value)
print("repr calls", calls)
