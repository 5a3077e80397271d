"""Three workers share a queue of tasks; the DAP tests stop on the line marked
BREAK, in the first worker, while the others wait their turn."""
import gevent
from gevent.queue import Queue

tasks = Queue()
results = []


def warm_up():
    return 42


def worker(name):
    while True:
        task = tasks.get()
        if task is None:
            break
        doubled = task * 2  # BREAK
        results.append((name, doubled))
        gevent.sleep(0)


finished = gevent.spawn(warm_up)
finished.join()
for i in range(6):
    tasks.put(i)
crew = [gevent.spawn(worker, n) for n in ("ann", "bob", "cid")]
for _ in crew:
    tasks.put(None)
gevent.joinall(crew)  # JOIN
print("results", sorted(results))
