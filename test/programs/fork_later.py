"""A fork with known times on both sides, for the side-by-side board: the
program runs its own greenlets for PARENT_S seconds, forks from a greenlet
("forker"), and the child sleeps CHILD_S seconds before it spawns greenlets
of its own ("child-work-N"). On one time axis the child's greenlets start
CHILD_S after the fork; on axes of their own they would start before it."""
from gevent import monkey
monkey.patch_all()

import os  # noqa: E402

import gevent  # noqa: E402
from gevent.monkey import get_original  # noqa: E402

PARENT_S = 0.8
CHILD_S = 0.3
waitpid = get_original("os", "waitpid")


def work(seconds):
    gevent.sleep(seconds)
    return seconds


def child():
    gevent.sleep(CHILD_S)
    gevent.joinall([gevent.spawn(work, 0.05) for _ in range(2)])
    os._exit(0)


def forker():
    pid = os.fork()
    if pid == 0:
        child()
    return pid


gevent.joinall([gevent.spawn(work, PARENT_S) for _ in range(3)])
pid = gevent.spawn(forker).get()
gevent.joinall([gevent.spawn(work, 0.1) for _ in range(2)])
waitpid(pid, 0)
print("parent", os.getpid(), "child", pid, flush=True)
