"""A multiprocessing Pool of two forked workers, each task running gevent
greenlets: the tests find each worker's trace by the pids the tasks return."""
import multiprocessing
import os

import gevent


def fetch(n):
    return n * 10


def task(n):
    gs = [gevent.spawn(fetch, n + i) for i in range(3)]
    gevent.joinall(gs)
    return os.getpid(), sum(g.value for g in gs)


if __name__ == "__main__":
    pool = multiprocessing.get_context("fork").Pool(2)
    results = pool.map(task, range(8), chunksize=1)
    pool.close()
    pool.join()
    print("parent", os.getpid(), flush=True)
    print("workers", " ".join(str(p) for p in sorted({pid for pid, _ in results})), flush=True)
    print("sums", " ".join(str(s) for _, s in results), flush=True)
