"""Stopping the program where it is, even inside a greenlet that never yields.

A pause request, breakpoints changed while running, the watchdog that sees
one greenlet run longer than the threshold without a switch, and Stop send
the runtime's interrupt signal to the program's thread; the handler runs
there at the next bytecode (a blocking call like time.sleep is interrupted,
then resumed after the stop, as PEP 475 retries it) and stops with the
interrupted frame on top.

The signal is one a program is unlikely to own: a real-time signal near
SIGRTMAX where there are any (SIGUSR2 elsewhere). It is taken only when its
disposition is the default and nobody handles it, and before each use the
runtime checks that the handler is still its own, in Python and in the
kernel (the program may have changed it since, from Python or from C). If
it is not, nothing is sent: a pause then stops at the next greenlet switch,
breakpoints reach running frames at the next switch, and the watchdog
cannot stop a greenlet that never yields (docs/security.md).
"""
import signal

from . import compat


def _pick():
    rtmax = getattr(signal, "SIGRTMAX", None)
    if rtmax is None:
        try:
            valid = signal.valid_signals()
            if max(valid) >= 40:
                rtmax = max(valid)
        except (AttributeError, ValueError):
            rtmax = None
    if rtmax is not None:
        return int(rtmax) - 7
    return getattr(signal, "SIGUSR2", None)


SIGNAL = _pick()
_POLL = 0.02
# A runnable greenlet that has had less CPU than this share of the threshold
# is starved by a busy machine, not blocking the loop: a CPU-bound loop uses
# the CPU, a blocking call sleeps in the kernel.
_STARVED_SHARE = 0.5


_libc = []


def kernel_handler(sig):
    """The handler address the kernel holds for sig, or None when it cannot be read."""
    try:
        import ctypes
        if not _libc:
            _libc.append(ctypes.CDLL(None, use_errno=True))
        libc = _libc[0]
        buf = ctypes.create_string_buffer(512)  # larger than any struct sigaction
        if libc.sigaction(int(sig), None, buf) != 0:
            return None
        return ctypes.c_void_p.from_buffer(buf).value or 0
    except Exception:
        return None


class Interrupter(object):
    def __init__(self, dbg):
        self.dbg = dbg
        self.blocked_loop_ms = 100
        self.pending = set()      # "pause", "blocked", "sync", "exit" while a signal is on its way
        self._fired_at = -1       # switch count when the watchdog last fired
        self._installed = False
        self._watching = False
        self._handler = self._on_signal
        self._kernel = None
        self._main = compat.main_thread_ident()
        self._cpu_us, self._thread_state = compat.thread_probes()
        self._segment = (-1, 0, 0, 0)  # (switch count, wall us, CPU us, writer stall us) when the watchdog first saw it

    def install(self):
        """On the program's thread, before it runs: only it can set handlers."""
        if SIGNAL is None:
            return
        try:
            if signal.getsignal(SIGNAL) not in (signal.SIG_DFL, None):
                return  # somebody's already
            before = kernel_handler(SIGNAL)
            if before not in (None, 0):
                return  # handled from C
            signal.signal(SIGNAL, self._handler)
        except (ValueError, OSError, RuntimeError):
            return  # not the main thread: pause waits for the next switch
        self._kernel = kernel_handler(SIGNAL)
        self._installed = True

    def ours(self):
        """The signal still reaches our handler (checked before every send)."""
        if not self._installed:
            return False
        try:
            if signal.getsignal(SIGNAL) is not self._handler:
                return False
        except Exception:
            return False
        return self._kernel is None or kernel_handler(SIGNAL) == self._kernel

    def start_watch(self):
        if self._installed and not self._watching:
            self._watching = True
            compat.start_raw_thread(self._watch)

    def stop_watch(self):
        self._watching = False

    def resumed(self):
        """Nothing to forget: a segment that already stopped as blocked does not
        stop again, and last_switch_us restarts the clock for the others."""

    def request(self, why):
        """True when the signal went out; otherwise the switch hook takes over."""
        if not self.ours():
            if why == "pause":
                self.dbg.mode = "stepSwitch"  # the next switch stops instead
            elif why == "sync":
                self.dbg.request_sync()
            return False
        self.pending.add(why)
        try:
            signal.pthread_kill(self._main, SIGNAL)
        except (OSError, ValueError):
            self.pending.discard(why)
            return False
        return True

    def request_sync(self):
        """Breakpoints changed while running: the program's thread must turn
        its line tracer on (only that thread can)."""
        if self.dbg.program_started:
            self.request("sync")

    def _on_signal(self, signum, frame):
        pending = self.pending
        self.pending = set()
        dbg = self.dbg
        if "exit" in pending and dbg.exit_requested is not None:
            raise SystemExit(dbg.exit_requested)
        if "sync" in pending:
            dbg.sync_tracing()
        if dbg.state is not None or not dbg.attached:
            return
        rec = dbg.rec
        if "blocked" in pending and rec.switches != self._fired_at:
            # The greenlet the watchdog saw switched out before the signal got
            # here: the loop is not blocked (and the one running now has only begun).
            pending.discard("blocked")
        why = "blocked" if "blocked" in pending else "pause" if "pause" in pending else None
        if why is None:
            return
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
        while self._watching:
            sleep(_POLL)
            limit = self.blocked_loop_ms
            if not limit or not dbg.attached or dbg.state is not None or self.pending or not rec.hubs:
                continue
            # The hub waiting in its loop is idle, not blocked.
            if rec.current in rec.hubs or rec.switches == self._fired_at:
                continue
            now = compat.monotonic_us()
            switches = rec.switches
            stalled = self._stalled(now)
            if self._segment[0] != switches:
                self._segment = (switches, now, self._cpu_now(), stalled)
            ran = now - rec.last_switch_us - (stalled - self._segment[3])
            if ran > limit * 1000 and not self._starved(limit * 1000):
                self._fired_at = switches
                self.request("blocked")

    def _stalled(self, now):
        """How long the program's thread has waited in the trace writer, in all."""
        w = self.dbg.rec.w
        since = w.stall_since
        return w.stall_us + (now - since if since else 0)

    def _cpu_now(self):
        try:
            return self._cpu_us() if self._cpu_us is not None else 0
        except Exception:
            return 0

    def _starved(self, limit_us):
        """The program's thread is runnable (on a CPU or waiting for one) and
        has used less than half the threshold in CPU since the watchdog saw
        this greenlet start: on a busy machine wall time stretches and CPU
        time does not. A greenlet that blocks the loop in the kernel (an
        unpatched sleep or socket) is asleep, not runnable, and is caught by
        wall time."""
        if self._cpu_us is None or self._thread_state is None:
            return False
        try:
            if self._thread_state() != "R":
                return False
        except Exception:
            return False
        return self._cpu_now() - self._segment[2] < limit_us * _STARVED_SHARE
