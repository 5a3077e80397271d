"""Clean twin of blocked_loop.py: gevent.sleep lets the heartbeat run."""
import gevent


def heartbeat():
    for _ in range(5):
        gevent.sleep(0.02)


def cruncher():
    gevent.sleep(0.03)
    gevent.sleep(0.3)


gevent.joinall([gevent.spawn(heartbeat), gevent.spawn(cruncher)])
