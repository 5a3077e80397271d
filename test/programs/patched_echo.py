"""monkey.patch_all() first, then a StreamServer echo server and clients on loopback."""
from gevent import monkey

monkey.patch_all()

import socket  # noqa: E402  (patched)

import gevent  # noqa: E402
from gevent.server import StreamServer  # noqa: E402


def echo(sock, _address):
    data = sock.recv(1024)
    while data:
        sock.sendall(data.upper())
        data = sock.recv(1024)
    sock.close()


server = StreamServer(("127.0.0.1", 0), echo)
server.start()
port = server.server_port


def client(i):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"hello %d" % i)
    reply = s.recv(1024)
    s.close()
    return reply.decode()


jobs = [gevent.spawn(client, i) for i in range(5)]
gevent.joinall(jobs)
print(sorted(j.value for j in jobs))
server.stop()
