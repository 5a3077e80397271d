"""A greenlet that never wakes: a result that is set on one path only.

fetch() sets the AsyncResult when it succeeds, but its error path returns
without setting it, so the caller's get() waits forever. Under Greenlet Lens
the session stops with "Deadlock", naming who waits on what.
"""
import gevent
from gevent.event import AsyncResult


def fetch(result, url):
    gevent.sleep(0.05)
    if url.startswith("https://"):
        result.set("200 OK from " + url)
    # An http:// url falls through: nobody ever sets the result.


def main():
    results = []
    for url in ("https://example.org/a", "http://example.org/b"):
        result = AsyncResult()
        gevent.spawn(fetch, result, url)
        results.append(result)
    for result in results:
        print(result.get())


main()
