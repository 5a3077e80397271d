"""Runs until killed: a mark, a line on stdout, then greenlets sleeping forever."""
import gevent

import greenlet_lens


def ticker(n):
    while True:
        gevent.sleep(0.01 * n)


jobs = [gevent.spawn(ticker, i) for i in range(1, 4)]
gevent.sleep(0.05)
greenlet_lens.mark("before-kill")
print("marked", flush=True)
gevent.joinall(jobs)
