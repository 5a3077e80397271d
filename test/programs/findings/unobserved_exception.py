"""A worker dies of an exception nobody looks at; gevent prints it and main goes on."""
import gevent


def worker():
    gevent.sleep(0.01)
    raise ValueError("bad input")  # UNOBSERVED


gevent.spawn(worker)
gevent.sleep(0.05)
print("main carries on")
