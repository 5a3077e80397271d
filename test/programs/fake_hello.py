"""Stands in for the runtime of a launched program on the adapter's socket
pair (descriptor GREENLET_LENS_CHANNEL_FD): greets, then answers the
adapter's hello with a proof made without the secret (GL_FAKE=noproof) or
with the right proof but another pid (GL_FAKE=otherpid), and waits to be
refused. The adapter must not take it for its program."""
import hashlib
import hmac
import json
import os
import socket
import struct
import time

sock = socket.socket(fileno=int(os.environ["GREENLET_LENS_CHANNEL_FD"]))
secret = os.environ.get("GREENLET_LENS_SECRET", "")


def send(obj):
    payload = json.dumps(obj).encode()
    sock.sendall(b"J" + struct.pack(">I", len(payload)) + payload)


def recv():
    head = b""
    while len(head) < 5:
        head += sock.recv(5 - len(head))
    n = struct.unpack(">I", head[1:])[0]
    body = b""
    while len(body) < n:
        body += sock.recv(n - len(body))
    return json.loads(body)


def proof(key, role, first, second):
    return hmac.new(key.encode(), ("greenlet-lens %s %s %s" % (role, first, second)).encode(), hashlib.sha256).hexdigest()


nonce = "ab" * 16
send({"type": "hello", "protocol": 2, "nonce": nonce})
hello = recv()
theirs = hello["nonce"]
body = {"python": "3", "gevent": "x", "greenlet": "x", "argv": []}
if os.environ.get("GL_FAKE") == "otherpid":
    body.update(pid=os.getpid() + 1, proof=proof(secret, "runtime", theirs, nonce))
else:
    body.update(pid=os.getpid(), proof=proof("guessed", "runtime", theirs, nonce))
send({"type": "response", "request_seq": hello["seq"], "success": True, "body": body})
time.sleep(30)
