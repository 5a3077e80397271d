"""main waits for a result that fetch forgot to set on its failing path, while
a heartbeat keeps the program busy: only the live runtime can prove that
nothing still running can ever set it. With the argument "ok" fetch sets it
later (the clean twin: fetch still holds the result while the heartbeat beats)."""
import sys

import gevent
from gevent.event import AsyncResult


def fetch(result, ok):
    gevent.sleep(0.2 if ok else 0.01)
    if ok:
        result.set("done")
    # The failing path forgets the result.


def heartbeat():
    for n in range(12):
        gevent.sleep(0.01)
        if n == 5:
            print("beat", n)  # BREAK


def main():
    forgotten = AsyncResult()
    gevent.spawn(fetch, forgotten, sys.argv[1:] == ["ok"])
    gevent.spawn(heartbeat)
    print(forgotten.get(timeout=None))  # NEVER-WOKEN-LIVE


main()
