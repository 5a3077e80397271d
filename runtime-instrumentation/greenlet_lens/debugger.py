"""A live debug session inside the program (docs/debug-protocol.md).

The program's thread stops by waiting on an original lock: in the switch
tracer (step one switch, run to a greenlet, deadlock), in the line tracer
(breakpoints, steps), in the hub's error handler (a greenlet's exception),
or in a signal handler (pause, a loop blocked by a greenlet that never
yields). A raw OS thread serves the adapter's requests meanwhile.
"""
import os
import sys
import traceback

from . import compat, frames, tbformat, terminate
from ._schema import R_OTHER, REASON_NAMES
from .channel import BadMessage, ChannelClosed
from .interrupts import Interrupter
from .linetrace import LineTracer, Step
from .stopstate import RefCounter, StopState, current_top_frame

RUN, STEP_SWITCH, RUN_TO = "run", "stepSwitch", "runTo"
CHILD_HANDSHAKE_TIMEOUT = 30.0


def _filtering(name):
    """A Debugger attribute the switch hook's filter depends on: setting it
    updates the filter."""
    slot = "_f_" + name

    def set_(dbg, value):
        setattr(dbg, slot, value)
        dbg.refilter()
    return property(lambda dbg: getattr(dbg, slot), set_)


class Debugger(object):
    # The switch hook is a Python call at every switch, dearer than recording
    # the switch: the tracer calls it only when one of these needs it (refilter).
    mode = _filtering("mode")
    run_to = _filtering("run_to")
    _need_sync = _filtering("need_sync")

    def __init__(self, rec):
        self.rec = rec
        self._filter_lock = compat.original_lock()
        self._f_mode = RUN
        self._f_run_to = None
        self._f_need_sync = False
        self.ch = None
        self.attached = False
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
        self.program_started = False
        self.configured = False
        # launch: the adapter started us, so losing it ends the program
        # (as closing a debug session does); attach: the program runs on.
        self.exit_on_disconnect = False
        self.terminating = False
        # Set when Stop asked the program to end: a stopped program leaves its
        # stop by raising SystemExit(code) there, as a SIGTERM handler would.
        self.exit_requested = None
        self.ender = None
        # Following forked children (launch): the adapter's port for them and
        # the session's secret; None when the session does not follow them.
        self.children_port = None
        self.secret = None

    # -- start -------------------------------------------------------------
    def install_signals(self):
        """On the program's thread, before it runs: only it can set handlers."""
        self.interrupts.install()
        # session.py calls it in a forked child, before recording goes on there.
        self.rec.fork_hook = self.follow_fork

    def _forked(self):
        """A forked child shares the adapter's socket: it must never stop or
        speak on it. It runs on undebugged (and unrecorded, see session.py)."""
        self.attached = False
        self.ch = None
        self.lines.breakpoints.clear()
        self.lines.step = None
        self.interrupts.stop_watch()
        self.ender = None
        self.rec.switch_hook = None
        self.rec.exception_hook = None
        if sys.gettrace() is not None and self.lines.installed:
            sys.settrace(self.lines.program_tracer)

    def follow_fork(self):
        """In a forked child: off the parent's connection, and, when the
        adapter follows children, connected back to it as a session of its
        own, recording into a trace of its own; waits for that session's
        configuration, so breakpoints set before the child started hit in it.
        True when the child is followed."""
        self._forked()
        port = self.children_port
        if port is None:
            return False
        from . import forks, session
        rec = self.rec
        ch = join_session(port, self.secret, "fork")
        try:
            path = forks.new_child_path(rec.follow_folder) if rec.follow_folder is not None else None
            header = forks.child_header(rec.header, rec.w.path or "")
            rec.w.fork_into(path, header, live=ch.send_trace)
            rec.header = header
            forks.describe_state(rec)
            forks.end_at_exit(rec, session.stop)
        except BaseException:
            ch.close()
            raise
        self.terminating = False
        self.exit_requested = None
        self.stop_on_entry = False
        self.state = None
        self.mode = RUN
        self.run_to = None
        self.program_started = False
        self.connect(ch)
        waited_from = compat.monotonic_us()
        self._configured.acquire()
        # The wait for the child's session is the debugger's time, not the
        # program's: no blocked loop, no running time on the board.
        rec.last_switch_us = compat.monotonic_us()
        rec.w.leave_out(rec.last_switch_us - waited_from)
        self.sync_tracing()
        self.program_started = True
        return True

    def follow_children(self, port, secret):
        """This session's forked children (and, through the environment,
        spawned ones) connect back to the adapter at port."""
        self.children_port = port
        self.secret = secret

    def connect(self, ch, replay=False):
        """The adapter is here and has proved itself: stream the trace, serve its requests."""
        self.ch = ch
        if replay:
            self.rec.w.attach_live(ch.send_trace)
        self.attached = True
        self.rec.switch_hook = self.on_switch
        self.refilter()
        self.rec.exception_hook = self.on_greenlet_exception
        self.interrupts.start_watch()
        compat.start_raw_thread(self._serve)

    def wait_configured(self):
        """Before the program's first line: breakpoints and options are in."""
        self._configured.acquire()
        if self.stop_on_entry:
            self.lines.step = Step("entry", self.rec.current, None)
        self.sync_tracing()
        self.program_started = True

    # -- stopping (the program's thread) ------------------------------------
    def stop(self, reason, g, facts=None, top=None, tb=None, place=None):
        """Stops the program's thread; `facts` go to the adapter with the reason
        (docs/debug-protocol.md, `stopped`), which words the stop itself."""
        # Before configurationDone the adapter has not told the client it is
        # ready; a stop then would arrive ahead of its own attach response.
        if not self.attached or not self.configured or self.terminating:
            return
        rec = self.rec
        self.mode = RUN
        self.run_to = None
        self.lines.step = None
        self.state = StopState(rec, g, top if top is not None or tb is not None else current_top_frame(), tb, self._refs, place)
        if g in rec.unnamed and g == rec.current and self.state.top is not None:
            # A plain greenlet stopped before it ever switched out: named from its own stack.
            rec.name_from_stack(g, self.state.top, compat.monotonic_us())
        rec.w.flush()
        stopped_at = compat.monotonic_us()
        msg = {"type": "stopped", "reason": reason, "g": g, "seq": rec.w.events - 1}
        if facts:
            msg.update(facts)
        if self.just_my_code:
            msg["userCode"] = self.state.has_user_frame(g)
        try:
            self.send(msg)
        except Exception:
            self.detach()
            return
        self._gate.acquire()
        self.state = None
        if self.exit_requested is not None:
            raise SystemExit(self.exit_requested)
        rec.last_switch_us = compat.monotonic_us()
        rec.w.leave_out(rec.last_switch_us - stopped_at)
        self.interrupts.resumed()
        self.sync_tracing()
        try:
            self.send({"type": "continued"})
        except Exception:
            self.detach()

    def stop_at_line(self, reason, frame, facts=None):
        self.stop(reason, self.rec.current, facts, top=frame)

    def sync_tracing(self):
        self._need_sync = False
        self.lines.sync(self._all_frames)
        self.refilter()

    def refilter(self):
        """Tells the switch tracer when on_switch has work: at every switch
        while a sync, a switch step or line tracing (whose displacement it
        watches) is on; otherwise only at a throw (a deadlock's LoopExit) and
        at a switch into the greenlet a run-to waits for. Serialised: the
        program's and the control thread both change what it reads, and the
        last one to write must have read the latest."""
        st = self.rec.state
        with self._filter_lock:
            mode = self._f_mode
            every = bool(self._f_need_sync or mode == STEP_SWITCH or self.lines.installed)
            target = self._f_run_to if mode == RUN_TO and self._f_run_to else 0
            # Widened before narrowed: a switch in between calls the hook once too often, never too few.
            if every:
                st.hook_all = True
                st.hook_target = target
            else:
                st.hook_target = target
                st.hook_all = False

    def _all_frames(self):
        """The innermost frame of every greenlet, for giving frames their tracer."""
        yield current_top_frame()
        for ref in list(self.rec.greenlets.by_id.values()):
            g = ref()
            f = getattr(g, "gr_frame", None) if g is not None else None
            if f is not None:
                yield f

    def on_switch(self, event, origin, o, t):
        if self._need_sync or self.lines.displaced():
            self.sync_tracing()
        if not self.attached:
            return
        rec = self.rec
        if event == "throw" and o in rec.hubs and self._loop_exit(origin, t):
            self.stop("deadlock", t, {"waits": self._deadlock_waits()})
        elif self.mode == STEP_SWITCH or (self.mode == RUN_TO and t == self.run_to):
            self.stop("switch", t, {"from": o, "to": t})

    def _loop_exit(self, hub, t):
        """The hub's run() ends by throwing LoopExit into its parent; a parent
        waiting in hub.join() (gevent.wait()) expects that, anything else is stuck.
        A throw into any other greenlet is the hub running Greenlet.kill()."""
        if self.rec.greenlets.get(getattr(hub, "parent", None)) != t:
            return False
        f = hub.gr_frame
        if f is None or f.f_code.co_name != "run" or frames.code_class(f.f_code) != frames.GEVENT:
            return False
        top = current_top_frame()
        while top is not None and frames.code_class(top.f_code) == frames.GEVENT:
            if frames.is_hub_join(top.f_code):
                return False
            top = top.f_back
        return True

    def _deadlock_waits(self):
        """Who waits on what: the greenlet LoopExit is thrown into first (its
        wait is over, so only its reason is known), then every blocked one."""
        rec = self.rec
        waits = []
        t = rec.current
        if t not in rec.blocked and t in rec.block_reasons:
            waits.append({"g": t, "reason": REASON_NAMES[rec.block_reasons[t]], "obj": 0})
        for g, obj in sorted(rec.blocked.items()):
            waits.append({"g": g, "reason": REASON_NAMES[rec.block_reasons.get(g, R_OTHER)], "obj": obj})
        return waits

    def on_greenlet_exception(self, g, etype, value, tb):
        if "greenletException" in self.filters:
            self.stop("exception", g, {"exception": getattr(etype, "__name__", "?"), "uncaught": False}, tb=tb)

    def on_uncaught(self, exc):
        if "uncaught" not in self.filters:
            return
        tb = exc.__traceback__
        place = None
        if not any(frames.code_class(f.f_code) == frames.USER for f, _ln in traceback.walk_tb(tb)):
            # It failed before any line of the program ran (a syntax error, a
            # module -m cannot import): the interpreter would print the
            # traceback only after the stop, so the Debug Console has it now,
            # and a syntax error's line is the stop's frame.
            self.say(tbformat.format_exception(type(exc), exc, tb) + "\n", "stderr")
            place = tbformat.syntax_error_place(exc)
        self.stop("exception", 1, {"exception": type(exc).__name__, "uncaught": True}, tb=tb, place=place)

    # -- the control thread -------------------------------------------------
    def send(self, msg):
        self.ch.send_json(msg)

    def say(self, text, category="console"):
        """A line for the Debug Console (a logpoint's message, a condition's error)."""
        if not self.attached or self.ch is None:
            return
        try:
            self.send({"type": "output", "category": category, "text": text})
        except Exception:
            self.detach()

    def _serve(self):
        from .requests import handle, refuse
        ch = self.ch
        peer_gone = False
        try:
            while self.attached and self.ch is ch:
                msg = ch.recv_json()
                if isinstance(msg, BadMessage):
                    refuse(self, None, "unreadable message: %s" % msg.why)
                    continue
                handle(self, msg)
        except ChannelClosed as e:
            peer_gone = not e.by_program
            if e.by_program:
                sys.stderr.write("greenlet-lens: the program closed the debugger's connection; "
                                 "debugging ends, the program runs on\n")
        except (OSError, ValueError):
            peer_gone = True
        if self.ch is not ch:
            return
        lost = self.attached and not self.terminating
        self.detach()
        if lost and peer_gone and self.exit_on_disconnect:
            # The adapter that launched us is gone (killed, say): end the
            # program and everything it started, as its Stop would have.
            self.terminate(143, whole_group=True)

    def terminate(self, code, whole_group=False):
        """Stop: end the program as SIGTERM would, from the control thread
        (terminate.py): its handlers, finally blocks and atexit run; a
        program still running after the grace period is ended at once,
        with its trace finished."""
        if self.terminating:
            return
        self.terminating = True
        self.ender = terminate.Ender(self, code, whole_group)
        self.ender.start()

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

    def disarm(self):
        """Ending: no more stops; line tracing goes at the next switch."""
        self.lines.breakpoints.clear()
        self.lines.step = None
        self.filters = set()
        self.mode = RUN
        self.run_to = None
        self._need_sync = True
        self.interrupts.stop_watch()

    def release_stop(self):
        """Lets a stopped program go on; False when it was not stopped."""
        if self.state is None:
            return False
        try:
            self._gate.release()
        except RuntimeError:
            return False
        return True

    def let_program_start(self):
        try:
            self._configured.release()
        except RuntimeError:
            pass

    def detach(self, farewell=None):
        """The adapter is gone or let go: the program runs on, still recorded,
        and (attach) another adapter may come. `farewell` is the last message
        the adapter gets, once the program is free for the next one."""
        if not self.attached:
            return
        self.attached = False
        self.configured = False
        self.rec.w.detach_live()
        # The switch hook stays: it turns line tracing off at the next switch.
        self.rec.exception_hook = None
        self.lines.breakpoints.clear()
        self.lines.step = None
        self._need_sync = True
        self.interrupts.stop_watch()
        self.let_program_start()
        if self.state is not None:
            self._gate.release()
        if self.ch is not None:
            if farewell is not None:
                try:
                    self.ch.send_json(farewell)
                except Exception:
                    pass
            self.ch.close()

    def exited(self, code):
        for path in getattr(self, "leftovers", ()):
            try:
                os.unlink(path)
            except OSError:
                pass
        if self.ender is not None:
            self.ender.finish_group()
        if self.attached and self.ch is not None:
            try:
                self.send({"type": "exited", "code": code})
            except Exception:
                pass
            self.attached = False
            self.ch.close()


def join_session(port, secret, started_by):
    """A followed child's own channel to the adapter (docs/debug-protocol.md,
    "Children"): connected to its children port and proved with the
    session's secret. started_by: "fork" or "spawn" (its session's name)."""
    from . import channel
    ch = channel.connect_back(port)
    try:
        child = {"pid": os.getpid(), "parentPid": os.getppid(), "startedBy": started_by}
        # Its session is started by the client on the adapter's request: more time than an attach.
        if not channel.handshake(ch, secret, identity_message(sys.argv), child=child, timeout=CHILD_HANDSHAKE_TIMEOUT):
            raise OSError(0, "the debug adapter did not prove it knows the secret")
    except BaseException:
        ch.close()
        raise
    return ch


def identity_message(argv):
    """Who we are, told to an adapter once it has proved itself."""
    from . import probe
    msg = {"pid": os.getpid(), "argv": list(argv)}
    msg.update(probe.describe())  # python, implementation, greenlet, gevent, loop, compiled
    return msg
