"""Stopping the program where it is, even inside a greenlet that never yields.

A pause request, or a watchdog that sees one greenlet run longer than the
threshold without a switch, sends SIGUSR2 to the program's thread; the
handler runs there at the next bytecode (a blocking call like time.sleep is
interrupted, then resumed after the stop, as PEP 475 retries it) and stops
with the interrupted frame on top. A program that installs its own SIGUSR2
handler takes this away (the pause then waits for the next switch).
"""
import signal

from . import compat

SIGNAL = getattr(signal, "SIGUSR2", None)
_POLL = 0.02
# A greenlet that has had the CPU for less than this share of its run, while
# its thread waits to be scheduled, is starved by a busy machine, not blocking
# the loop: a CPU-bound loop uses the CPU, a blocking call sleeps in the kernel.
_STARVED_SHARE = 0.25


class Interrupter(object):
    def __init__(self, dbg):
        self.dbg = dbg
        self.blocked_loop_ms = 100
        self.pending = set()      # "pause", "blocked", "sync" while a signal is on its way
        self._fired_at = -1       # switch count when the watchdog last fired
        self._running = False
        self._main = compat.main_thread_ident()
        self._cpu_us, self._thread_state = compat.thread_probes()
        self._segment = (-1, 0, 0)  # (switch count, wall us, CPU us) when the watchdog first saw it

    def install(self):
        if SIGNAL is None:
            return
        try:
            signal.signal(SIGNAL, self._on_signal)
        except (ValueError, OSError):
            return  # not the main thread: pause waits for the next switch
        self._running = True
        compat.start_raw_thread(self._watch)

    def stop(self):
        self._running = False

    def resumed(self):
        """Nothing to forget: a segment that already stopped as blocked does not
        stop again, and last_switch_us restarts the clock for the others."""

    def request(self, why):
        if SIGNAL is None or not self._running:
            if why == "pause":
                self.dbg.mode = "stepSwitch"  # the next switch stops instead
            return
        self.pending.add(why)
        signal.pthread_kill(self._main, SIGNAL)

    def request_sync(self):
        """Breakpoints changed while running: the program's thread must turn
        its line tracer on (only that thread can)."""
        if self.dbg.program_started:
            self.request("sync")

    def _on_signal(self, signum, frame):
        pending = self.pending
        self.pending = set()
        dbg = self.dbg
        if "sync" in pending:
            dbg.sync_tracing()
        if dbg.state is not None or not dbg.attached:
            return
        why = "blocked" if "blocked" in pending else "pause" if "pause" in pending else None
        if why is None:
            return
        rec = dbg.rec
        g = rec.current
        if why == "blocked":
            ms = (compat.monotonic_us() - rec.last_switch_us) // 1000
            dbg.stop("blocked", g, {"ms": ms, "thresholdMs": self.blocked_loop_ms}, top=frame)
        else:
            dbg.stop("pause", g, top=frame)

    def _watch(self):
        sleep = compat.original_sleep()
        dbg = self.dbg
        rec = dbg.rec
        while self._running:
            sleep(_POLL)
            limit = self.blocked_loop_ms
            if not limit or not dbg.attached or dbg.state is not None or self.pending or not rec.hubs:
                continue
            # The hub waiting in its loop is idle, not blocked.
            if rec.current in rec.hubs or rec.switches == self._fired_at:
                continue
            now = compat.monotonic_us()
            switches = rec.switches
            if self._segment[0] != switches:
                self._segment = (switches, now, self._cpu_now())
            if now - rec.last_switch_us > limit * 1000 and not self._starved(now):
                self._fired_at = switches
                self.request("blocked")

    def _cpu_now(self):
        try:
            return self._cpu_us() if self._cpu_us is not None else 0
        except Exception:
            return 0

    def _starved(self, now):
        """The program's thread waits for a CPU and has had little of it since
        the watchdog saw this greenlet start: the machine is busy."""
        if self._cpu_us is None or self._thread_state is None:
            return False
        _, wall0, cpu0 = self._segment
        waited = now - wall0
        if waited <= 0:
            return False
        try:
            if self._thread_state() != "R":
                return False
        except Exception:
            return False
        return self._cpu_now() - cpu0 < waited * _STARVED_SHARE
