"""A StreamServer echo server on loopback and C clients sending M lines each."""
import sys

from gevent import monkey

monkey.patch_all()

import socket  # noqa: E402

import gevent  # noqa: E402
from gevent.server import StreamServer  # noqa: E402

C = int(sys.argv[1]) if len(sys.argv) > 1 else 50
M = int(sys.argv[2]) if len(sys.argv) > 2 else 200


def echo(sock, _addr):
    f = sock.makefile("rwb")
    for line in f:
        f.write(line)
        f.flush()
    sock.close()


server = StreamServer(("127.0.0.1", 0), echo)
server.start()


def client(i):
    s = socket.create_connection(("127.0.0.1", server.server_port))
    f = s.makefile("rwb")
    n = 0
    for j in range(M):
        f.write(b"%d %d\n" % (i, j))
        f.flush()
        n += len(f.readline())
    s.close()
    return n


jobs = [gevent.spawn(client, i) for i in range(C)]
gevent.joinall(jobs)
print(sum(j.value for j in jobs))
server.stop()
