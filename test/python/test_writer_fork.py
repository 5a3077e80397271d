"""A forked child's trace (writer.TraceWriter.fork_into), with each encoder:
a new file that starts with the child's header and a fresh interning table,
while the parent's file gets nothing from the child."""
import json
import os
import shutil
import struct
import sys
import tempfile
import unittest
from unittest import mock
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens import accel, writer as W  # noqa: E402
from greenlet_lens._schema import T_MARK, T_STR  # noqa: E402


def header(pid, t0):
    return {"format": "greenlet-lens-trace", "version": list(W.VERSION), "pid": pid, "t0": t0}


def read_trace(path):
    """(header, [chunk payloads]) of a trace file, checking every CRC."""
    with open(path, "rb") as f:
        data = f.read()
    i = len(W.MAGIC)
    assert data[:i] == W.MAGIC, "no magic in %s" % path
    _, _, n = struct.unpack_from("<HHI", data, i)
    i += 8
    head = json.loads(data[i:i + n])
    i += n + 4
    payloads = []
    while i < len(data):
        marker, size, crc = struct.unpack_from("<BII", data, i)
        assert marker == W.CHUNK_MARKER
        payload = data[i + 9:i + 9 + size]
        assert zlib.crc32(payload) & 0xFFFFFFFF == crc
        payloads.append(payload)
        i += 9 + size
    return head, payloads


class WriterForkTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def fork_with(self, pure):
        with mock.patch.object(accel, "core", (lambda: None) if pure else accel.core):
            w = W.TraceWriter(os.path.join(self.dir, "run.glt"), header(1, 1000), flush_interval=60)
        self.assertEqual(type(w.enc).__name__, "PyEncoder" if pure else "CEncoder")
        w.event(T_MARK, 1001, w.string("before the fork"))
        w.flush()
        parent_size = os.path.getsize(w.path)
        child_path = os.path.join(self.dir, "child.glt")
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                enc = w.enc
                w.fork_into(child_path, header(os.getpid(), 5000))
                ok = w.enc is enc and w.events == 0 and w.string("before the fork") == 1
                w.event(T_MARK, 5001, 1)
                w.close()
                code = 0 if ok else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, "the child's writer did not start afresh")
        self.assertEqual(os.path.getsize(w.path), parent_size, "the child wrote into the parent's file")
        w.event(T_MARK, 1002, w.string("after the fork"))
        w.close()

        head, payloads = read_trace(child_path)
        self.assertEqual(head["pid"], pid)
        body = b"".join(payloads)
        # The string the parent had interned is defined again, as id 1, then used.
        text = b"before the fork"
        self.assertEqual(body[:2 + len(text)], bytes((T_STR, len(text))) + text)
        self.assertEqual(body[2 + len(text):], bytes((T_MARK, 1, 1)))
        head, payloads = read_trace(w.path)
        self.assertEqual(head["pid"], 1)
        self.assertIn(b"after the fork", b"".join(payloads))

    def test_pure_encoder(self):
        self.fork_with(pure=True)

    def test_compiled_encoder(self):
        if accel.core() is None:
            self.skipTest("no compiled core here: %s" % accel.why_not())
        self.fork_with(pure=False)


if __name__ == "__main__":
    unittest.main()
