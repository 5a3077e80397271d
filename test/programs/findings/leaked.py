"""Greenlets left behind: one still sleeping, one never started, one whose result nobody reads."""
import gevent


def poller():
    while True:
        gevent.sleep(10)  # LEAK-SLEEPING


def compute():
    return 6 * 7


gevent.spawn(poller)
gevent.spawn(compute)  # LEAK-RESULT
gevent.sleep(0.02)
gevent.spawn(print, "never printed")  # LEAK-NOT-STARTED
print("main returns")
