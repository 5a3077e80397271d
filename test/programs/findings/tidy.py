"""Clean twin of leaked.py: the poller is killed, the result read, nothing left unstarted."""
import gevent


def poller():
    while True:
        gevent.sleep(10)


def compute():
    return 6 * 7


p = gevent.spawn(poller)
c = gevent.spawn(compute)
gevent.sleep(0.02)
print("result", c.get())
p.kill()
print("main returns")
