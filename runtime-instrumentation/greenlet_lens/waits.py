"""Why a suspended greenlet waits, and where: one walk over its frames.

The walk gives the stack (innermost first, this runtime's frames left out),
the site (the innermost frame of the program's own code), and the reason:
from gevent's own Python frames when there are any, otherwise from what the
site's bytecode is calling (see callsite.py).
"""
from . import callsite, compat, frames
from .registry import QUEUE_KINDS, EVENT, RESULT, LOCK_KINDS, CHANNEL

_USER, _OURS, _GEVENT = frames.USER, frames.OURS, frames.GEVENT
_classify = frames.code_class
_IO_CALLS = frozenset(("select", "recv", "recv_into", "recvfrom", "accept", "connect", "sendall",
                       "send", "read", "readline", "wait_read", "wait_write"))
_MISSING = object()
_JOIN_CALLS = frozenset(("join", "joinall", "killall", "kill", "iwait"))
_MODULE = type(frames)


def _by_name(name, gevent_wait):
    """The reason of a call on none of the recorded kinds, by its name."""
    if name in _JOIN_CALLS or (name == "wait" and gevent_wait):
        return frames.R_JOIN
    if name == "sleep":
        return frames.R_SLEEP
    if name in _IO_CALLS:
        return frames.R_IO
    return frames.R_OTHER


class WaitInspector(object):
    def __init__(self, rec):
        self.rec = rec
        self.depth = rec.depth
        # id(code) -> [code, class, {lasti: frame id}, {lasti: call analysis},
        # gevent wait reason or None]. Keyed by id: hashing a code object
        # hashes its constants (a module's holds all its functions' code) on
        # every lookup. The entry holds the code, so the id is not reused
        # while it is cached. The compiled core reads these entries in place.
        self._codes = {}
        self._nlines = 0  # frame ids cached over all codes (bounded)
        self._greenlet_type = compat._greenlet_mod.greenlet
        self._gevent = compat.gevent
        self._calls = {}  # (receiver type, method) -> (reason, okind) for waits on recorded objects
        self._object_ids = rec.objects.ids

    def forget(self):
        """A new trace: the cached frame ids belong to the old one."""
        self._codes.clear()
        self._nlines = 0

    def _code(self, code):
        e = self._codes.get(id(code))
        if e is None or e[0] is not code:
            c = _classify(code)
            e = [code, c, {}, {}, frames.gevent_wait(code) if c == _GEVENT else None]
            if len(self._codes) < 100_000:
                self._codes[id(code)] = e
        return e

    def _line(self, f, e):
        """The frame id of f at its current instruction, e its code's entry."""
        fid = self.rec.fid(e[0], f.f_lineno)
        if self._nlines < 200_000:
            self._nlines += 1
            e[2][f.f_lasti] = fid
        return fid

    def frame_id(self, f, code):
        e = self._code(code)
        fid = e[2].get(f.f_lasti)
        return fid if fid is not None else self._line(f, e)

    def walk(self, frame, limit=64):
        """(site fid, stack id): where the program's own code is, and the stack
        (a spawn's or a call site's; a block's is wait_info's, which also reads
        why it waits)."""
        stack = []
        site = 0
        have_site = False
        depth = self.depth
        codes = self._codes
        f = frame
        n = 0
        while f is not None and n < limit:
            code = f.f_code
            e = codes.get(id(code))
            if e is None or e[0] is not code:
                e = self._code(code)
            c = e[1]
            if c != _OURS:
                if len(stack) < depth:
                    fid = e[2].get(f.f_lasti)
                    if fid is None:
                        fid = self._line(f, e)
                    stack.append(fid)
                    if c == _USER and not have_site:
                        site = fid
                        have_site = True
                elif have_site:
                    break
                elif c == _USER:
                    site = e[2].get(f.f_lasti)
                    if site is None:
                        site = self._line(f, e)
                    break
            f = f.f_back
            n += 1
        return site, self.rec.w.stack(tuple(stack))

    def wait_info(self, frame, waiter):
        """(reason, obj id, timeout seconds or None, site fid, stack id).

        Runs on every block: walk() inlined, plus the reason read from gevent's frames, and the call
        analysis and its classification looked up in caches."""
        stack = []
        site = 0
        site_frame = None
        site_entry = None
        reason = None
        rframe = None
        depth = self.depth
        codes = self._codes
        f = frame
        n = 0
        while f is not None and n < 64:
            code = f.f_code
            e = codes.get(id(code))
            if e is None or e[0] is not code:
                e = self._code(code)
            c = e[1]
            if c != _OURS:
                if reason is None and site_frame is None and e[4] is not None:
                    reason = e[4]
                    rframe = f
                if len(stack) < depth:
                    fid = e[2].get(f.f_lasti)
                    if fid is None:
                        fid = self._line(f, e)
                    stack.append(fid)
                    if c == _USER and site_frame is None:
                        site_frame = f
                        site = fid
                        site_entry = e
                elif site_frame is not None:
                    break
                elif c == _USER:
                    site_frame = f
                    site_entry = e
                    site = e[2].get(f.f_lasti)
                    if site is None:
                        site = self._line(f, e)
                    break
            f = f.f_back
            n += 1
        stack = self.rec.w.stack(tuple(stack))
        reason, obj, timeout = self.settle(reason, rframe, site_frame, site_entry, site, waiter)
        return reason, obj, timeout, site, stack

    def settle(self, reason, rframe, site_frame, site_entry, site, waiter):
        """(reason, obj id, timeout or None) of a wait, once the walk found the
        gevent frame giving its reason (rframe) or the program's frame it
        waits in (site_frame, its code's entry site_entry). The compiled core
        calls it where its own fast path (a cached call on a known object)
        does not apply."""
        obj = 0
        timeout = None
        if reason is not None:
            loc = rframe.f_locals
            if reason == frames.R_SLEEP:
                timeout = loc.get("seconds")
            else:
                # The gevent function's own parameter (Queue.get, Event.wait,
                # acquire, join...): where gevent's frames are Python's, the
                # program's call is not analysed, and this is its timeout.
                timeout = loc.get("timeout")
                target = loc.get("self")
                if target is not None:
                    obj = self._target_id(target, reason, site, waiter)
        elif site_frame is not None:
            lasti = site_frame.f_lasti
            call = site_entry[3].get(lasti, _MISSING)
            if call is _MISSING:
                call = callsite.call_at(site_frame)
                if len(site_entry[3]) < 1000:
                    site_entry[3][lasti] = call
            if call is not None:
                name, chain, timeout = call
                target = callsite.resolve(site_frame, chain) if chain else None
                if target is not None:
                    hit = self._calls.get((type(target), name))
                    if hit is not None:
                        # A queue/event/result/lock call: (reason, okind);
                        # okind 0: a call told by its name alone (gevent.sleep).
                        reason = hit[0]
                        obj = self._object_ids.get(id(target)) if hit[1] else 0
                        if obj is None:
                            obj = self.rec.oid(target, hit[1], site, waiter)
                    else:
                        reason, obj = self._classify_call(name, target, site, waiter)
                else:
                    reason, obj = self._classify_call(name, target, site, waiter)
        if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool)):
            timeout = None
        return (reason if reason is not None else frames.R_OTHER), obj, timeout

    def _target_id(self, target, reason, site, waiter):
        rec = self.rec
        k = rec.kinds.kind(type(target))
        if k:
            return rec.oid(target, k, site, waiter)
        if reason == frames.R_JOIN and isinstance(target, self._greenlet_type):
            return rec.gid(target)
        return 0

    def _classify_call(self, name, recv, site, waiter):
        rec = self.rec
        if recv is not None:
            k = rec.kinds.kind(type(recv))
            r = None
            if k in QUEUE_KINDS or k == CHANNEL:
                if name == "put":
                    r = frames.R_QPUT
                elif name in ("get", "peek"):
                    r = frames.R_QGET
                elif name == "join":
                    return frames.R_JOIN, 0  # JoinableQueue.join waits for task_done()
            elif k == EVENT:
                r = frames.R_EVENT
            elif k == RESULT:
                r = frames.R_RESULT
            elif k in LOCK_KINDS:
                r = frames.R_LOCK
            if r is not None:
                if len(self._calls) < 10_000:
                    self._calls[(type(recv), name)] = (r, k)
                return r, rec.oid(recv, k, site, waiter)
            if isinstance(recv, self._greenlet_type) and name in ("join", "get", "kill"):
                return frames.R_JOIN, rec.gid(recv)
        r = _by_name(name, recv is not None and recv is self._gevent)
        # Told by the name alone whatever the receiver of this type (but
        # gevent's own wait(), a module's): cached with okind 0, no object.
        if recv is not None and not (name == "wait" and isinstance(recv, _MODULE)) and len(self._calls) < 10_000:
            self._calls[(type(recv), name)] = (r, 0)
        return r, 0
