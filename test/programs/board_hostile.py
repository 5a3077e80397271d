"""Program data that looks like HTML: a greenlet named like an <img> with an
onerror handler and a queue item holding a <script>. The board must show
both as text and run neither."""
import gevent
from gevent.queue import Queue

NAME = '<img src=x onerror=alert(1)>'
ITEM = '<script>window.__pwned = true; alert("queue item")</script>'

q = Queue()


def worker():
    q.put(ITEM)
    gevent.sleep(0)
    return '<b onmouseover=alert(2)>value</b>'


g = gevent.spawn(worker)
g.name = NAME
g.join()
print(g.name, q.qsize())
