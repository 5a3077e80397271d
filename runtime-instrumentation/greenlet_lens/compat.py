"""Everything that differs between Python, greenlet and gevent versions.

Checked against gevent 22.10 (Debian, Cython build) and the current gevent
sources (25.x/26.x: ``Queue`` became the joinable queue and ``SimpleQueue``
the old one; ``queue``/``getters``/``putters`` kept their names), greenlet 2
and 3 (``settrace`` unchanged). Nothing else in the runtime names a version.
"""
import os
import sys
import types

from . import _schema as S
# Why greenlet or gevent could not be imported (the exception's last line), for the probe.
IMPORT_ERRORS = {}


def _why(e):
    return "%s: %s" % (type(e).__name__, e)


try:
    import greenlet as _greenlet_mod
    from greenlet import getcurrent, settrace, gettrace
    GREENLET_VERSION = getattr(_greenlet_mod, "__version__", "?")
except ImportError as e:  # reported by __main__ before anything needs it
    _greenlet_mod = None
    GREENLET_VERSION = None
    IMPORT_ERRORS["greenlet"] = _why(e)

gevent = None
if _greenlet_mod is not None:
    try:
        import gevent  # noqa: F811  (importing gevent does not create a hub or patch anything)
    except ImportError as e:
        IMPORT_ERRORS["gevent"] = _why(e)


def _monkey():
    if gevent is None:
        return None
    try:
        from gevent import monkey
        return monkey
    except ImportError:  # pragma: no cover
        return None


def original(module, name, default):
    """The unpatched object even after gevent.monkey.patch_all() ran."""
    monkey = _monkey()
    if monkey is not None:
        try:
            return monkey.get_original(module, name)
        except Exception:
            pass
    return default


def original_lock():
    import _thread
    return original("_thread", "allocate_lock", _thread.allocate_lock)()


def original_sleep():
    import time
    return original("time", "sleep", time.sleep)


def start_raw_thread(fn):
    """A real OS thread that threading and gevent never hear of. Returns once
    the thread runs: one still starting when the main thread finalizes the
    interpreter crashes it (CPython 3.11 frees the new thread's state under
    it; seen as SIGSEGV in _PyThreadState_SetCurrent when Stop raised
    SystemExit in the program just before the runtime started a thread)."""
    import _thread
    start = original("_thread", "start_new_thread", _thread.start_new_thread)
    running = original_lock()
    running.acquire()

    def bootstrap():
        running.release()
        fn()

    ident = start(bootstrap, ())
    running.acquire(True, 5.0)
    return ident


def main_thread_ident():
    import _thread
    return original("_thread", "get_ident", _thread.get_ident)()


def thread_probes():
    """For the calling thread, two readers another thread can use: its CPU
    time in microseconds, and its scheduler state letter from /proc ('R'
    running or runnable, 'S' sleeping, ...). Either is None where the
    platform lacks it (no per-thread CPU clock, no /proc)."""
    import _thread
    import time
    cpu = state = None
    try:
        clock = time.pthread_getcpuclockid(_thread.get_ident())
        time.clock_gettime_ns(clock)

        def cpu():
            return time.clock_gettime_ns(clock) // 1000
    except (AttributeError, OSError, ValueError):
        cpu = None
    try:
        path = "/proc/self/task/%d/stat" % _thread.get_native_id()

        def state():
            with open(path, "rb") as f:
                data = f.read()
            return chr(data[data.rindex(b")") + 2])
        state()
    except (AttributeError, OSError, ValueError, IndexError):
        state = None
    return cpu, state


def versions():
    """The header's version fields."""
    info = {
        "greenlet": GREENLET_VERSION,
        "gevent": getattr(gevent, "__version__", None) if gevent else None,
        "loop": None,
        "compiled": None,
    }
    if gevent is not None:
        try:
            info["loop"] = str(gevent.config.loop.__module__ if hasattr(gevent.config.loop, "__module__") else gevent.config.loop)
        except Exception:
            info["loop"] = None
        info["compiled"] = compiled_gevent()
    return info


def loop_name(hub):
    """The loop implementation of an existing hub, e.g. 'gevent.libev.corecext'."""
    try:
        return type(hub.loop).__module__
    except Exception:
        return None


def compiled_gevent():
    if gevent is None:
        return None
    # The Cython build defines Greenlet in gevent._gevent_cgreenlet, the pure
    # build in gevent.greenlet.
    try:
        return gevent.Greenlet.__module__.startswith("gevent._gevent_c")
    except Exception:
        return None


def gevent_dir():
    if gevent is None:
        return None
    return os.path.dirname(os.path.abspath(gevent.__file__))


def greenlet_dir():
    if _greenlet_mod is None or not getattr(_greenlet_mod, "__file__", None):
        return None
    return os.path.dirname(os.path.abspath(_greenlet_mod.__file__))


def hub_class():
    if gevent is None:
        return None
    from gevent.hub import Hub
    return Hub


def greenlet_class():
    if gevent is None:
        return None
    return gevent.Greenlet


def greenlet_exit():
    return _greenlet_mod.GreenletExit


def explicit_name(g):
    """A name the program assigned (gevent's ``name`` is lazily generated and
    reading it would assign a ``minimal_ident`` as a side effect)."""
    try:
        d = object.__getattribute__(g, "__dict__")
    except Exception:
        return ""
    name = d.get("name")
    return name if isinstance(name, str) else ""


def run_callable(g):
    """What a gevent Greenlet runs (its ``_run``), without calling anything."""
    try:
        return g._run
    except Exception:
        return None


# The classes whose operations are recorded, by gevent module: (public name,
# okind, family); the family picks the hooks in gevent_hooks. gevent >= 25.4
# renamed the old Queue SimpleQueue and made Queue the joinable one, keeping
# JoinableQueue as an alias of it; 22.10's SimpleQueue is the standard
# library's, not gevent's, and is left alone.
_OBSERVED = (
    ("gevent.queue", (("Queue", S.O_QUEUE, "queue"), ("LifoQueue", S.O_LIFO, "queue"),
                      ("PriorityQueue", S.O_PRIORITY, "queue"), ("JoinableQueue", S.O_JOINABLE, "queue"),
                      ("SimpleQueue", S.O_SIMPLE, "queue"), ("Channel", S.O_CHANNEL, "channel"))),
    ("gevent.event", (("Event", S.O_EVENT, "event"), ("AsyncResult", S.O_RESULT, "result"))),
    ("gevent.lock", (("Semaphore", S.O_SEMAPHORE, "lock"), ("BoundedSemaphore", S.O_BOUNDED, "lock"),
                     ("RLock", S.O_RLOCK, "rlock"))),
)
_FAMILY_METHODS = {"queue": ("_put", "_get"), "channel": ("put", "get")}


def import_gevent_modules():
    """Imports the gevent modules whose hooks are installed, and the ones that
    bind those classes' names when imported (gevent.thread subclasses a
    Semaphore for a patched threading.Lock, gevent.pool keeps a Semaphore and
    an Event, gevent._imap an UnboundQueue): imported now, before any name is
    rebound, they keep gevent's own classes."""
    import importlib
    for name in ("gevent.queue", "gevent.event", "gevent.lock", "gevent.thread", "gevent.pool"):
        try:
            importlib.import_module(name)
        except Exception:
            pass


def observed_classes():
    """[(public name, okind, family, class)] of the gevent in use; an alias
    (JoinableQueue on gevent >= 25.4) appears under each of its names."""
    if gevent is None:
        return []
    out = []
    for modname, entries in _OBSERVED:
        mod = sys.modules.get(modname)
        for name, okind, family in entries:
            cls = getattr(mod, name, None)
            if not isinstance(cls, type) or not cls.__module__.startswith("gevent"):
                continue
            if all(hasattr(cls, m) for m in _FAMILY_METHODS.get(family, ())):
                out.append((name, okind, family, cls))
    return out


def alias_kinds(observed):
    """{class: (class, {name: okind})} for a class published under several names."""
    names = {}
    for name, okind, _family, cls in observed:
        names.setdefault(cls, {})[name] = okind
    return {cls: (cls, kinds) for cls, kinds in names.items() if len(kinds) > 1}


def public_subclasses(classes):
    """Other gevent classes in the same public modules that derive from one of
    classes (gevent.queue.UnboundQueue), so that they stay subclasses of what
    the public names are bound to."""
    known = set(classes)
    out = []
    for modname, _entries in _OBSERVED:
        mod = sys.modules.get(modname)
        for value in list(vars(mod).values()) if mod is not None else ():
            if isinstance(value, type) and value not in known and value.__module__.startswith("gevent") \
                    and not value.__name__.startswith("_") and any(b in known for b in value.__mro__[1:]):
                known.add(value)
                out.append(value)
    return sorted(out, key=lambda c: len(c.__mro__))


_HEAPTYPE, _IMMUTABLE = 1 << 9, 1 << 8


def patchable(cls):
    """A class defined in Python (gevent's pure-Python build, RLock in every
    build) whose methods can be replaced; a compiled class's cannot."""
    flags = getattr(cls, "__flags__", 0)
    return bool(flags & _HEAPTYPE) and not (sys.version_info >= (3, 10) and flags & _IMMUTABLE)


def rebind(wrappers):
    """Binds each subclass in place of its class: under every public name
    (gevent.queue, gevent.event, gevent.lock) and in the module that defines
    the class, where pickle looks a class up by its qualified name."""
    if not wrappers:
        return
    modules = [sys.modules.get(m) for m, _entries in _OBSERVED]
    modules += [sys.modules.get(cls.__module__) for cls in wrappers]
    done = set()
    for mod in modules:
        if mod is None or id(mod) in done:
            continue
        done.add(id(mod))
        for attr, value in list(vars(mod).items()):
            if isinstance(value, type) and value in wrappers:
                setattr(mod, attr, wrappers[value])


def unrecorded_subclasses():
    """Subclasses whose operations are not the program's (okind 0): the lock
    gevent.thread makes for a monkey-patched threading.Lock, used by the
    standard library everywhere. (The compiled build never reaches their
    hooks; the pure-Python build would.)"""
    try:
        import gevent.thread as t
        return [(t.LockType, 0)]
    except Exception:
        return []


def queue_items(q):
    """The items of a gevent queue in its own order, or None if unreadable."""
    try:
        return list(q.queue)
    except Exception:
        return None


def queue_maxsize(q):
    try:
        m = q.maxsize
    except Exception:
        return None
    return m if isinstance(m, int) and m > 0 else None


def event_is_set(ev):
    try:
        return bool(ev.is_set())
    except Exception:
        return False


PY_VERSION = sys.version_info


def semaphore_capacity(sem):
    """Initial value of a BoundedSemaphore, the current counter of a Semaphore, 1 for RLock."""
    for attr in ("_initial_value", "counter"):
        try:
            v = getattr(sem, attr)
        except Exception:
            continue
        if isinstance(v, int):
            return v
    return 1


def result_state(ar):
    """(True, value) or (False, exception) for a set AsyncResult, else None."""
    try:
        if not ar.ready():
            return None
        if ar.successful():
            return True, ar.value
        return False, ar.exception
    except Exception:
        return None


def extra_kinds():
    """Classes recognised when something waits on them, but not recorded."""
    try:
        import gevent.thread as t
        return [(t.LockType, S.O_LOCK)]
    except Exception:
        return []


def channel_offers(ch):
    """The items a gevent Channel's waiting putters offer, or None if unreadable."""
    try:
        return [entry[0] for entry in ch.putters]
    except Exception:
        return None


def frame_locals(f):
    """A frame's locals as a dict: Python 3.13's f_locals is a write-through
    FrameLocalsProxy (PEP 667), not a dict; its items are read without
    running program code."""
    loc = f.f_locals
    if type(loc) is dict:
        return loc
    try:
        return dict(loc.items())
    except Exception:
        return {}


def is_greenlet_type(tp, mro):
    """Whether tp is greenlet's or a subclass, from mro(tp): isinstance() would
    ask the object for __class__, which a program's class may compute."""
    if _greenlet_mod is None:
        return False
    base = _greenlet_mod.greenlet
    return any(c is base for c in mro(tp))


def writable_locals(f):
    """A mapping whose writes reach the frame's locals, for the debugger's
    evaluate and set value: 3.13's FrameLocalsProxy writes through; before
    3.13 f_locals is a snapshot dict that commit_locals copies back."""
    return f.f_locals


def commit_locals(f, loc):
    """After writing to writable_locals(f): before 3.13, copy the snapshot
    into the frame's fast locals (PyFrame_LocalsToFast, as pdb's and pydevd's
    set-value do); from 3.13 the proxy has written through already."""
    if type(loc) is not dict or sys.version_info >= (3, 13) or f.f_globals is loc:
        return
    try:
        import ctypes
        ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(f), ctypes.c_int(0))
    except (ImportError, AttributeError):  # pragma: no cover (no ctypes, no C API)
        pass


def set_thread_hub(hub):
    """Make `hub` the calling thread's gevent hub (None: no hub), returning the
    one it had. The debugger evaluates on its own thread with the program's hub
    there, so gevent creates no hub of its own and any wait fails at once."""
    if gevent is None:
        return None
    from gevent import _hub_local
    before = _hub_local.get_hub_if_exists()
    _hub_local.set_hub(hub)
    return before


def interrupt_main():
    import _thread
    _thread.interrupt_main()


def _greenlet_full_stacks():
    """greenlet 3.0.0-3.0.2 on Python 3.12 shows only the innermost frame of a
    suspended greenlet (fixed in 3.0.3); outermost-frame lookups are then wrong."""
    if sys.version_info < (3, 12):
        return True
    try:
        parts = tuple(int(x) for x in (GREENLET_VERSION or "0").split(".")[:3])
    except ValueError:
        return True
    return not ((3, 0, 0) <= parts < (3, 0, 3))


FULL_GREENLET_STACKS = _greenlet_full_stacks()


def monotonic_us():
    import time
    return time.monotonic_ns() // 1000


def greenlet_links(g):
    """What gevent will run when gevent greenlet g ends (the switches of its
    joiners, link() callbacks, a Pool's bookkeeping), read without calling
    anything; None where the compiled build keeps them out of reach."""
    try:
        links = object.__getattribute__(g, "_links")
    except Exception:
        return None
    return links if type(links) is list else None


def greenlet_traceback(g):
    """The traceback of the exception gevent greenlet g died of (gevent keeps
    the exception, whose __traceback__ is read through BaseException's own
    descriptor), read without calling program code; None if there is none."""
    try:
        ei = object.__getattribute__(g, "_exc_info")
        if type(ei) is not tuple or len(ei) != 3:
            return None
        tb = ei[2]
        if type(tb) is not types.TracebackType and issubclass(type(ei[1]), BaseException):
            tb = BaseException.__traceback__.__get__(ei[1])
    except Exception:
        return None
    return tb if type(tb) is types.TracebackType else None


def greenlet_has_links(g):
    """Whether anything is linked to gevent greenlet g (the compiled build's
    only answer): gevent's own has_links, never a subclass's override."""
    try:
        return bool(gevent.Greenlet.has_links(g))
    except Exception:
        return False


def greenlet_has_links_method():
    """gevent's own Greenlet.has_links (called as has_links(g)), or None."""
    return getattr(getattr(gevent, "Greenlet", None), "has_links", None)
