"""A busy pool of 1000 greenlets: 10 producers feed a bounded queue that 900
workers drain into a results queue read by one collector, while 89 sleepers
wake on timers; events keep coming until it is stopped. With an argument,
each producer puts that many hundred jobs and the program ends (for tests)."""
import sys

import gevent
from gevent.queue import Queue

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else None
WORKERS, PRODUCERS, SLEEPERS = 900, 10, 89

jobs = Queue(maxsize=100)
results = Queue()
done = []


def producer(p):
    i = 0
    while rounds is None or i < rounds * 100:
        jobs.put((p, i))
        i += 1


def worker():
    while True:
        job = jobs.get()
        if job is None:
            return
        gevent.sleep(0)
        results.put(job[1])


def collector(expected):
    total = n = 0
    while expected is None or n < expected:
        total += results.get()
        n += 1
    done.append(total)


def sleeper(k):
    while rounds is None or not done:
        gevent.sleep(0.005 * (k % 5 + 1))


sleepers = [gevent.spawn(sleeper, k) for k in range(SLEEPERS)]
workers = [gevent.spawn(worker) for _ in range(WORKERS)]
expected = None if rounds is None else PRODUCERS * rounds * 100
summer = gevent.spawn(collector, expected)
gevent.joinall([gevent.spawn(producer, p) for p in range(PRODUCERS)])
for _ in workers:
    jobs.put(None)
gevent.joinall(workers)
summer.join()
gevent.joinall(sleepers)
print('jobs', PRODUCERS * rounds * 100, 'sum', done[0])
