"""Clean twin of deadlock_exhaustion.py: a sender does send the job."""
import gevent
from gevent.event import Event
from gevent.queue import Queue

jobs = Queue()
done = Event()


def worker():
    job = jobs.get()
    print("job", job)
    done.set()


def sender():
    gevent.sleep(0.01)
    jobs.put("work")


gevent.spawn(worker)
gevent.spawn(sender)
done.wait()
print("done")
