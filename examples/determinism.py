"""Deterministic gevent Pool: the same unordered results run after run."""
import gevent
from gevent.pool import Pool


def echo(i):
    gevent.sleep(0)
    return i


p = Pool(10)
run1 = [a for a in p.imap_unordered(echo, range(10))]
run2 = [a for a in p.imap_unordered(echo, range(10))]
run3 = [a for a in p.imap_unordered(echo, range(10))]
run4 = [a for a in p.imap_unordered(echo, range(10))]

print(run1 == run2 == run3 == run4)
