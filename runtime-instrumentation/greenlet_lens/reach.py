"""Which blocked greenlets nothing can wake, proven from the live program the
way Go's goroutine leak profile uses its collector.

Answered on the control thread while the program is stopped (requests.py),
with gc.get_referents only: no program code runs. A greenlet waiting on an
object (a queue, an event, a result, a lock) can be woken only by code that
runs: a greenlet that is not itself such a waiter, or a callback or timer of
the hub. What that code can reach is its frames' variables, what a greenlet
not yet started will be called with, the hub's callbacks and the active
watchers' callbacks, and, while anything can run at all, every module's
globals. A waiter whose object that does not reach can never be woken; one
whose object it reaches might be, and its own frames then count too (it may
run once woken), until nothing changes.

Greenlets are not looked into (their frames are added as roots when they can
run): the hub holds the main greenlet as its parent, which must not make
main's variables reachable. A greenlet object reached (other than main and
the hub) counts as able to wake its waiter: whoever holds it can kill it.
This runtime's own objects are never looked into.
"""
import gc
import sys
import time
import types

from . import compat

MAX_OBJECTS = 2_000_000
MAX_SECONDS = 2.0
_OURS = __name__.rsplit(".", 1)[0]


_TYPE_DICT = type.__dict__["__dict__"]


def _module_of(tp):
    """A class's __module__ read from its own namespace: a metaclass's
    property would be program code."""
    try:
        m = _TYPE_DICT.__get__(tp, type).get("__module__")
    except Exception:
        return ""
    return m if type(m) is str else ""


def _ours(o):
    tp = type(o)
    if tp is types.FunctionType:
        m = o.__module__
        return type(m) is str and m.startswith(_OURS)
    return _module_of(tp).startswith(_OURS)


class _Walk(object):
    def __init__(self, greenlet_type, skip):
        self.seen = set()
        self.stack = []
        self.greenlet_type = greenlet_type
        self.skip = skip          # ids never looked into (main, hub)
        self.greenlets = set()    # ids of greenlet objects reached
        self.count = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def add(self, o):
        i = id(o)
        if i not in self.seen:
            self.seen.add(i)
            self.stack.append(o)

    def add_frames(self, frame_list):
        for f in frame_list:
            try:
                for v in f.f_locals.values():
                    self.add(v)
            except Exception:
                pass

    def run(self):
        """Walks from what was added; False when it ran out of time or objects."""
        stack = self.stack
        while stack:
            o = stack.pop()
            self.count += 1
            if self.count > MAX_OBJECTS or (self.count & 0xFFF == 0 and time.monotonic() > self.deadline):
                return False
            if isinstance(o, self.greenlet_type):
                if id(o) not in self.skip:
                    self.greenlets.add(id(o))
                continue
            if type(o) is types.FrameType:
                self.add_frames((o,))
                continue
            if type(o) is types.ModuleType or _ours(o):
                continue
            for r in gc.get_referents(o):
                i = id(r)
                if i not in self.seen:
                    self.seen.add(i)
                    stack.append(r)
        return True


def _watcher_callbacks():
    """Callbacks (and their arguments) of the loop's active watchers: timers,
    I/O, Timeouts. Found among all objects by type, which is the only way to
    see watchers gevent's C loop keeps."""
    out = []
    for o in gc.get_objects():
        mod = _module_of(type(o))
        if not (mod.startswith("gevent.libev") or mod.startswith("gevent.libuv") or mod.startswith("gevent._ffi")):
            continue
        try:
            if not o.active:
                continue
            out.append(o.callback)
            out.append(o.args)
        except Exception:
            continue
    return out


def prove(dbg, waits):
    """waits: [{"g": id, "obj": id}]; returns [{"g", "obj", "reachable"}] with
    reachable True, False (proven: nothing that can run reaches it) or None
    (not known: the object is gone, or the walk ran out of time)."""
    rec = dbg.rec
    state = dbg.state
    greenlet_type = compat._greenlet_mod.greenlet
    asked = {}
    for w in waits:
        g, obj = int(w["g"]), int(w["obj"])
        target = rec.objects.object_of(obj)
        if target is not None and rec.greenlets.object_of(g) is not None:
            asked[g] = (obj, target)
    hubs = [rec.greenlets.object_of(h) for h in rec.hubs]
    main = getattr(rec, "main_greenlet", None)
    skip = set(id(h) for h in hubs if h is not None)
    if main is not None:
        skip.add(id(main))
    walk = _Walk(greenlet_type, skip)
    for o in (rec, dbg, state, sys._getframe()):
        walk.seen.add(id(o))

    def frames_of(n):
        return [f for f, _line in state._frames_of(n)] if state is not None else []

    active = 0
    started = greenlet_type.__bool__  # the base class's: a subclass's own __bool__ is program code
    for n, ref in list(rec.greenlets.by_id.items()):
        g = ref()
        if g is None or n in asked or n in rec.hubs or greenlet_type.dead.__get__(g):
            continue
        active += 1
        walk.add_frames(frames_of(n))
        if not started(g):  # not started yet: what it will run with
            for part in (compat.run_callable(g), _field(g, "args"), _field(g, "kwargs"), _field(g, "__dict__")):
                if part is not None:
                    walk.add(part)
    for hub in hubs:
        loop = getattr(hub, "loop", None) if hub is not None else None
        if loop is not None:
            for r in gc.get_referents(loop):
                walk.add(r)
    for c in _watcher_callbacks():
        active += 1
        walk.add(c)
    if active:
        # Anything that runs can reach every module's globals.
        for name, mod in list(sys.modules.items()):
            if mod is not None and not name.startswith(_OURS):
                d = getattr(mod, "__dict__", None)
                if type(d) is dict:
                    walk.add(d)

    complete = walk.run()
    waiting = dict(asked)
    changed = True
    while complete and changed:
        changed = False
        for g, (obj, target) in list(waiting.items()):
            me = rec.greenlets.object_of(g)
            if id(target) in walk.seen or (me is not None and id(me) in walk.greenlets):
                del waiting[g]
                walk.add_frames(frames_of(g))
                changed = True
        if changed:
            complete = walk.run()
    out = []
    for w in waits:
        g, obj = int(w["g"]), int(w["obj"])
        if g not in asked or asked[g][0] != obj or not complete:
            reachable = None
        else:
            reachable = g not in waiting
        out.append({"g": g, "obj": obj, "reachable": reachable})
    return out


def _field(g, name):
    try:
        return object.__getattribute__(g, name)
    except Exception:
        return None
