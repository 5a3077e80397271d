"""Clean twin of unobserved_exception.py: get(), link_exception() and joinall() + .exception each look at one."""
import gevent


def worker(n):
    gevent.sleep(0.01)
    raise ValueError("bad input %d" % n)


g1 = gevent.spawn(worker, 1)
try:
    g1.get()
except ValueError as e:
    print("get() saw", e)

g2 = gevent.spawn(worker, 2)
g2.link_exception(lambda g: print("link_exception saw", g.exception))

g3 = gevent.spawn(worker, 3)
gevent.joinall([g3])
print("joinall, then .exception:", g3.exception)
gevent.sleep(0.5)  # long enough for the worker on a busy machine
