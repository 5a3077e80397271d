import gevent
from gevent import Timeout

from _scale import s

time_to_wait = s(5)  # seconds


class TooLong(Exception):
    pass


with Timeout(time_to_wait, TooLong):
    gevent.sleep(s(10))
