"""A gevent Channel: a taker waiting for items, a late putter, and an offer
nobody takes (put_nowait raises Full)."""
import gevent
from gevent.queue import Channel, Full

ch = Channel()
got = []


def taker():
    for _ in range(3):
        got.append(ch.get())  # TAKE


def late_putter():
    ch.put("b")
    ch.put("c")


t = gevent.spawn(taker)
gevent.sleep(0)  # the taker waits on the empty channel first
ch.put("a")
gevent.joinall([t, gevent.spawn(late_putter)])
try:
    ch.put_nowait("nobody takes this")
except Full:
    got.append("full")
print(got)
