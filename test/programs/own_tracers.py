"""A program with its own sys.settrace and greenlet.settrace functions (as
coverage or a profiler would have): both must keep seeing their events
under the debugger and the recorder. Prints what they saw."""
import sys

import gevent
import greenlet

lines = []
switches = []


def local(frame, event, arg):
    if event == "line" and frame.f_code.co_name == "step":
        lines.append(frame.f_lineno)
    return local


def glob(frame, event, arg):
    return local if frame.f_code.co_name == "step" else None


def on_switch(event, args):
    switches.append(event)


sys.settrace(glob)
previous = greenlet.settrace(on_switch)


def step(i):
    x = i * 2  # BREAK
    return x


def worker():
    for i in range(3):
        step(i)
        gevent.sleep(0)


gevent.spawn(worker).join()
gevent.spawn(worker).join()
print("program tracer lines %d, switches seen %d, gettrace is mine %s"
      % (len(lines), len(switches), greenlet.gettrace() is on_switch), flush=True)
