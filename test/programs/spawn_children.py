"""A gevent program that starts new Pythons: two subprocesses running gevent
(spawned_child.py, the second dies of an exception) and a multiprocessing
Pool with the spawn start method whose workers run gevent tasks. The
children print what they see of their own environment, so the tests can
tell a followed child runs as it would alone."""
import multiprocessing
import os
import subprocess
import sys

import gevent

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spawned_child.py")


def fetch(n):
    gevent.sleep(0.001)
    return n * 10


def task(n):
    gs = [gevent.spawn(fetch, n + i) for i in range(3)]
    gevent.joinall(gs)
    return os.getpid(), sum(g.value for g in gs)


def main():
    print("parent", os.getpid(), flush=True)
    gevent.spawn(fetch, 1).join()
    subprocess.run([sys.executable, CHILD, "3"], check=True)
    print("failed child status", subprocess.run([sys.executable, CHILD, "1", "fail"]).returncode, flush=True)
    pool = multiprocessing.get_context("spawn").Pool(2)
    results = pool.map(task, range(6), chunksize=1)
    pool.close()
    pool.join()
    print("workers", " ".join(str(p) for p in sorted({pid for pid, _ in results})), flush=True)
    print("sums", " ".join(str(s) for _, s in results), flush=True)


if __name__ == "__main__":
    main()
