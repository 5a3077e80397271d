import time

import gevent
from gevent import select

from _scale import s

start = time.time()


def tic():
    return 'at %1.1f seconds' % (time.time() - start)


def gr1():
    print('Started Polling: %s' % tic())
    select.select([], [], [], s(2))
    print('Ended Polling: %s' % tic())


def gr2():
    print('Started Polling: %s' % tic())
    select.select([], [], [], s(2))
    print('Ended Polling: %s' % tic())


def gr3():
    print("Hey lets do some stuff while the greenlets poll, %s" % tic())
    gevent.sleep(s(1))
    print('gr3 fin')


gevent.joinall([
    gevent.spawn(gr1),
    gevent.spawn(gr2),
    gevent.spawn(gr3),
])
