"""The recorder: turns greenlet switches and gevent hooks into trace events.

Every entry point is guarded: nothing raised here may reach the program (a
greenlet trace callback that raises kills the greenlet it runs in). Nothing
here switches greenlets, does gevent I/O or calls program code.
"""
import sys
import time

from . import callsite, compat, frames, reprs
from . import writer as W
from .registry import IdMap, QUEUE_KINDS, EVENT, RESULT, LOCK_KINDS, CHANNEL

G_MAIN, G_HUB, G_GEVENT, G_GREENLET = 0, 1, 2, 3
_mono_ns = time.monotonic_ns
MAX_ERROR_RECORDS = 100


def now_us():
    return _mono_ns() // 1000


class Recorder(object):
    def __init__(self, writer, kinds, stack_depth=8):
        self.w = writer
        self.kinds = kinds
        self.depth = stack_depth
        self.enabled = True
        self.greenlets = IdMap()
        self.objects = IdMap()
        self.gkind = {}
        self.hubs = set()
        self.unnamed = set()    # plain greenlets whose function is not known yet
        self.started = set()
        self.names = {}
        self.blocked = {}       # gid -> obj id (0 if none) while blocked
        self.waiters = {}       # obj id -> [gid] for waits a set() ends
        self.last_waker = {}    # obj id -> gid of the last greenlet that changed it
        self.switches = 0
        self.prev_tracer = None
        self.main_ident = compat.main_thread_ident()
        self._get_ident = compat.original("_thread", "get_ident", None) or __import__("_thread").get_ident
        self._fids = {}
        self._hub_cls = compat.hub_class()
        self._gevent_greenlet = compat.greenlet_class()
        self._exit_cls = compat.greenlet_exit()
        self._gevent_mod = compat.gevent
        self.exit_code = 0
        self.main_failed = False
        self.current = 1  # the running greenlet's id, kept by the tracer

    # -- plumbing --------------------------------------------------------
    def on_main_thread(self):
        return self.enabled and self._get_ident() == self.main_ident

    def error(self, where):
        """A hook failed: counted, and written while there are few."""
        self.w.errors += 1
        if self.w.errors <= MAX_ERROR_RECORDS:
            try:
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

    def site_and_stack(self, frame, limit=64):
        """(site frame id, stack id, site frame) for the frames from frame outwards."""
        stack = []
        site = 0
        site_frame = None
        f = frame
        n = 0
        while f is not None and n < limit:
            code = f.f_code
            c = frames.code_class(code)
            if c != frames.OURS:
                if len(stack) < self.depth:
                    fid = self.fid(code, f.f_lineno)
                    stack.append(fid)
                elif site_frame is not None:
                    break
                if c == frames.USER and site_frame is None:
                    site_frame = f
                    site = stack[-1] if len(stack) <= self.depth and stack else self.fid(code, f.f_lineno)
            f = f.f_back
            n += 1
        return site, self.w.stack(tuple(stack)), site_frame

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
            name = name or compat.explicit_name(g)
            func = func or reprs.callable_name(compat.run_callable(g))
        else:
            kind = G_GREENLET
            self.unnamed.add(n)
        self.gkind[n] = kind
        self.names[n] = name
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
            site, stack, _ = self.site_and_stack(sys._getframe(1))
            name = compat.explicit_name(g)
            func = reprs.callable_name(compat.run_callable(g))
            n = self.greenlets.add(g)
            self.gkind[n] = G_GEVENT
            self.names[n] = name
            t = now_us()
            ids = (self.w.string(name), self.w.string(func))
            self.w.event(W.T_SPAWN, t, n, parent, G_GEVENT, ids[0], ids[1], site, stack)
            self.w.event(W.T_READY, t, n, parent)
        except Exception:
            self.error("spawn")

    # -- the switch tracer -----------------------------------------------
    def trace(self, event, args):
        if self.enabled:
            try:
                self._switch(event, args)
            except Exception:
                self.error("switch")
        prev = self.prev_tracer
        if prev is not None:
            prev(event, args)

    def _switch(self, event, args):
        origin, target = args
        ids = self.greenlets.ids
        o = ids.get(id(origin))
        if o is None:
            o = self._first_sight(origin, 0)
        t = ids.get(id(target))
        if t is None:
            t = self._first_sight(target, o)
        now = _mono_ns() // 1000
        if origin.dead:
            self._exited(origin, o, now, event == "throw")
        else:
            if o in self.unnamed:
                self._name_from_frames(origin, o, now)
            if t in self.hubs and o not in self.hubs:
                self._block(origin, o, now)
        if t in self.blocked:
            self._resumed(t, o, now, event == "throw")
        if t not in self.started:
            self.started.add(t)
            self._check_name(target, t, now)
        self.w.switch(now, W.T_THROW if event == "throw" else W.T_SWITCH, o, t)
        self.switches += 1
        self.current = t

    def _name_from_frames(self, g, n, now):
        """A plain greenlet's ``run`` is gone once it starts, so the first time it
        switches out, its outermost frame says what it runs."""
        self.unnamed.discard(n)
        f = g.gr_frame
        while f is not None and f.f_back is not None:
            f = f.f_back
        if f is not None:
            code = f.f_code
            name = getattr(code, "co_qualname", code.co_name)
            self.names[n] = name
            self.w.event(W.T_RENAME, now, n, self.w.string(name))

    def _check_name(self, g, n, now):
        if self.gkind.get(n) == G_GEVENT:
            name = compat.explicit_name(g)
            if name != self.names.get(n, ""):
                self.names[n] = name
                self.w.event(W.T_RENAME, now, n, self.w.string(name))

    def _exited(self, g, n, now, raised):
        self._check_name(g, n, now)
        value = error = None
        flags = 1 | 2
        if self.gkind.get(n) == G_GEVENT:
            value, error = g.value, g.exception
            if g.successful():
                flags |= 4
            if value is not None and isinstance(value, self._exit_cls):
                flags |= 8
        elif raised:
            self._raw_failure(n)
        else:
            flags |= 4
        self.blocked.pop(n, None)
        w = self.w
        w.event(W.T_EXIT, now, n, flags,
                w.string("" if value is None else reprs.safe_repr(value)),
                w.string("" if error is None else reprs.safe_repr(error)))

    def _raw_failure(self, n):
        """A plain greenlet died raising: the exception reaches its parent only
        after this callback, so catch it there with a one-shot frame tracer."""
        from . import rawexc
        rawexc.catch_in_parent(self, n)

    def _block(self, g, n, now):
        reason, obj, timeout, site, stack = self.wait_info(g.gr_frame, n)
        self.blocked[n] = obj
        if obj and reason in (frames.R_EVENT, frames.R_RESULT):
            self.waiters.setdefault(obj, []).append(n)
        tfield = 0 if timeout is None else int(max(timeout, 0) * 1e6) + 1
        self.w.event(W.T_BLOCK, now, n, reason, obj, tfield, site, stack)

    def _resumed(self, t, by_default, now, thrown):
        obj = self.blocked.pop(t)
        # A throw (Timeout, kill) comes from the loop, not from the object's last user.
        by = self.last_waker.get(obj, by_default) if obj and not thrown else by_default
        if obj:
            ws = self.waiters.get(obj)
            if ws and t in ws:
                ws.remove(t)
        self.w.event2(W.T_READY, now, t, by)

    def wait_info(self, frame, waiter):
        """(reason, obj id, timeout seconds or None, site fid, stack id) of a suspended frame."""
        reason = None
        target = None
        timeout = None
        f = frame
        n = 0
        # gevent's own Python frames, innermost first, say why it waits.
        while f is not None and n < 16:
            code = f.f_code
            c = frames.code_class(code)
            if c == frames.GEVENT:
                r = frames.gevent_wait(code)
                if r is not None:
                    reason = r
                    loc = f.f_locals
                    if r == frames.R_SLEEP:
                        timeout = loc.get("seconds")
                    else:
                        target = loc.get("self")
                    break
            elif c == frames.USER:
                break
            f = f.f_back
            n += 1
        site, stack, site_frame = self.site_and_stack(frame)
        obj = 0
        if reason is None and site_frame is not None:
            call = callsite.call_at(site_frame)
            if call is not None:
                name, chain, timeout = call
                target = callsite.resolve(site_frame, chain) if chain else None
                reason, obj = self._classify_call(name, target, site, waiter)
        elif target is not None:
            obj = self._target_id(target, reason, site, waiter)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
            timeout = None
        return (reason if reason is not None else frames.R_OTHER), obj, timeout, site, stack

    def _target_id(self, target, reason, site, waiter):
        k = self.kinds.kind(type(target))
        if k:
            return self.oid(target, k, site, waiter)
        if reason == frames.R_JOIN and isinstance(target, compat._greenlet_mod.greenlet):
            return self.gid(target)
        return 0

    def _classify_call(self, name, recv, site, waiter):
        if recv is not None:
            k = self.kinds.kind(type(recv))
            if k in QUEUE_KINDS or k == CHANNEL:
                r = frames.R_QPUT if name in ("put", "put_nowait") else frames.R_QGET
            elif k == EVENT:
                r = frames.R_EVENT
            elif k == RESULT:
                r = frames.R_RESULT
            elif k in LOCK_KINDS:
                r = frames.R_LOCK
            else:
                r = None
            if r is not None:
                return r, self.oid(recv, k, site, waiter)
            if isinstance(recv, compat._greenlet_mod.greenlet) and name in ("join", "get", "kill"):
                return frames.R_JOIN, self.gid(recv)
        if name in ("join", "joinall", "killall", "kill", "iwait") or (name == "wait" and recv is self._gevent_mod and recv is not None):
            return frames.R_JOIN, 0
        if name == "sleep":
            return frames.R_SLEEP, 0
        if name in ("select", "recv", "recv_into", "recvfrom", "accept", "connect", "sendall",
                    "send", "read", "readline", "wait_read", "wait_write"):
            return frames.R_IO, 0
        return frames.R_OTHER, 0

    # -- queues, events, locks -------------------------------------------
    def oid(self, obj, okind, site=0, by=None):
        n = self.objects.get(obj)
        if n is not None:
            return n
        n = self.objects.add(obj)
        w = self.w
        t = now_us()
        cap = 0
        if okind in QUEUE_KINDS:
            m = compat.queue_maxsize(obj)
            cap = m + 1 if m else 0
        elif okind in LOCK_KINDS:
            v = compat.semaphore_capacity(obj)
            cap = v + 1 if v is not None else 0
        if by is None:
            by = self.gid(compat.getcurrent())
        w.event(W.T_OBJECT, t, n, okind, cap, w.string(type(obj).__name__), site, by)
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
        return n

    def caller_site(self):
        try:
            return self.site_and_stack(sys._getframe(2), limit=32)[0]
        except Exception:
            return 0

    def first_sight(self, q, okind):
        if self.on_main_thread():
            try:
                self.oid(q, okind, self.caller_site())
            except Exception:
                self.error("queue")

    def queue_op(self, q, okind, tag, item):
        # The hottest hook after the tracer: everything inlined.
        if not self.enabled or self._get_ident() != self.main_ident:
            return
        try:
            n = self.objects.ids.get(id(q))
            if n is None:
                n = self.oid(q, okind, self.caller_site())
            self.last_waker[n] = self.current
            tp = type(item)
            if tp is int or tp is str and len(item) < 40 and "0x" not in item:
                r = repr(item)
            else:
                r = reprs.safe_repr(item)
            w = self.w
            sid = w._strings.get(r)
            if sid is None:
                sid = w.string(r)
            w.event2(tag, _mono_ns() // 1000, n, sid)
        except Exception:
            self.error("queue")

    def event_op(self, ev, okind, tag, payload=None):
        """set / setexc / clear; a set makes every waiter runnable at once."""
        if not self.on_main_thread():
            return
        try:
            n = self.objects.get(ev) or self.oid(ev, okind, self.caller_site())
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

    def lock_op(self, lock, okind, tag):
        if not self.on_main_thread():
            return
        try:
            n = self.objects.get(lock) or self.oid(lock, okind, self.caller_site())
            me = self.current
            self.last_waker[n] = me
            self.w.event(tag, now_us(), n, me)
        except Exception:
            self.error("lock")

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
            self.w.event(W.T_MARK, now_us(), self.w.string(str(label) if isinstance(label, str) else reprs.safe_repr(label)))
        except Exception:
            self.error("mark")

    def finish(self, code):
        """The program is over: main's exit, the end record, the last flush."""
        if not self.enabled:
            return
        self.enabled = False
        try:
            t = now_us()
            main = self.greenlets.ids.get(id(self.main_greenlet)) if getattr(self, "main_greenlet", None) else None
            w = self.w
            if main is not None:
                flags = 1 | 2 | (0 if self.main_failed else 4)
                w.event(W.T_EXIT, t, main, flags, 0, 0)
            w.event(W.T_END, t, W.zigzag(code), self.switches, w.errors)
        finally:
            self.w.close()
