import gevent
from gevent import Greenlet

from _scale import s


def foo(message, n):
    gevent.sleep(s(n))
    print(message)


c1 = Greenlet.spawn(foo, "Hello", 1)
c2 = gevent.spawn(foo, "Hello2", 2)
c3 = gevent.spawn(lambda x: (x + 1), 5)

coroutines = [c1, c2, c3]

gevent.joinall(coroutines)
print(c3.value)
