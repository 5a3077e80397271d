"""A Flask app served by gunicorn's gevent worker, two worker processes:

    gunicorn -k gevent -w 2 -b 127.0.0.1:8000 --chdir examples/gunicorn app:app

Each request fans out to three greenlets that "look up" a price and
collects them through a Queue; /slow has one that never yields for 300 ms
(a blocked loop). Under Greenlet Lens every worker is followed: recorded
into run.glt.d/<pid>.glt, or debugged as its own session under the parent.
"""
import os
import time

import gevent
from flask import Flask
from gevent.queue import Queue

app = Flask(__name__)


def price(item, results):
    gevent.sleep(0.01 * len(item))  # a backend call
    results.put((item, len(item) * 3))


@app.route("/")
def quote():
    results = Queue()
    items = ["apple", "kiwi", "melon"]
    workers = [gevent.spawn(price, item, results) for item in items]
    gevent.joinall(workers)
    total = sum(results.get()[1] for _ in items)  # set a breakpoint here
    return "total %d, served by worker %d\n" % (total, os.getpid())


@app.route("/slow")
def slow():
    time.sleep(0.3)  # not gevent.sleep: the whole worker stalls
    return "slow, served by worker %d\n" % os.getpid()
