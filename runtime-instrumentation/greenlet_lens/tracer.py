"""The greenlet switch tracer.

Nearly every switch in a gevent program is a greenlet blocking (switching
into the hub) or being resumed (the hub switching into it); the closure built
here handles those with local lookups only and leaves first sights, deaths
and naming to the slower methods below.
"""
import time

from . import compat, frames, observe, reprs
from . import writer as W
from ._schema import G_GEVENT, EXIT_STARTED, EXIT_READY, EXIT_SUCCESSFUL, EXIT_KILLED
from .state import hook_wanted

_mono_ns = time.monotonic_ns


def make_tracer(rec, fast=True):
    """The greenlet trace callback for rec (pure Python). With fast=False every
    switch takes the slow path (the methods below): the equivalence tests
    record both ways and compare."""
    st = rec.state
    ids = st.ids
    hubs = st.hubs
    blocked = st.blocked
    block_reasons = st.block_reasons
    waiters = st.waiters
    last_waker = st.last_waker
    started = st.started
    unnamed = st.unnamed
    enc = rec.w.enc
    event2 = enc.event2
    block_switch = enc.block_switch
    ready_switch = enc.ready_switch
    wait_info = rec.waits.wait_info
    slow = rec._switch_slow
    interrupt = compat.interrupt_main
    t_switch, t_throw = W.T_SWITCH, W.T_THROW
    r_event, r_result = frames.R_EVENT, frames.R_RESULT

    def trace(event, args):
        if st.enabled and (event == "switch" or event == "throw"):
            try:
                origin, target = args
                o = ids.get(id(origin))
                t = ids.get(id(target))
                if not fast or o is None or t is None or o in unnamed or t not in started or origin.dead:
                    slow(event, origin, target, o, t)
                else:
                    now = _mono_ns() // 1000
                    tag = t_switch if event == "switch" else t_throw
                    if t in hubs:
                        if o not in hubs:
                            # SwitchMixin._block, inlined.
                            reason, obj, timeout, site, stack = wait_info(origin.gr_frame, o)
                            blocked[o] = obj
                            block_reasons[o] = reason
                            if obj and (reason == r_event or reason == r_result):
                                waiters.setdefault(obj, []).append(o)
                            tfield = 0 if timeout is None else int(max(timeout, 0) * 1e6) + 1
                            block_switch(now, o, reason, obj, tfield, site, stack, tag, t)
                        else:
                            event2(tag, now, o, t)
                    elif t in blocked:
                        # SwitchMixin._resumed, inlined.
                        obj = blocked.pop(t)
                        # A throw (Timeout, kill) comes from the loop, not from the object's last user.
                        if obj:
                            by = o if tag == t_throw else last_waker.get(obj, o)
                            ws = waiters.get(obj)
                            if ws and t in ws:
                                ws.remove(t)
                        else:
                            by = o
                        ready_switch(now, t, by, tag, o)
                    else:
                        event2(tag, now, o, t)
                    st.switches += 1
                    st.current = t
                    st.last_switch_us = now
                    hook = st.switch_hook
                    # state.hook_wanted, inlined.
                    if hook is not None and (st.hook_all or tag == t_throw or t == st.hook_target):
                        hook(event, origin, o, t)
            except KeyboardInterrupt:
                # Raised here it would kill the target greenlet and remove the
                # tracer; delivered again it lands where it would have.
                interrupt()
            except Exception as e:
                rec.error("switch", e)
        prev = st.prev_tracer
        if prev is not None:
            prev(event, args)

    return trace


class SwitchMixin(object):
    """The Recorder's methods the tracer calls."""

    def _switch_slow(self, event, origin, target, o, t):
        if o is None:
            o = self._first_sight(origin, 0)
        if t is None:
            t = self._first_sight(target, o)
        now = _mono_ns() // 1000
        thrown = event == "throw"
        if origin.dead:
            self._exited(origin, o, now, thrown)
        else:
            if o in self.unnamed:
                self._name_from_frames(origin, o, now)
            if t in self.hubs and o not in self.hubs:
                self._block(origin, o, now)
        if t in self.blocked:
            self._resumed(t, o, now, thrown)
        if t not in self.started:
            self.started.add(t)
            self._check_name(target, t, now)
        self.w.event2(W.T_THROW if thrown else W.T_SWITCH, now, o, t)
        st = self.state
        st.switches += 1
        st.current = t
        st.last_switch_us = now
        hook = st.switch_hook
        if hook is not None and hook_wanted(st, thrown, t):
            hook(event, origin, o, t)

    def _name_from_frames(self, g, n, now):
        """A plain greenlet's ``run`` is gone once it starts, so the first time it
        switches out, its outermost frame says what it runs."""
        self.name_from_stack(n, g.gr_frame, now)

    def name_from_stack(self, n, f, now):
        """Names plain greenlet n from f's outermost frame (its stack, suspended
        or, at a debugger's stop, running)."""
        self.unnamed.discard(n)
        if not compat.FULL_GREENLET_STACKS:
            return
        while f is not None and f.f_back is not None:
            f = f.f_back
        if f is not None:
            code = f.f_code
            name = reprs.bounded_name(getattr(code, "co_qualname", code.co_name))
            self.names[n] = name
            self.w.event(W.T_RENAME, now, n, self.w.string(name))

    def _check_name(self, g, n, now):
        if self.gkind.get(n) == G_GEVENT:
            name = reprs.bounded_name(compat.explicit_name(g))
            if name != self.names.get(n, ""):
                self.names[n] = name
                self.w.event(W.T_RENAME, now, n, self.w.string(name))

    def _exited(self, g, n, now, raised):
        self._check_name(g, n, now)
        value = error = None
        flags = EXIT_STARTED | EXIT_READY
        if self.gkind.get(n) == G_GEVENT:
            value, error = g.value, g.exception
            if g.successful():
                flags |= EXIT_SUCCESSFUL
            if value is not None and isinstance(value, self._exit_cls):
                flags |= EXIT_KILLED
        elif raised:
            from . import rawexc
            rawexc.catch_in_parent(self, n)
        else:
            flags |= EXIT_SUCCESSFUL
        self.blocked.pop(n, None)
        w = self.w
        w.event(W.T_EXIT, now, n, flags,
                w.string("" if value is None else reprs.safe_repr(value)),
                w.string("" if error is None else reprs.safe_repr(error)))
        if self.gkind.get(n) == G_GEVENT:
            observe.at_death(self, g, n, value is not None or error is not None)
        # Nothing more happens to a dead greenlet: what is kept about it goes,
        # so a program that runs a million short greenlets keeps a flat size.
        self.block_reasons.pop(n, None)
        self.gkind.pop(n, None)
        self.names.pop(n, None)
        self.funcs.pop(n, None)
        self.started.discard(n)

    def _block(self, g, n, now):
        reason, obj, timeout, site, stack = self.waits.wait_info(g.gr_frame, n)
        self.blocked[n] = obj
        self.block_reasons[n] = reason
        if obj and (reason == frames.R_EVENT or reason == frames.R_RESULT):
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
