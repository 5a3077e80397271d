"""The encoders (encoder.PyEncoder and the compiled _core.Encoder): records
decoded back byte by byte, and both write the same bytes for the same calls."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens import accel, encoder  # noqa: E402
from greenlet_lens._schema import T_STR, T_FRAME, T_STACK, T_SWITCH, T_BLOCK, T_READY, T_PUT, T_SPAWN  # noqa: E402


def read_uvarint(data, i):
    n = shift = 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return n, i


def encoders():
    """(name, factory) for every encoder this interpreter has."""
    found = [("pure", lambda t0, full: encoder.make_encoder(t0, full))]
    core = accel.core()
    if core is not None:
        found.append(("compiled", lambda t0, full: encoder.make_encoder(t0, full, core)))
    return found


def script(enc):
    """The same calls, for comparing encoders."""
    enc.event(T_SPAWN, 1000, 1, 0, 0, enc.string("main"), enc.string("<main>"), 0, 0)
    enc.event2(T_SWITCH, 1005, 1, 2)
    enc.block_switch(1300, 2, 4, 7, 1500001, enc.frame("/app.py", 12, "worker"), enc.stack((1,)), T_SWITCH, 3)
    enc.ready_switch(1200, 2, 300, T_SWITCH, 3)  # a time before the last: dt 0
    enc.item(T_PUT, 100000, 200, "é" * 100)
    enc.item(T_PUT, 100001, 200, "é" * 100)  # interned: no second STR
    enc.leave_out(50)
    enc.event(T_SWITCH, 100100, 2 ** 40, 1)


class EncoderTest(unittest.TestCase):
    def test_records_decode_back(self):
        for name, make in encoders():
            with self.subTest(encoder=name):
                enc = make(1000, lambda: None)
                script(enc)
                data = bytes(enc.buf)
                i = 0
                kinds = []
                while i < len(data):
                    tag = data[i]
                    kinds.append(tag)
                    if tag == T_STR:
                        n, i = read_uvarint(data, i + 1)
                        i += n
                    elif tag in (T_FRAME, T_STACK):
                        i += 1
                        count = 3 if tag == T_FRAME else None
                        if count is None:
                            count, i = read_uvarint(data, i)
                        for _ in range(count):
                            _, i = read_uvarint(data, i)
                    else:
                        dt, i = read_uvarint(data, i + 1)
                        fields = {T_SPAWN: 7, T_SWITCH: 2, T_BLOCK: 6, T_READY: 2, T_PUT: 2}[tag]
                        values = []
                        for _ in range(fields):
                            v, i = read_uvarint(data, i)
                            values.append(v)
                        if tag == T_SWITCH and values[0] == 2 ** 40:
                            self.assertEqual(dt, 100100 - 100001 - 50, "leave_out moves later times on")
                        if tag == T_READY:
                            self.assertEqual((dt, values), (0, [2, 300]), "a time before the last gives dt 0")
                        if tag == T_BLOCK:
                            self.assertEqual(values[:4], [2, 4, 7, 1500001])
                self.assertEqual(i, len(data))
                self.assertEqual(kinds.count(T_STR), 5, "main, <main>, /app.py, worker, the item")
                self.assertEqual(enc.events, 9)  # spawn, switch, block+switch, ready+switch, put, put, switch
                self.assertEqual(enc.last_us, 100100)

    def test_the_encoders_write_the_same_bytes(self):
        made = [(name, make(1000, lambda: None)) for name, make in encoders()]
        if len(made) < 2:
            self.skipTest("no compiled core here: %s" % accel.why_not())
        for _, enc in made:
            script(enc)
        self.assertEqual(bytes(made[0][1].buf), bytes(made[1][1].buf))
        self.assertEqual(made[0][1].events, made[1][1].events)

    def test_a_full_buffer_calls_on_full_and_a_bad_field_writes_nothing(self):
        for name, make in encoders():
            with self.subTest(encoder=name):
                calls = []
                enc = make(0, lambda: calls.append(1))
                for t in range(encoder.FLUSH_SIZE // 4 + 10):
                    enc.event2(T_SWITCH, t, 1, 2)
                self.assertTrue(calls)
                before = bytes(enc.buf)
                with self.assertRaises((ValueError, OverflowError)):
                    enc.event(T_SWITCH, 5, 1, -1)
                self.assertEqual(bytes(enc.buf)[:len(before)], before)

    def test_strings_past_the_interning_limit_are_written_each_time(self):
        for name, make in encoders():
            with self.subTest(encoder=name):
                enc = make(0, lambda: None)
                enc.max_interned = 2
                first = enc.string("a")
                self.assertEqual(enc.string("a"), first)
                self.assertNotEqual(enc.string("b"), enc.string("b"))
                self.assertEqual(enc.string(""), 0)


if __name__ == "__main__":
    unittest.main()
