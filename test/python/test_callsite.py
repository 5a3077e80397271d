"""callsite.py: what a suspended frame is calling, read from its bytecode,
and the receiver found by reading dicts only."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens import callsite  # noqa: E402


class Box(object):
    def __init__(self):
        self.q = Recv()


class Recv(object):
    """Each method answers what the caller's frame is calling, as seen while the call runs."""

    def get(self, timeout=None):
        f = sys._getframe(1)
        return f, callsite.call_at(f)

    def put(self, item):
        return callsite.call_at(sys._getframe(1))


class CallsiteTest(unittest.TestCase):
    def test_a_method_call_on_an_attribute_chain(self):
        box = Box()
        frame, (name, chain, timeout) = box.q.get(timeout=2.5)
        self.assertEqual((name, timeout), ("get", 2.5))
        self.assertIs(callsite.resolve(frame, chain), box.q)

    def test_the_analysis_is_cached_per_instruction(self):
        r = Recv()
        calls = [r.put(i) for i in range(3)]
        self.assertEqual(calls[0][0], "put")
        self.assertIs(calls[2], calls[0], "one analysis per (code, offset)")

    def test_resolve_reads_no_properties(self):
        class Sneaky(object):
            @property
            def q(self):
                raise AssertionError("a property was run")
        s = Sneaky()  # noqa: F841 (read by resolve from this frame)
        self.assertIsNone(callsite.resolve(sys._getframe(), ("LOAD_FAST", ("s", "q"))))


if __name__ == "__main__":
    unittest.main()
