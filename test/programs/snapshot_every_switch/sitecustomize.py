"""Test support, loaded at interpreter start through PYTHONPATH: after every
greenlet switch the recorder writes, take a live snapshot (read from gevent's
own objects) and put a mark with the same label into the trace, so a test can
compare the model with the truth at every switch of an unmodified program."""
import os
import sys

import greenlet

_out = os.environ["GREENLET_LENS_SNAPSHOTS"]
_count = [0]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def _after_switch(event, args):
    import greenlet_lens
    if greenlet_lens._recorder is None or "gevent" not in sys.modules:
        return
    from live_snapshot import snapshot
    _count[0] += 1
    snapshot("switch-%d" % _count[0])


# Installed before the recorder, which chains to it: it runs after each
# switch has been recorded.
greenlet.settrace(_after_switch)
