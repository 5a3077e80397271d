"""A pre-fork server in miniature: the parent forks two workers, each runs a
gevent greenlet that handles one job, and waits for both. The DAP tests
follow each worker as a child session and stop at HANDLE in it."""
import os

import gevent


def handle(n):
    return n * 2  # HANDLE


def worker(i):
    g = gevent.spawn(handle, i)
    g.join()
    # One write: two workers share the program's stdout.
    os.write(1, ("worker %d handled %d\n" % (os.getpid(), g.value)).encode())


gevent.sleep(0)
pids = []
for i in range(2):
    pid = os.fork()
    if pid == 0:
        worker(i)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
print("parent done", flush=True)
