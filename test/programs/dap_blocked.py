"""A greenlet calls the unpatched time.sleep: for half a second nothing else
can run (the loop is blocked)."""
import time

import gevent


def hog():
    time.sleep(0.5)  # BLOCK
    return "done"


def polite():
    gevent.sleep(0.01)


gevent.joinall([gevent.spawn(hog), gevent.spawn(polite)])
print("finished")
