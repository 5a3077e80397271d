"""The connection to the debug adapter (docs/debug-protocol.md).

Loopback TCP with framed messages: 'J' + JSON control messages, 'T' + trace
bytes. Sockets and threads are the originals, so the channel works the same
after the program's gevent.monkey.patch_all().
"""
import json
import struct

from . import compat

KIND_JSON = b"J"
KIND_TRACE = b"T"


def _socket_module():
    import socket
    return socket


def _original_socket_class():
    return compat.original("socket", "socket", _socket_module().socket)


def connect(host, port):
    sock = _original_socket_class()(_socket_module().AF_INET, _socket_module().SOCK_STREAM)
    sock.connect((host, port))
    return Channel(sock)


def listen(port):
    """A listening socket on 127.0.0.1:port (port 0 picks one)."""
    socket = _socket_module()
    srv = _original_socket_class()(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    return srv


class ChannelClosed(Exception):
    pass


class Channel(object):
    def __init__(self, sock):
        self.sock = sock
        self._send_lock = compat.original_lock()
        self.closed = False
        try:
            sock.setsockopt(_socket_module().IPPROTO_TCP, _socket_module().TCP_NODELAY, 1)
        except Exception:
            pass

    def _send(self, kind, payload):
        if self.closed:
            raise ChannelClosed()
        with self._send_lock:
            self.sock.sendall(kind + struct.pack(">I", len(payload)) + payload)

    def send_json(self, obj):
        self._send(KIND_JSON, json.dumps(obj, separators=(",", ":")).encode("utf-8"))

    def send_trace(self, data):
        self._send(KIND_TRACE, bytes(data))

    def _recv_exact(self, n):
        chunks = []
        while n:
            data = self.sock.recv(min(n, 1 << 16))
            if not data:
                raise ChannelClosed()
            chunks.append(data)
            n -= len(data)
        return b"".join(chunks)

    def recv_json(self):
        """The next JSON message (the adapter sends no trace bytes)."""
        head = self._recv_exact(5)
        kind, length = head[:1], struct.unpack(">I", head[1:])[0]
        payload = self._recv_exact(length)
        if kind != KIND_JSON:
            raise ValueError("unexpected message kind %r from the adapter" % kind)
        return json.loads(payload.decode("utf-8"))

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except Exception:
            pass
