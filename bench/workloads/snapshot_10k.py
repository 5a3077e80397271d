"""N greenlets blocked on one Event; prints "ready" once all are spawned and
blocked, keeps them blocked for HOLD seconds, then releases them. With TICK
(seconds), one more greenlet sleeps TICK at a time meanwhile: the program
keeps running, so each look at its state finds new events."""
import sys

import gevent
from gevent.event import Event

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
HOLD = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
TICK = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
go = Event()


def waiter(i):
    go.wait()
    return i


def ticker():
    while not go.is_set():
        gevent.sleep(TICK)


greenlets = [gevent.spawn(waiter, i) for i in range(N)]
if TICK > 0:
    gevent.spawn(ticker)
gevent.sleep(0.2)  # every waiter runs once and blocks on the event
print('ready', flush=True)
gevent.sleep(HOLD)
go.set()
gevent.joinall(greenlets)
print(sum(g.value for g in greenlets))
