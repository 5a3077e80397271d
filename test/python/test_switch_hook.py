"""The debugger's switch hook is filtered by the tracer, compiled and pure
alike: with nothing pending it runs at no plain switch (a Python call per
switch cost a live session more than recording it), at every switch with
hook_all, at a throw, and at a switch into hook_target."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(HERE, "..", "..", "runtime-instrumentation")

# Two greenlets hand control back and forth ROUNDS times under a recording
# with a counting switch hook; prints what the hook saw for each filter.
PROGRAM = r"""
import json, sys
import greenlet
from greenlet_lens import session

ROUNDS = 20
rec = session.start(None, ["test"], live=lambda data: None)
seen = []
rec.switch_hook = lambda event, origin, o, t: seen.append((event, t))
st = rec.state

def ping_pong():
    main = greenlet.getcurrent()
    def body():
        for _ in range(ROUNDS):
            main.switch()
    g = greenlet.greenlet(body)
    for _ in range(ROUNDS):
        g.switch()
    g.switch()  # body ends: one more switch back into main
    return g

def thrower():
    def body():
        try:
            greenlet.getcurrent().parent.switch()
        except ValueError:
            pass
    g = greenlet.greenlet(body)
    g.switch()
    g.throw(ValueError)

out = {"compiled": type(st).__module__ != "greenlet_lens.state"}
ping_pong()  # every greenlet seen once: later rounds take the tracer's fast path
for name, every, target in (("nothing", False, None), ("every", True, None), ("target", False, "main")):
    st.hook_all = every
    st.hook_target = rec.gid(greenlet.getcurrent()) if target == "main" else 0
    del seen[:]
    ping_pong()
    out[name] = {"calls": len(seen), "into": sorted(set(t for _e, t in seen)),
                 "main": rec.gid(greenlet.getcurrent())}
st.hook_all = False
st.hook_target = 0
del seen[:]
thrower()
out["throw"] = [e for e, _t in seen]
session.stop(rec, 0)
print(json.dumps(out))
"""


def run(pure):
    env = dict(os.environ, PYTHONPATH=RUNTIME, GREENLET_LENS_PURE="1" if pure else "")
    r = subprocess.run([sys.executable, "-c", PROGRAM], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("the program failed:\n" + r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


class SwitchHookFilterTest(unittest.TestCase):
    def check(self, out):
        switches = 2 * 20 + 2  # ROUNDS switches each way, the first into the new greenlet, its end back
        self.assertEqual(out["nothing"]["calls"], 0, "no call with nothing pending")
        self.assertEqual(out["every"]["calls"], switches)
        self.assertEqual(out["target"]["into"], [out["target"]["main"]], "only switches into the target")
        self.assertEqual(out["target"]["calls"], 20 + 1)
        self.assertEqual(out["throw"], ["throw"], "a throw always reaches the hook, a plain switch does not")

    def test_pure_tracer(self):
        out = run(pure=True)
        self.assertFalse(out["compiled"])
        self.check(out)

    def test_compiled_tracer(self):
        out = run(pure=False)
        if not out["compiled"]:
            self.skipTest("no compiled core on this interpreter")
        self.check(out)


if __name__ == "__main__":
    unittest.main()
