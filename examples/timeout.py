import gevent
from gevent import Timeout

from _scale import s

seconds = s(10)

timeout = Timeout(seconds)
timeout.start()


def wait():
    gevent.sleep(s(10) * 2)


try:
    gevent.spawn(wait).join()
except Timeout:
    print('Could not complete')
