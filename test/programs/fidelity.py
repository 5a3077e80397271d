"""A gevent program that takes live snapshots at chosen points (see
live_snapshot.py) and counts switches with its own greenlet tracer."""
import os
import sys

import greenlet
import gevent
from gevent.event import Event, AsyncResult
from gevent.queue import Queue

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from live_snapshot import snapshot  # noqa: E402

switches = [0]


def counter(event, args):
    switches[0] += 1
    if previous is not None:
        previous(event, args)


previous = greenlet.settrace(counter)

tasks = Queue(maxsize=3)
go = Event()
answer = AsyncResult()


def boss():
    for i in range(8):
        if i == 4:
            snapshot("queue-full")
            go.set()
            snapshot("after-set")
        tasks.put(("task", i))
    snapshot("boss-done-putting")
    answer.set({"answer": 42})


def worker(name):
    go.wait()
    got = []
    while True:
        try:
            got.append(tasks.get(timeout=0.05))
        except Exception:
            break
        if len(got) == 2 and name == "w1":
            snapshot("w1-has-two")
        gevent.sleep(0)
    return got


def early_getter():
    snapshot("early-getter-running")
    return tasks.get()


def asker():
    v = answer.get()
    snapshot("asker-has-answer")
    return v


def failing():
    go.wait()
    raise KeyError("missing")


snapshot("start")
greenlets = [gevent.spawn(early_getter), gevent.spawn(boss), gevent.spawn(worker, "w1"),
             gevent.spawn(worker, "w2"), gevent.spawn(asker), gevent.spawn(failing)]
snapshot("spawned")
gevent.sleep(0)
snapshot("main-after-first-sleep")
gevent.joinall(greenlets)
snapshot("end")
with open(os.environ["GREENLET_LENS_SWITCHES"], "w") as f:
    f.write(str(switches[0]))
