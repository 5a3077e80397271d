"""Stands in for the runtime of a launched program: connects to the adapter
and says hello with a wrong or missing pid (GL_HELLO_PID=none|other), then
waits to be refused. The adapter must not accept it as its program."""
import json
import os
import socket
import struct
import time

host, port = os.environ["GREENLET_LENS_CONNECT"].rsplit(":", 1)
hello = {"type": "hello", "protocol": 1, "python": "3", "gevent": "x", "greenlet": "x", "argv": []}
if os.environ.get("GL_HELLO_PID") == "other":
    hello["pid"] = os.getpid() + 1
payload = json.dumps(hello).encode()
sock = socket.create_connection((host, int(port)))
sock.sendall(b"J" + struct.pack(">I", len(payload)) + payload)
time.sleep(30)
