"""A live debug session inside the program (docs/debug-protocol.md).

The program's thread stops by waiting on an original lock: in the switch
tracer (step one switch, run to a greenlet, deadlock), in the line tracer
(breakpoints, steps), in the hub's error handler (a greenlet's exception),
or in a signal handler (pause, a loop blocked by a greenlet that never
yields). A raw OS thread serves the adapter's requests meanwhile.
"""
import hmac
import os
import sys

from . import compat, frames
from .channel import ChannelClosed
from .interrupts import Interrupter
from .linetrace import LineTracer, Step
from .stopstate import RefCounter, StopState, current_top_frame

RUN, STEP_SWITCH, RUN_TO = "run", "stepSwitch", "runTo"


class Debugger(object):
    def __init__(self, rec, secret):
        self.rec = rec
        self.ch = None
        self.secret = secret
        self.authenticated = False
        self.attached = False
        self.mode = RUN
        self.run_to = None
        self.filters = set(("greenletException", "uncaught"))
        self.stop_on_entry = False
        self.just_my_code = True
        self.state = None
        self._refs = RefCounter()
        self.lines = LineTracer(self)
        self.interrupts = Interrupter(self)
        self._gate = compat.original_lock()
        self._gate.acquire()          # held: released once per resume
        self._configured = compat.original_lock()
        self._configured.acquire()    # released by configurationDone
        self._need_sync = False
        self.program_started = False
        self.configured = False
        # launch: the adapter started us, so losing it ends the program
        # (as closing a debug session does); attach: the program runs on.
        self.exit_on_disconnect = False
        self.terminating = False

    # -- start -------------------------------------------------------------
    def install_signals(self):
        """On the program's thread, before it runs: only it can set handlers."""
        self.interrupts.install()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        """A forked child shares the adapter's socket: it must never stop or
        speak on it. It runs on undebugged (and unrecorded, see session.py)."""
        self.attached = False
        self.ch = None
        self.lines.breakpoints.clear()
        self.lines.step = None
        self.interrupts.stop()
        self.rec.switch_hook = None
        self.rec.exception_hook = None
        if sys.gettrace() is not None and self.lines.installed:
            sys.settrace(None)

    def connect(self, ch, argv, hello_sent=False, replay=False):
        """The adapter is here: greet it, stream the trace, serve its requests."""
        self.ch = ch
        if not hello_sent:
            ch.send_json(hello_message(argv))
        if replay:
            self.rec.w.attach_live(ch.send_trace)
        self.attached = True
        self.rec.switch_hook = self.on_switch
        self.rec.exception_hook = self.on_greenlet_exception
        compat.start_raw_thread(self._serve)

    def wait_configured(self):
        """Before the program's first line: breakpoints and options are in."""
        self._configured.acquire()
        if self.stop_on_entry:
            self.lines.step = Step("entry", self.rec.current, None)
        self.sync_tracing()
        self.program_started = True

    # -- stopping (the program's thread) ------------------------------------
    def stop(self, reason, g, description, text="", top=None, tb=None):
        # Before configurationDone the adapter has not told the client it is
        # ready; a stop then would arrive ahead of its own attach response.
        if not self.attached or not self.configured:
            return
        rec = self.rec
        self.mode = RUN
        self.run_to = None
        self.lines.step = None
        self.state = StopState(rec, g, top if top is not None or tb is not None else current_top_frame(), tb, self._refs)
        if g in rec.unnamed and g == rec.current and self.state.top is not None:
            # A plain greenlet stopped before it ever switched out: named from its own stack.
            rec.name_from_stack(g, self.state.top, compat.monotonic_us())
        rec.w.flush()
        stopped_at = compat.monotonic_us()
        try:
            self.send({"type": "stopped", "reason": reason, "g": g, "seq": rec.w.events - 1,
                       "description": description, "text": text})
        except Exception:
            self.detach()
            return
        self._gate.acquire()
        self.state = None
        rec.last_switch_us = compat.monotonic_us()
        rec.w.leave_out(rec.last_switch_us - stopped_at)
        self.interrupts.resumed()
        self.sync_tracing()
        try:
            self.send({"type": "continued"})
        except Exception:
            self.detach()

    def stop_at_line(self, reason, frame, description):
        self.stop(reason, self.rec.current, description, top=frame)

    def sync_tracing(self):
        self._need_sync = False
        self.lines.sync(self._all_frames)

    def _all_frames(self):
        """The innermost frame of every greenlet, for giving frames their tracer."""
        yield current_top_frame()
        for ref in list(self.rec.greenlets.by_id.values()):
            g = ref()
            f = getattr(g, "gr_frame", None) if g is not None else None
            if f is not None:
                yield f

    def on_switch(self, event, origin, o, t):
        if self._need_sync:
            self.sync_tracing()
        if not self.attached:
            return
        rec = self.rec
        if event == "throw" and o in rec.hubs and self._loop_exit(origin):
            self.stop("deadlock", t, "Deadlock: every greenlet is blocked and nothing is scheduled",
                      self._deadlock_text())
        elif self.mode == STEP_SWITCH or (self.mode == RUN_TO and t == self.run_to):
            self.stop("switch", t, "switch g%d \u2192 g%d" % (o, t))

    def _loop_exit(self, hub):
        """The hub's run() ends by throwing LoopExit into its parent; a parent
        waiting in hub.join() (gevent.wait()) expects that, anything else is stuck."""
        f = hub.gr_frame
        if f is None or f.f_code.co_name != "run" or frames.code_class(f.f_code) != frames.GEVENT:
            return False
        top = current_top_frame()
        while top is not None and frames.code_class(top.f_code) == frames.GEVENT:
            if frames.is_hub_join(top.f_code):
                return False
            top = top.f_back
        return True

    def _deadlock_text(self):
        rec = self.rec
        reasons = ("other", "sleep", "queue get", "queue put", "event wait", "AsyncResult get",
                   "join", "lock acquire", "I/O")
        lines = []
        # The greenlet LoopExit is thrown into was waiting too (usually main's join).
        t = rec.current
        if t not in rec.blocked and t in rec.block_reasons:
            r = rec.block_reasons[t]
            lines.append("%s was waiting: %s" % (self._glabel(t), reasons[r] if r < len(reasons) else "?"))
        for g, obj in sorted(rec.blocked.items()):
            r = rec.block_reasons.get(g, 0)
            what = rec.obj_labels.get(obj) if r != 6 else ("g%d" % obj if obj else None)
            lines.append("%s waits: %s%s" % (self._glabel(g), reasons[r] if r < len(reasons) else "?",
                                             " on " + what if what else ""))
        return "\n".join(lines)

    def on_greenlet_exception(self, g, etype, value, tb):
        if "greenletException" in self.filters:
            self.stop("exception", g, "%s raised %s" % (self._glabel(g), getattr(etype, "__name__", "?")),
                      _exc_text(value), tb=tb)

    def on_uncaught(self, exc):
        if "uncaught" in self.filters:
            self.stop("exception", 1, "Uncaught %s in main" % type(exc).__name__, _exc_text(exc),
                      tb=exc.__traceback__)

    def _glabel(self, g):
        name = self.rec.names.get(g) or self.rec.funcs.get(g)
        return "g%d %s" % (g, name) if name else "g%d" % g

    # -- the control thread -------------------------------------------------
    def send(self, msg):
        self.ch.send_json(msg)

    def _serve(self):
        from .requests import handle
        try:
            while self.attached:
                msg = self.ch.recv_json()
                if not self.authenticated and msg.get("type") != "hello":
                    break
                handle(self, msg)
        except (ChannelClosed, OSError, ValueError):
            pass
        lost = self.attached and not self.terminating
        self.detach()
        if lost and self.exit_on_disconnect:
            self.terminate(1)

    def terminate(self, code):
        """End the program now, from the control thread: the trace gets its end
        record, then the process exits (the adapter ends its children)."""
        self.terminating = True
        try:
            from . import session
            session.stop(self.rec, code)
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        finally:
            os._exit(code)

    def check_secret(self, given):
        ok = isinstance(given, str) and hmac.compare_digest(given.encode(), self.secret.encode())
        self.authenticated = ok
        return ok

    def resume(self, mode=RUN, run_to=None, step=None):
        if self.state is None:
            return False
        self.mode = mode
        self.run_to = run_to
        self.lines.step = step
        self._gate.release()
        return True

    def request_sync(self):
        self._need_sync = True

    def configuration_done(self):
        self.configured = True
        self.let_program_start()

    def let_program_start(self):
        try:
            self._configured.release()
        except RuntimeError:
            pass

    def detach(self):
        """The adapter is gone or let go: the program runs on, still recorded."""
        if not self.attached:
            return
        self.attached = False
        # The switch hook stays: it turns line tracing off at the next switch.
        self.rec.exception_hook = None
        self.lines.breakpoints.clear()
        self.lines.step = None
        self._need_sync = True
        self.interrupts.stop()
        self.let_program_start()
        if self.state is not None:
            self._gate.release()
        if self.ch is not None:
            self.ch.close()

    def exited(self, code):
        for path in getattr(self, "leftovers", ()):
            try:
                os.unlink(path)
            except OSError:
                pass
        if self.attached and self.ch is not None:
            try:
                self.send({"type": "exited", "code": code})
            except Exception:
                pass
            self.attached = False
            self.ch.close()


def hello_message(argv):
    from . import probe
    msg = {"type": "hello", "protocol": 1, "pid": os.getpid(), "argv": list(argv)}
    msg.update(probe.describe())  # python, implementation, greenlet, gevent, loop, compiled
    return msg


def _exc_text(value):
    from . import reprs
    if value is None:
        return ""
    msg = reprs.exception_message(value)
    return reprs.type_name(value) + (": " + msg if msg else "")
