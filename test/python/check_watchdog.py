"""Checks the blocked-loop watchdog's starvation rule (interrupts.py) with
stand-in clocks: argv[1] is the runtime-instrumentation folder. Prints "ok"
or what went wrong; exits non-zero on a failure."""
import sys

sys.path.insert(0, sys.argv[1])
from greenlet_lens import interrupts  # noqa: E402


class Dbg(object):
    rec = None


w = interrupts.Interrupter(Dbg())
failures = []


LIMIT_US = 100_000  # the threshold


def check(name, cpu_ran_us, state, want):
    w._segment = (7, 1_000_000, 500_000, 0)
    w._cpu_us = lambda: 500_000 + cpu_ran_us
    w._thread_state = lambda: state
    got = w._starved(LIMIT_US)
    if got != want:
        failures.append("%s: starved=%s, want %s" % (name, got, want))


# Past the 100 ms threshold in wall time, and since the greenlet started:
check("a CPU-bound loop is blocking the loop", 140_000, "R", False)
check("a blocking call sleeps in the kernel", 1_000, "S", False)
check("waiting for a CPU with little of it had: a busy machine", 5_000, "R", True)
check("a CPU loop on a loaded machine, not yet half the threshold in CPU", 30_000, "R", True)
check("a CPU loop on a loaded machine that has had half the threshold in CPU", 60_000, "R", False)
w._cpu_us = None
w._segment = (7, 1_000_000, 500_000, 0)
if w._starved(LIMIT_US):
    failures.append("without a CPU clock the rule must not hold anything back")

for f in failures:
    print("FAILED", f)
print("ok" if not failures else "FAILED")
sys.exit(1 if failures else 0)
