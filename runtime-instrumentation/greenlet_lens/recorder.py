"""The recorder: turns greenlet switches and gevent hooks into trace events.

Every entry point is guarded: nothing raised here may reach the program (a
greenlet trace callback that raises kills the greenlet it runs in). Nothing
here switches greenlets, does gevent I/O or calls program code.
"""
import functools
import sys
import time

from . import accel, compat, observe, reprs
from . import writer as W
from ._schema import G_MAIN, G_HUB, G_GEVENT, G_GREENLET, EXIT_STARTED, EXIT_READY, EXIT_SUCCESSFUL
from .registry import IdMap, IdNotes, QUEUE_KINDS, EVENT, RESULT, LOCK_KINDS
from .state import SwitchState, state_property
from .tracer import SwitchMixin, make_tracer
from .waits import WaitInspector

_mono_ns = time.monotonic_ns
MAX_ERROR_RECORDS = 100


def now_us():
    return _mono_ns() // 1000


def name_of(g):
    """The name a gevent greenlet's program gave it, as recorded."""
    return reprs.bounded_name(compat.explicit_name(g))


def func_name(fn):
    """What a greenlet runs (fn, its callable), as recorded."""
    return reprs.bounded_name(reprs.callable_name(fn))


class Recorder(SwitchMixin):
    # The switch tracer's scalars live in self.state (state.py), which the compiled core mirrors.
    enabled = state_property("enabled")
    switches = state_property("switches")
    current = state_property("current")  # the running greenlet's id, kept by the tracer
    last_switch_us = state_property("last_switch_us")
    # A debug session's callback after each recorded switch (None when recording only).
    switch_hook = state_property("switch_hook")
    prev_tracer = state_property("prev_tracer")

    def __init__(self, writer, stack_depth=8):
        self.w = writer
        # Set by gevent_hooks.install: okind by class, for what greenlets wait
        # on (kinds) and for the operations recorded as the program's (op_kinds).
        self.kinds = self.op_kinds = None
        # okinds the program chose by name where a class has several (a JoinableQueue on gevent >= 25.4).
        self.kind_notes = IdNotes()
        # The program's names for the objects it made (`tasks` for `tasks = Queue(3)`), kept while
        # they live: a forked child's trace describes the objects it inherited again.
        self.name_notes = IdNotes()
        self.depth = stack_depth
        self.greenlets = IdMap()
        self.objects = IdMap()
        self.gkind = {}
        self.hubs = set()
        self.unnamed = set()    # plain greenlets whose function is not known yet
        self.started = set()
        self.names = {}
        self.funcs = {}
        self.blocked = {}       # gid -> obj id (0 if none) while blocked
        self.waiters = {}       # obj id -> [gid] for waits a set() ends
        self.last_waker = {}    # obj id -> gid of the last greenlet that changed it
        self.main_ident = compat.main_thread_ident()
        self._get_ident = compat.original("_thread", "get_ident", None) or __import__("_thread").get_ident
        self._fids = {}
        self._hub_cls = compat.hub_class()
        self._gevent_greenlet = compat.greenlet_class()
        self._exit_cls = compat.greenlet_exit()
        self._gevent_mod = compat.gevent
        self.exit_code = 0
        self.main_failed = False
        # Why the recording ended before the program did (its file failed), or None.
        self.stopped_by = None
        self.finished = False
        # The trace's header, and where a forked child records (session.py, forks.py).
        self.header = None
        self.follow_folder = None
        self.follow_spawn = False  # new Pythons started from here record too (spawned.py)
        # A debug session's part in a fork (Debugger.follow_fork): True when it follows the child.
        self.fork_hook = None
        writer.on_failure = self._writer_failed
        self.block_reasons = {}  # gid -> reason while blocked, for deadlock reports
        core = accel.core()
        self.state = (core.SwitchState if core is not None else SwitchState)(
            self.greenlets.ids, self.objects.ids, self.hubs, self.blocked, self.block_reasons, self.waiters,
            self.last_waker, self.started, self.unnamed, now_us(), self.main_ident)
        # A debug session's callback when a greenlet dies with an exception.
        self.exception_hook = None
        self.waits = WaitInspector(self)
        # Non-zero while gevent's own code runs inside a hook on the main thread
        # (a Queue's __init__ makes its Event, a pure-Python _put calls its
        # base's): what it does there is not the program's.
        self.quiet = 0
        # Ended gevent greenlets with a value or an exception and no links (observe.py).
        self.unseen_ends = set()
        # Called as ended_hook(greenlet, id, seen) when a gevent greenlet ends (the pytest plugin).
        self.ended_hook = None
        self.state.bind(writer.enc, self.waits, self._switch_slow, self.error, compat.interrupt_main,
                        reprs.safe_repr)
        # The greenlet trace callback: the compiled state is one itself.
        self.trace = self.state if core is not None else make_tracer(self, fast=not accel.SLOW)
        walk = getattr(self.state, "walk", None)
        if walk is not None:
            # The compiled twin of WaitInspector.walk (a spawn's site and stack, an object's first sight).
            self.waits.walk = walk
        # gevent's spawn callback: the compiled twin of spawned() when there is one.
        self.spawn_callback = getattr(self.state, "spawned", None)
        if self.spawn_callback is None:
            self.spawn_callback = self.spawned
        else:
            self.state.bind_greenlets(self, compat.getcurrent, name_of, func_name,
                                      functools.partial(observe.at_death, self), compat.greenlet_has_links_method(),
                                      reprs.NAME_LIMIT, reprs.LIMIT, observe.MAX_UNSEEN)

    # -- plumbing --------------------------------------------------------
    def _writer_failed(self, why):
        """Nowhere left to write: every hook goes quiet; the program goes on."""
        self.stopped_by = why
        self.enabled = False

    def on_main_thread(self):
        return self.enabled and self._get_ident() == self.main_ident

    def error(self, where, e=None):
        """A hook failed (with e, or the exception being handled): counted, and
        written while there are few."""
        self.w.errors += 1
        if self.w.errors <= MAX_ERROR_RECORDS:
            try:
                if e is None:
                    e = sys.exc_info()[1]
                msg = "%s: %s: %s" % (where, type(e).__name__, reprs.exception_message(e))
                self.w.strings_event(W.T_ERROR, now_us(), (), (msg,))
            except Exception:
                pass

    def fid(self, code, line):
        key = (code, line)
        f = self._fids.get(key)
        if f is None:
            f = self.w.frame(code.co_filename, line or 0, code.co_qualname if hasattr(code, "co_qualname") else code.co_name)
            self._fids[key] = f
        return f

    # -- greenlets -------------------------------------------------------
    def gid(self, g, parent=0):
        n = self.greenlets.get(g)
        return n if n is not None else self._first_sight(g, parent)

    def _first_sight(self, g, parent, name="", func="", site=0, stack=0):
        n = self.greenlets.add(g)
        if g.parent is None:
            kind = G_MAIN
            func = func or "<main>"
        elif self._hub_cls is not None and isinstance(g, self._hub_cls):
            kind = G_HUB
            self.hubs.add(n)
            func = func or "Hub.run"
            self._watch_hub(g)
        elif self._gevent_greenlet is not None and isinstance(g, self._gevent_greenlet):
            kind = G_GEVENT
            name = name or name_of(g)
            func = func or func_name(compat.run_callable(g))
        else:
            kind = G_GREENLET
            self.unnamed.add(n)
        self.gkind[n] = kind
        self.names[n] = name
        self.funcs[n] = func
        w = self.w
        w.event(W.T_SPAWN, now_us(), n, parent, kind, w.string(name), w.string(func), site, stack)
        return n

    def _watch_hub(self, hub):
        from . import gevent_hooks
        gevent_hooks.watch_hub(self, hub)

    def spawned(self, g):
        """gevent's spawn callback: runs in the spawner, before g first runs."""
        if not self.on_main_thread() or self.greenlets.get(g) is not None:
            return
        try:
            cur = compat.getcurrent()
            parent = self.gid(cur)
            site, stack = self.waits.walk(sys._getframe(1))
            name = name_of(g)
            func = func_name(compat.run_callable(g))
            n = self.greenlets.add(g)
            self.gkind[n] = G_GEVENT
            self.names[n] = name
            self.funcs[n] = func
            t = now_us()
            ids = (self.w.string(name), self.w.string(func))
            self.w.event(W.T_SPAWN, t, n, parent, G_GEVENT, ids[0], ids[1], site, stack)
            self.w.event(W.T_READY, t, n, parent)
        except Exception:
            self.error("spawn")

    # -- queues, events, locks -------------------------------------------
    def oid(self, obj, okind, site=0, by=None):
        n = self.objects.get(obj)
        if n is not None:
            return n
        okind = self.kind_notes.pop(obj, okind)
        n = self.objects.add(obj)
        if by is None:
            by = self.gid(compat.getcurrent())
        self._describe(obj, n, okind, site, by, now_us())
        return n

    def _describe(self, obj, n, okind, site, by, t):
        """The object record of obj (id n) and what it holds now."""
        w = self.w
        cap = 0
        if okind in QUEUE_KINDS:
            m = compat.queue_maxsize(obj)
            cap = m + 1 if m else 0
        elif okind in LOCK_KINDS:
            v = compat.semaphore_capacity(obj)
            cap = v + 1 if v is not None else 0
        w.event(W.T_OBJECT, t, n, okind, cap, w.string(type(obj).__name__), site, by)
        name = self.name_notes.get(obj, None)
        if name:
            w.named(n, w.string(name))
        if okind in QUEUE_KINDS:
            items = compat.queue_items(obj)
            if items:
                ids = [w.string(reprs.safe_repr(i)) for i in items]
                w.event(W.T_QSYNC, t, n, len(ids), *ids)
        elif okind == EVENT and compat.event_is_set(obj):
            w.event(W.T_SET, t, n, 0)
        elif okind == RESULT:
            state = compat.result_state(obj)
            if state is not None:
                ok, payload = state
                w.event(W.T_SET if ok else W.T_SETEXC, t, n, w.string(reprs.safe_repr(payload)))

    def caller_site(self):
        try:
            return self.waits.walk(sys._getframe(2), 32)[0]
        except Exception:
            return 0

    def first_sight(self, obj):
        """A hooked object met for the first time: described if it is the program's."""
        if not self.quiet and self.on_main_thread():
            try:
                okind = self.op_kinds.kind(type(obj))
                if okind:
                    self.oid(obj, okind, self.caller_site())
            except Exception:
                self.error("object")

    def queue_recorder(self):
        """record(queue, tag, item) for the queue wrappers: it runs for every
        item that enters or leaves a queue (the compiled state's own record
        when the core is loaded)."""
        st = self.state
        if not isinstance(st, SwitchState):
            return st.record
        rec = self
        ids = st.objects
        get_ident = self._get_ident
        main = self.main_ident
        waker = st.last_waker
        item_record = self.w.enc.item
        safe = reprs.safe_repr
        mono = _mono_ns

        def record(q, tag, item):
            if not st.enabled or get_ident() != main:
                return
            try:
                n = ids.get(id(q))
                if not n:
                    return  # another thread's, or gevent's own
                waker[n] = st.current
                tp = type(item)
                if tp is int or tp is str and len(item) < 40 and "0x" not in item:
                    r = repr(item)
                else:
                    r = safe(item)
                item_record(tag, mono() // 1000, n, r)
            except Exception as e:
                rec.error("queue", e)

        return record

    def _op_target(self, obj):
        """The object's id for an operation hook, or 0 when it is not recorded
        (another thread, inside gevent's own use of it, or one of its internals)."""
        if self.quiet or not self.on_main_thread():
            return 0
        n = self.objects.get(obj)
        if n is None:
            okind = self.op_kinds.kind(type(obj))
            n = self.oid(obj, okind, self.caller_site()) if okind else 0
        return n

    def event_op(self, ev, tag, payload=None):
        """set / setexc / clear; a set makes every waiter runnable at once."""
        try:
            n = self._op_target(ev)
            if not n:
                return
            me = self.current
            w = self.w
            t = now_us()
            if tag == W.T_CLEAR:
                w.event(tag, t, n)
                return
            w.event(tag, t, n, w.string("" if payload is None else reprs.safe_repr(payload)))
            self.last_waker[n] = me
            for g in self.waiters.pop(n, ()):
                if self.blocked.pop(g, None) is not None:
                    w.event(W.T_READY, t, g, me)
        except Exception:
            self.error("event")

    def lock_op(self, lock, tag):
        try:
            n = self._op_target(lock)
            if not n:
                return
            me = self.current
            self.last_waker[n] = me
            self.w.event(tag, now_us(), n, me)
        except Exception:
            self.error("lock")

    def channel_withdrawn(self, ch):
        """A Channel put that failed (Full, a timeout, a kill): its offer is
        gone, so the channel's offered items are written again."""
        try:
            n = self.objects.get(ch)
            items = compat.channel_offers(ch)
            if n and items is not None and self.on_main_thread():
                w = self.w
                ids = [w.string(reprs.safe_repr(i)) for i in items]
                w.event(W.T_QSYNC, now_us(), n, len(ids), *ids)
        except Exception:
            self.error("channel")

    # -- exceptions, marks, the end ---------------------------------------
    def exception(self, gid, etype, value, tb):
        from .tbformat import format_exception
        try:
            w = self.w
            w.event(W.T_EXCEPTION, now_us(), gid, w.string(reprs.type_name(value) if value is not None else getattr(etype, "__name__", "?")),
                    w.string(reprs.exception_message(value)), w.string(format_exception(etype, value, tb)))
        except Exception:
            self.error("exception")

    def mark(self, label):
        if not self.on_main_thread():
            return
        try:
            text = reprs.bounded_name(label) if isinstance(label, str) else reprs.safe_repr(label)
            self.w.event(W.T_MARK, now_us(), self.w.string(text))
        except Exception:
            self.error("mark")

    # -- one trace after another (the pytest plugin) ------------------------
    def restart(self, path, header):
        """Go on recording into a new trace at `path`: the ids, tables and
        caches start afresh (in place: the tracer's and the hooks' closures
        hold them), and greenlets and objects met before are described again
        at their next sight."""
        self.w.rotate(path, header)
        self.header = header
        for table in (self.gkind, self.hubs, self.unnamed, self.started, self.names, self.funcs, self.blocked,
                      self.waiters, self.last_waker, self.block_reasons, self._fids, self.unseen_ends):
            table.clear()
        self.greenlets.reset()
        self.objects.reset()
        self.state.forget_ids()
        self.waits.forget()
        self.switches = 0
        main = getattr(self, "main_greenlet", None)
        if main is not None:
            self.current = self.gid(main)

    def end_trace(self, code):
        """The end record of the current trace; recording goes on (restart)."""
        try:
            observe.at_end(self)
            w = self.w
            w.event(W.T_END, now_us(), W.zigzag(code), self.switches, w.errors)
            w.flush()
        except Exception:
            self.error("end")

    def finish(self, code, note=None):
        """The program is over: main's exit, the end record, the last flush.
        A recording that ended early gets a note saying why (best effort: its
        file had failed)."""
        if self.finished or (not self.enabled and self.stopped_by is None):
            return
        self.finished = True
        self.enabled = False
        try:
            t = now_us()
            main = self.greenlets.ids.get(id(self.main_greenlet)) if getattr(self, "main_greenlet", None) else None
            w = self.w
            why = self.stopped_by or w.file_error
            for text in ((note,) if note else ()) + (("recording stopped early: " + why,) if why else ()):
                w.strings_event(W.T_ERROR, t, (), (text,))
                w.errors += 1
            if main is not None:
                flags = EXIT_STARTED | EXIT_READY | (0 if self.main_failed else EXIT_SUCCESSFUL)
                w.event(W.T_EXIT, t, main, flags, 0, 0)
            observe.at_end(self)
            w.event(W.T_END, t, W.zigzag(code), self.switches, w.errors)
        finally:
            self.w.close()
