"""A small Flask app for gunicorn's gevent worker (`gunicorn -k gevent -w 2
flask_app:app`): each response names the worker that served it."""
import os

import gevent
from flask import Flask

app = Flask(__name__)


@app.route("/hello")
def hello():
    gevent.sleep(0.005)  # HELLO
    return "served by %d\n" % os.getpid()
