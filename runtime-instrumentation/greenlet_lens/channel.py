"""The connection to the debug adapter (docs/debug-protocol.md).

Framed messages: 'J' + JSON control messages, 'T' + trace bytes, over an
inherited socket (launch: the adapter's end of a socket pair) or a loopback
TCP connection (attach). Sockets and threads are the originals, so the
channel works the same after the program's gevent.monkey.patch_all().

Nothing about the program is sent before the peer has proved it knows the
secret (`handshake`); before that a frame may hold at most PREAUTH_MAX bytes
and a silent peer is dropped after HANDSHAKE_TIMEOUT.
"""
import hashlib
import hmac
import json
import os
import struct

from . import compat, fds

KIND_JSON = b"J"
KIND_TRACE = b"T"
PROTOCOL = 2
PREAUTH_MAX = 4096
MAX_FRAME = 16 * 1024 * 1024
HANDSHAKE_TIMEOUT = 10.0


def _socket_module():
    import socket
    return socket


def _original_socket_class():
    return compat.original("socket", "socket", _socket_module().socket)


def from_inherited_fd(fd):
    """The adapter's socket pair end, passed as descriptor fd (launch)."""
    high = fds.move_high(fd)
    return Channel(_original_socket_class()(fileno=high))


def listen(port):
    """A listening socket on 127.0.0.1:port (port 0 picks one), out of the program's way."""
    socket = _socket_module()
    srv = _original_socket_class()(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)
    high = fds.move_high(srv.detach())
    return _original_socket_class()(fileno=high)


def connect_back(port):
    """A forked child's own connection to the adapter that follows children
    (127.0.0.1:port), out of the program's way."""
    socket = _socket_module()
    sock = _original_socket_class()(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.settimeout(HANDSHAKE_TIMEOUT)
        sock.connect(("127.0.0.1", port))
        sock.settimeout(None)
    except BaseException:
        sock.close()
        raise
    return adopt(sock)


def adopt(conn):
    """An accepted connection, moved out of the program's way."""
    return Channel(_original_socket_class()(fileno=fds.move_high(conn.detach())))


class ChannelClosed(Exception):
    """The connection is gone. by_program: the program closed our descriptor
    (os.closerange), as opposed to the adapter going away."""

    def __init__(self, by_program=False):
        Exception.__init__(self, "closed by the program" if by_program else "closed by the peer")
        self.by_program = by_program


class BadMessage(object):
    """A whole frame whose JSON could not be read; the stream itself is intact."""

    def __init__(self, why):
        self.why = why


class Channel(object):
    def __init__(self, sock):
        self.sock = sock
        self._fd = sock.fileno()
        self._ident = fds.identity(self._fd)
        self._send_lock = compat.original_lock()
        self.closed = False
        self.max_frame = PREAUTH_MAX
        try:
            sock.setsockopt(_socket_module().IPPROTO_TCP, _socket_module().TCP_NODELAY, 1)
        except Exception:
            pass

    def _check(self):
        if self.closed:
            raise ChannelClosed()
        if not fds.still_ours(self._fd, self._ident):
            self._let_go()
            raise ChannelClosed(by_program=True)

    def _let_go(self):
        # The number may name the program's file now: forget it without closing it.
        self.closed = True
        try:
            self.sock.detach()
        except Exception:
            pass

    def _send(self, kind, payload):
        with self._send_lock:
            self._check()
            self.sock.sendall(kind + struct.pack(">I", len(payload)) + payload)

    def send_json(self, obj):
        self._send(KIND_JSON, json.dumps(obj, separators=(",", ":")).encode("utf-8"))

    def send_trace(self, data):
        self._send(KIND_TRACE, bytes(data))

    def _recv_exact(self, n):
        chunks = []
        while n:
            self._check()
            try:
                data = self.sock.recv(min(n, 1 << 16))
            except OSError:
                if not fds.still_ours(self._fd, self._ident):
                    self._let_go()
                    raise ChannelClosed(by_program=True)
                raise
            if not data:
                raise ChannelClosed()
            chunks.append(data)
            n -= len(data)
        return b"".join(chunks)

    def recv_json(self):
        """The next JSON message (the adapter sends no trace bytes), or a
        BadMessage for a whole frame that is not a JSON object. A broken
        stream (unknown kind, a frame over max_frame) raises ValueError."""
        head = self._recv_exact(5)
        kind, length = head[:1], struct.unpack(">I", head[1:])[0]
        if kind != KIND_JSON:
            raise ValueError("unexpected message kind %r from the adapter" % kind)
        if length > self.max_frame:
            raise ValueError("a message of %d bytes (at most %d here)" % (length, self.max_frame))
        payload = self._recv_exact(length)
        try:
            msg = json.loads(payload.decode("utf-8"))
        except RecursionError:
            return BadMessage("too deeply nested")
        except (ValueError, UnicodeDecodeError) as e:
            return BadMessage(str(e))
        if not isinstance(msg, dict):
            return BadMessage("not a JSON object")
        return msg

    def set_timeout(self, seconds):
        try:
            self.sock.settimeout(seconds)
        except Exception:
            pass

    def close(self):
        if self.closed:
            return
        if not fds.still_ours(self._fd, self._ident):
            self._let_go()
            return
        self.closed = True
        try:
            self.sock.close()
        except Exception:
            pass


def _proof(secret, role, first, second):
    msg = ("greenlet-lens %s %s %s" % (role, first, second)).encode("ascii", "replace")
    return hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).hexdigest()


def handshake(ch, secret, identity, may_attach=lambda: None, child=None, timeout=HANDSHAKE_TIMEOUT):
    """The runtime's side of the mutual proof (docs/debug-protocol.md).

    Sends a nonce, checks the adapter's HMAC of both nonces, answers with its
    own and, only then, the identity (pid, argv...). may_attach() returns a
    reason to refuse (another session is attached) or None. Returns True
    when the adapter is in; anything else closes the connection."""
    ch.set_timeout(timeout)
    try:
        nonce = os.urandom(16).hex()
        hello = {"type": "hello", "protocol": PROTOCOL, "nonce": nonce}
        if child is not None:
            # A forked child says which process it is before the proof: the
            # adapter names its session from it (a pid is no secret).
            hello["child"] = child
        ch.send_json(hello)
        msg = ch.recv_json()
        if isinstance(msg, BadMessage) or msg.get("type") != "hello":
            return False
        args = msg.get("arguments") if isinstance(msg.get("arguments"), dict) else msg
        seq = msg.get("seq")
        theirs, proof = args.get("nonce"), args.get("proof")

        def refuse(why):
            ch.send_json({"type": "response", "request_seq": seq, "success": False, "message": why})
            return False

        if args.get("protocol") != PROTOCOL:
            return refuse("this runtime speaks protocol version %d" % PROTOCOL)
        if not isinstance(theirs, str) or not isinstance(proof, str) or not 16 <= len(theirs) <= 128:
            return refuse("a hello needs a nonce and a proof")
        expected = _proof(secret, "adapter", nonce, theirs)
        if not hmac.compare_digest(proof.encode("ascii", "replace"), expected.encode("ascii")):
            return refuse("wrong secret")
        busy = may_attach()
        if busy:
            return refuse(busy)
        body = dict(identity)
        body["proof"] = _proof(secret, "runtime", theirs, nonce)
        ch.send_json({"type": "response", "request_seq": seq, "success": True, "body": body})
        ch.max_frame = MAX_FRAME
        return True
    except (ChannelClosed, OSError, ValueError):
        return False
    finally:
        if not ch.closed:
            ch.set_timeout(None)
