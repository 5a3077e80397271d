"""What a daemonizing program does: closes every descriptor past stderr,
then opens its own files, which may get the numbers the runtime had. It
opens enough of them (a server with many connections does) to take every
number up past 1000, where the runtime keeps its descriptors, and writes
while they are all open, closing them only at exit. Each file must hold
only its own bytes, and every close() must work."""
import atexit
import os
import resource
import sys
import time

import gevent

out = sys.argv[1]
folder = out + ".d"
os.makedirs(folder, exist_ok=True)
# The recorder flushes what it has (and, under debug, the runtime answers the
# adapter): its next write comes once the files below are open.
time.sleep(0.5)
# Before gevent's hub exists (closing its epoll descriptor would break gevent itself).
os.closerange(3, 65536)
limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
top = min(1010, limit - 24) if limit != resource.RLIM_INFINITY else 1010
files = []
with open(out, "w") as f:
    while True:
        g = open(os.path.join(folder, "f%d" % len(files)), "w")
        files.append(g)
        if g.fileno() >= top:
            break
    for i in range(200):
        gevent.sleep(0)
        f.write("line %d\n" % i)
        for k, g in enumerate(files):
            if i % 50 == 0:
                g.write("file %d line %d\n" % (k, i))
        if i % 50 == 0:
            gevent.sleep(0.06)  # the recorder flushes meanwhile, into whatever it holds


def close_all():
    # At exit, after the runtime has finished, as a server's connections close.
    for k, g in enumerate(files):
        try:
            g.close()
        except OSError as e:
            print("close of file %d failed: %s" % (k, e), flush=True)


atexit.register(close_all)
gevent.joinall([gevent.spawn(gevent.sleep, 0.01) for _ in range(5)])
print("wrote", out, "and", len(files), "files in", folder, flush=True)
