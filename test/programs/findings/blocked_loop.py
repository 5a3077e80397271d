"""A greenlet calls the unpatched time.sleep: the loop stops, the heartbeat misses its beats."""
import time

import gevent


def heartbeat():
    for _ in range(5):
        gevent.sleep(0.02)


def cruncher():
    gevent.sleep(0.03)  # BLOCKED-RESUMED
    time.sleep(0.3)  # BLOCKED-CALL


gevent.joinall([gevent.spawn(heartbeat), gevent.spawn(cruncher)])
