"""A parent that starts a new Python with multiprocessing's spawn start
method; the child runs gevent code. The DAP tests follow the child as a
session of its own ("followChildren": true) and stop at HANDLE in it."""
import multiprocessing
import os

import gevent


def handle(n):
    return n * 2  # HANDLE


def child(n):
    g = gevent.spawn(handle, n)
    g.join()
    os.write(1, ("child %d handled %d\n" % (os.getpid(), g.value)).encode())


if __name__ == "__main__":
    gevent.sleep(0)
    p = multiprocessing.get_context("spawn").Process(target=child, args=(21,))
    p.start()
    p.join()
    print("parent done, child status %s" % p.exitcode, flush=True)
