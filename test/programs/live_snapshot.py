"""Test support: the live state of a recorded gevent program, read from gevent
itself (gc and the objects' own fields), keyed by the recorder's logical ids.

snapshot(label) writes one JSON line to $GREENLET_LENS_SNAPSHOTS and puts a
mark with the same label into the trace, so a test can compare this with the
trace model's state at that mark. Runs inside the program: test code only.
"""
import gc
import json
import os

import greenlet
import gevent
from gevent.event import Event, AsyncResult
from gevent.queue import Queue

import greenlet_lens
from greenlet_lens import reprs


def _rec():
    return greenlet_lens._recorder


def _gid(g):
    return _rec().greenlets.get(g)


def _waiter_greenlets(obj):
    """Greenlets parked on obj: Waiters in its deques, bound switch methods in its link list.
    The running greenlet is not waiting, even while its Waiter is still listed
    (a Timeout thrown into it removes the Waiter only once it runs)."""
    current = greenlet.getcurrent()
    getters, putters, links = [], [], []
    deques = [r for r in gc.get_referents(obj) if type(r).__name__ == "deque" and r is not getattr(obj, "queue", None)]
    for i, dq in enumerate(deques):
        for w in dq:
            g = getattr(w, "greenlet", None)
            if g is not None and g is not current:
                (putters if type(w).__name__ == "ItemWaiter" else getters).append(_gid(g))
    for r in gc.get_referents(obj):
        if type(r) is list:
            for link in r:
                g = getattr(link, "__self__", None)
                if isinstance(g, greenlet.greenlet) and g is not current:
                    links.append(_gid(g))
    return getters, putters, links


def state():
    rec = _rec()
    out = {"greenlets": {}, "queues": {}, "events": {}}
    current = greenlet.getcurrent()
    for o in gc.get_objects():
        if isinstance(o, gevent.Greenlet):
            n = _gid(o)
            if n is None:
                continue
            # The running greenlet is alive; asked from inside a switch callback,
            # greenlet reports one that is just starting as dead for that instant.
            ready = False if o is current else bool(o.ready())
            out["greenlets"][str(n)] = {
                "running": o is current,
                "dead": ready,
                "started": bool(o.started) or ready,
                "ready": ready,
                "successful": bool(o.successful()),
                "value": None if o.value is None else reprs.safe_repr(o.value),
                "exception": None if o.exception is None else reprs.safe_repr(o.exception),
            }
        elif isinstance(o, Queue):
            n = rec.objects.get(o)
            if not n:  # not seen yet, or gevent's own (0)
                continue
            getters, putters, _ = _waiter_greenlets(o)
            out["queues"][str(n)] = {
                "items": [reprs.safe_repr(i) for i in o.queue],
                "getters": getters,
                "putters": putters,
            }
        elif isinstance(o, (Event, AsyncResult)):
            n = rec.objects.get(o)
            if not n:
                continue
            _, _, links = _waiter_greenlets(o)
            is_set = o.is_set() if isinstance(o, Event) else o.ready()
            # A waiter on a set event has been made runnable; it only still sits
            # in the link list until the hub runs the notification.
            out["events"][str(n)] = {"set": bool(is_set), "waiters": [] if is_set else links}
    return out


def snapshot(label):
    s = state()
    s["label"] = label
    with open(os.environ["GREENLET_LENS_SNAPSHOTS"], "a") as f:
        f.write(json.dumps(s, sort_keys=True) + "\n")
    greenlet_lens.mark(label)
