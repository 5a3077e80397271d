"""A worker dies of an exception nobody looks at; gevent prints it and main goes on."""
import gevent


def worker():
    gevent.sleep(0.01)
    raise ValueError("bad input")  # UNOBSERVED


gevent.spawn(worker)
gevent.sleep(0.5)  # long enough for the worker on a busy machine
print("main carries on")
