"""Two greenlets compute in 150 ms slices between yields: each yields, but
together they hold the loop so long that the heartbeat wakes ~300 ms late
(the test's threshold is 250 ms: a busy test machine or gevent's pure-Python
build makes 100 ms of lateness out of nothing). With a short slice (the
first argument, in seconds) it is the clean twin."""
import time

import gevent


def busy(slice_s):
    for _ in range(4):
        end = time.perf_counter() + slice_s
        while time.perf_counter() < end:
            pass
        gevent.sleep(0)


def heartbeat(late):
    for _ in range(8):
        due = time.perf_counter() + 0.02
        gevent.sleep(0.02)  # SLOW-WAKEUP
        late.append(time.perf_counter() - due)


if __name__ == "__main__":
    import sys
    slice_s = float(sys.argv[1]) if len(sys.argv) > 1 else 0.15
    late = []
    gevent.joinall([gevent.spawn(heartbeat, late)] + [gevent.spawn(busy, slice_s) for _ in range(2)])
    print("worst lateness %.0f ms" % (max(late) * 1000))
