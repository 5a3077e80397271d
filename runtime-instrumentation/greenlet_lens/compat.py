"""Everything that differs between Python, greenlet and gevent versions.

Checked against gevent 22.10 (Debian, Cython build) and the current gevent
sources (25.x/26.x: ``Queue`` became the joinable queue and ``SimpleQueue``
the old one; ``queue``/``getters``/``putters`` kept their names), greenlet 2
and 3 (``settrace`` unchanged). Nothing else in the runtime names a version.
"""
import os
import sys

from . import _schema as S

try:
    import greenlet as _greenlet_mod
    from greenlet import getcurrent, settrace, gettrace
    GREENLET_VERSION = getattr(_greenlet_mod, "__version__", "?")
except ImportError:  # pragma: no cover - reported by __main__ before we get here
    _greenlet_mod = None
    GREENLET_VERSION = None

gevent = None
try:
    import gevent  # noqa: F811  (importing gevent does not create a hub or patch anything)
except ImportError:
    pass


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
    """A real OS thread that threading and gevent never hear of."""
    import _thread
    start = original("_thread", "start_new_thread", _thread.start_new_thread)
    return start(fn, ())


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


# (module attribute, okind, family) — family picks the wrapper in gevent_hooks.
def observed_classes():
    if gevent is None:
        return []
    import gevent.queue as q
    import gevent.event as e
    import gevent.lock as lk
    out = []
    for name, okind in (("Queue", S.O_QUEUE), ("LifoQueue", S.O_LIFO), ("PriorityQueue", S.O_PRIORITY),
                        ("JoinableQueue", S.O_JOINABLE), ("SimpleQueue", S.O_SIMPLE)):
        cls = getattr(q, name, None)
        if cls is not None and hasattr(cls, "_put") and hasattr(cls, "_get"):
            # gevent >= 25.4: Queue is joinable; report it as Queue all the same.
            out.append((q, name, okind, "queue", cls))
    for name, okind in (("Event", S.O_EVENT), ("AsyncResult", S.O_RESULT)):
        cls = getattr(e, name, None)
        if cls is not None:
            out.append((e, name, okind, "event" if okind == S.O_EVENT else "result", cls))
    for name, okind, family in (("Semaphore", S.O_SEMAPHORE, "lock"), ("BoundedSemaphore", S.O_BOUNDED, "lock"),
                                ("RLock", S.O_RLOCK, "rlock")):
        cls = getattr(lk, name, None)
        if cls is not None:
            out.append((lk, name, okind, family, cls))
    return out


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
    """Classes recognised (for block reasons) but not wrapped."""
    out = []
    if gevent is None:
        return out
    try:
        import gevent.queue as q
        if getattr(q, "Channel", None) is not None:
            out.append((q.Channel, S.O_CHANNEL))
    except Exception:
        pass
    try:
        import gevent.thread as t
        out.append((t.LockType, S.O_LOCK))
    except Exception:
        pass
    return out


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
