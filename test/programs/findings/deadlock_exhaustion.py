"""Everyone waits: main for an Event the worker sets only after a job nobody sends."""
import gevent
from gevent.event import Event
from gevent.queue import Queue

jobs = Queue()
done = Event()


def worker():
    job = jobs.get()  # EXHAUSTION-WORKER
    print("job", job)
    done.set()


gevent.spawn(worker)
done.wait()  # EXHAUSTION-MAIN
