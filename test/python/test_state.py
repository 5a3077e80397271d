"""state.py's SwitchState and the compiled core's: the same fields, the same
defaults, writable scalars, containers shared by reference."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime-instrumentation"))
from greenlet_lens import accel, state  # noqa: E402


def make(cls):
    containers = ({}, {}, set(), {}, {}, {}, {}, set(), set())
    return containers, cls(*containers, 1234, 77)


class StateTest(unittest.TestCase):
    def classes(self):
        found = [("pure", state.SwitchState)]
        core = accel.core()
        if core is not None:
            found.append(("compiled", core.SwitchState))
        return found

    def test_the_same_fields_and_defaults(self):
        for name, cls in self.classes():
            with self.subTest(state=name):
                containers, st = make(cls)
                for field, given in zip(state.CONTAINERS, containers):
                    self.assertIs(getattr(st, field), given, "shared, not copied")
                self.assertEqual((st.enabled, st.switches, st.current, st.last_switch_us, st.main_ident),
                                 (True, 0, 1, 1234, 77))
                self.assertIsNone(st.switch_hook)
                self.assertIsNone(st.prev_tracer)
                self.assertEqual((st.hook_all, st.hook_target), (True, 0), "unfiltered unless a debugger filters")
                st.switches += 5
                st.enabled = False
                st.switch_hook = print
                self.assertEqual((st.switches, st.enabled, st.switch_hook), (5, False, print))

    def test_the_compiled_state_is_a_trace_callback_that_never_raises(self):
        core = accel.core()
        if core is None:
            self.skipTest("no compiled core here: %s" % accel.why_not())
        _containers, st = make(core.SwitchState)
        errors = []
        from greenlet_lens.encoder import make_encoder
        import types
        unused = types.SimpleNamespace(wait_info=None, _codes={}, _calls={}, _code=None, _line=None, settle=None,
                                       depth=8)  # what bind reads of a WaitInspector
        st.bind(make_encoder(0, lambda: None, core), unused, None, lambda where, e: errors.append((where, e)),
                lambda: None, repr)
        st("switch", "not a pair")  # nothing of the program's reaches here
        self.assertEqual([w for w, _e in errors], ["switch"])
        st("something else", ())  # other events are passed on only
        self.assertEqual(len(errors), 1)


if __name__ == "__main__":
    unittest.main()
