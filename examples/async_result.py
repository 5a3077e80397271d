import gevent
from gevent.event import AsyncResult

from _scale import s

a = AsyncResult()


def setter():
    a.set('leoo is cool')
    gevent.sleep(s(0.5))
    a.set('minwook is cool')


def waiter():
    print(a.get())
    gevent.sleep(s(1))
    print(a.get())


gevent.joinall([
    gevent.spawn(setter),
    gevent.spawn(waiter),
])
