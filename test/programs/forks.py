"""Forks the ways gevent programs do, for the tests of recording children:
os.fork inside a greenlet after monkey patching, with a queue made before
the fork that the child drains; the child forks again (a grandchild) and
ends with os._exit, as multiprocessing's workers do; gevent.fork last.
Prints each process's pid so the tests can find each trace."""
from gevent import monkey
monkey.patch_all()

import os  # noqa: E402
import sys  # noqa: E402

import gevent  # noqa: E402
from gevent.monkey import get_original  # noqa: E402
from gevent.queue import Queue  # noqa: E402

# The blocking waitpid: gevent's cooperative one waits on a child watcher
# that gevent 26 on Python 3.12 sometimes never fires for a forked child
# (seen without the recorder too); this program is about forks, not that.
waitpid = get_original("os", "waitpid")

jobs = Queue()
jobs.put("before-fork")


def job(name):
    jobs.put(name)
    return name


def child():
    gevent.spawn(job, "in-child").join()
    print("child", os.getpid(), "drained", jobs.get(), jobs.get(), flush=True)
    pid = os.fork()
    if pid == 0:
        gevent.spawn(job, "in-grandchild").join()
        print("grandchild", os.getpid(), flush=True)
        os._exit(4)
    _, status = waitpid(pid, 0)
    print("grandchild exited", os.WEXITSTATUS(status), flush=True)
    os._exit(3)


def forker():
    pid = os.fork()
    if pid == 0:
        child()
    return pid


print("parent", os.getpid(), flush=True)
gevent.spawn(job, "in-parent").join()
pid = gevent.spawn(forker).get()
_, status = waitpid(pid, 0)
print("child exited", os.WEXITSTATUS(status), flush=True)
pid = gevent.fork()
if pid == 0:
    gevent.spawn(job, "in-gevent-fork").join()
    print("gevent-fork", os.getpid(), flush=True)
    sys.exit(5)
_, status = waitpid(pid, 0)
print("gevent-fork exited", os.WEXITSTATUS(status), "queue", len(jobs), flush=True)
