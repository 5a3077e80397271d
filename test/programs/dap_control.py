"""Execution control under the debugger; argv[1] picks the scenario.

spin:     a greenlet spins in pure Python without yielding (for pause)
loop:     a worker calls a helper in a loop (conditional breakpoints, stepIn/stepOut)
uncaught: main raises after its greenlets finished
"""
import sys
import time

import gevent

MODE = sys.argv[1] if len(sys.argv) > 1 else "loop"


def spinner():
    end = time.time() + 20
    n = 0
    while time.time() < end:  # SPIN: never yields to the hub
        n += 1
    return n


def helper(i):
    doubled = i * 2  # HELPER
    return doubled


def looper():
    total = 0
    for i in range(6):
        total += helper(i)  # CALL
        gevent.sleep(0)
    print("total", total)
    return total


if MODE == "spin":
    gevent.spawn(spinner).join()
elif MODE == "loop":
    gevent.spawn(looper).join()
elif MODE == "uncaught":
    gevent.spawn(looper).join()
    raise RuntimeError("main gives up")  # RAISE
