"""A greenlet calls the unpatched time.sleep: the whole loop stops for 0.5 s."""
import time

import gevent


def ticker():
    for _ in range(3):
        gevent.sleep(0.01)


def hog():
    gevent.sleep(0.02)
    time.sleep(0.5)  # blocks every greenlet: nothing yields to the hub
    return "done"


gevent.joinall([gevent.spawn(ticker), gevent.spawn(hog)])
print("finished")
