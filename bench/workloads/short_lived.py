"""N short-lived greenlets, 1000 at a time; prints this process's RSS (kB)
after each tenth to stderr as `rss DONE KB`, for the recorder's memory."""
import sys

import gevent

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def job(i):
    gevent.sleep(0)
    return i


done = 0
step = max(1000, n // 10)
while done < n:
    gevent.joinall([gevent.spawn(job, i) for i in range(1000)])
    done += 1000
    if done % step == 0:
        sys.stderr.write("rss %d %d\n" % (done, rss_kb()))
