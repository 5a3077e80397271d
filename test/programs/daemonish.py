"""What a daemonizing program does: closes every descriptor past stderr,
then opens its own file, which may get the number the runtime had. Its
file must hold only its own bytes, and its close() must work."""
import os
import sys

import gevent

out = sys.argv[1]
# Before gevent's hub exists (closing its epoll descriptor would break gevent itself).
os.closerange(3, 65536)
with open(out, "w") as f:
    for i in range(200):
        gevent.sleep(0)
        f.write("line %d\n" % i)
gevent.joinall([gevent.spawn(gevent.sleep, 0.01) for _ in range(5)])
print("wrote", out, flush=True)
