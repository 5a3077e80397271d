import gevent
from gevent import Greenlet

from _scale import s


class MyGreenlet(Greenlet):

    def __init__(self, message, n):
        Greenlet.__init__(self)
        self.message = message
        self.n = n

    def _run(self):
        print(self.message)
        gevent.sleep(s(self.n))


g = MyGreenlet("Hi there!", 3)
g.start()
g.join()
