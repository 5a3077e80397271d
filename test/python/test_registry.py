"""registry.py: ids in order of first sight, forgotten with their object;
kinds checked once per class, the most specific class first."""
import gc
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens.registry import IdMap, IdNotes, KindTable  # noqa: E402


class Thing(object):
    pass


class Special(Thing):
    pass


class RegistryTest(unittest.TestCase):
    def test_ids_in_order_and_forgotten_when_the_object_goes(self):
        m = IdMap()
        a, b = Thing(), Thing()
        self.assertEqual((m.add(a), m.add(b)), (1, 2))
        self.assertEqual(m.get(a), 1)
        self.assertIs(m.object_of(2), b)
        key = id(b)
        del b
        gc.collect()
        self.assertNotIn(key, m.ids)
        self.assertIsNone(m.object_of(2))
        self.assertEqual(m.add(Thing()), 3, "an id is never given twice")

    def test_ignored_objects_have_id_zero_and_no_strong_reference(self):
        m = IdMap()
        t = Thing()
        m.ignore(t)
        self.assertEqual(m.get(t), 0)
        key = id(t)
        del t
        gc.collect()
        self.assertNotIn(key, m.ids)

    def test_notes_are_taken_once(self):
        notes = IdNotes()
        t = Thing()
        notes.set(t, 4)
        self.assertEqual(notes.pop(t, 0), 4)
        self.assertEqual(notes.pop(t, 0), 0)

    def test_kind_table_prefers_the_most_specific_class(self):
        table = KindTable([(Thing, 1), (Special, 2)])
        self.assertEqual(table.kind(Special), 2)
        self.assertEqual(table.kind(Thing), 1)
        self.assertEqual(table.kind(int), 0)


if __name__ == "__main__":
    unittest.main()
