"""A live sink that reads late (a debug adapter on a busy machine) does not
hold the program's thread: with each encoder, records go on into the buffer
while the sink is stuck, up to LIVE_BACKLOG; past it the program's thread
waits for the sink; and the sink gets every byte, in order, as the file does."""
import os
import shutil
import sys
import tempfile
import threading
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens import accel, writer as W  # noqa: E402
from greenlet_lens._schema import T_MARK  # noqa: E402

from test_writer_fork import header  # noqa: E402


class StuckSink(object):
    """A live sink whose sends from the flush thread wait until released (5 s
    at most); one from the test's own thread, the program's, is noted and
    taken at once (a writer that sends on the program's thread would make it wait)."""

    def __init__(self):
        self.data = bytearray()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.sent_by_program = 0

    def __call__(self, data):
        if threading.current_thread() is threading.main_thread() and not self.gate.is_set():
            self.sent_by_program += 1
        else:
            self.entered.set()
            self.gate.wait(5)
        self.data += data


class WriterLiveTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def writer(self, pure, sink):
        path = os.path.join(self.dir, "pure.glt" if pure else "compiled.glt")
        with mock.patch.object(accel, "core", (lambda: None) if pure else accel.core):
            w = W.TraceWriter(path, header(1, 1000), flush_interval=0.01, live=None)
        # The header goes to a late sink the way attach_live sends it: read back from the file.
        w.attach_live(lambda data: sink.data.extend(data))
        w.live = sink
        return w

    def marks_until(self, w, size, sink):
        """Records (marks, a few bytes each) until the buffer holds `size`
        bytes, or the program's thread sent them itself."""
        label = w.string("x" * 100)
        n = 0
        while len(w.buf) < size and not sink.sent_by_program:
            before = len(w.buf)
            w.event(T_MARK, 1001 + n, label)
            self.record_size = len(w.buf) - before
            n += 1
        return n

    def check(self, pure):
        sink = StuckSink()
        w = self.writer(pure, sink)
        try:
            w.event(T_MARK, 1001, w.string("first"))
            self.assertTrue(sink.entered.wait(10), "the flush thread sends within its interval")
            # The flush thread is stuck in the sink now: the program's thread goes on well past a flush size.
            self.marks_until(w, 8 * W.FLUSH_SIZE, sink)
            self.assertEqual(sink.sent_by_program, 0, "the program's thread did not send")
            self.assertGreaterEqual(len(w.buf), 8 * W.FLUSH_SIZE, "the records wait in the buffer")
            # Past LIVE_BACKLOG the program's thread sends itself, so it waits for the sink.
            with mock.patch.object(W, "LIVE_BACKLOG", 16 * W.FLUSH_SIZE):
                done = threading.Event()

                # As many records again as take the buffer past the backlog.
                count = (17 * W.FLUSH_SIZE - len(w.buf)) // self.record_size + 1

                def more():
                    label = w.string("x" * 100)
                    for i in range(count):
                        w.event(T_MARK, 2000 + i, label)
                    done.set()
                t = threading.Thread(target=more)
                t.start()
                self.assertFalse(done.wait(0.5), "past the backlog the program's thread waits for the sink")
                sink.gate.set()
                t.join(30)
                self.assertTrue(done.is_set())
            w.close()
            with open(w.path, "rb") as f:
                self.assertEqual(bytes(sink.data), f.read(), "the sink got every byte the file got, in order")
        finally:
            sink.gate.set()
            w.close()

    def test_pure_encoder(self):
        self.check(pure=True)

    def test_compiled_encoder(self):
        if accel.core() is None:
            self.skipTest("no compiled core here: %s" % accel.why_not())
        self.check(pure=False)


if __name__ == "__main__":
    unittest.main()
