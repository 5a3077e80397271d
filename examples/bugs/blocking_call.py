"""One greenlet blocks the whole loop: an unpatched time.sleep.

Without gevent.monkey.patch_all(), time.sleep does not yield to the hub, so
the heartbeat greenlet misses its beats. Under Greenlet Lens the session stops
with "Blocked loop" at that line once it has run longer than blockedLoopMs.
"""
import time

import gevent


def heartbeat():
    for beat in range(5):
        print("beat", beat)
        gevent.sleep(0.1)


def report():
    gevent.sleep(0.15)
    time.sleep(1.0)  # should be gevent.sleep(1.0)
    print("report done")


gevent.joinall([gevent.spawn(heartbeat), gevent.spawn(report)])
