"""Where the runtime attaches to gevent.

The Cython build's classes cannot be patched, so the public names
(``gevent.queue.Queue``, ``gevent.event.Event``, ``gevent.lock.Semaphore``…)
are pointed at thin subclasses before the program imports them. The overrides
are the methods gevent itself calls for every item and state change
(``_put``/``_get`` are ``cpdef``, so even the hub's internal unlock goes
through them); they never raise on their own, so they add no frame to a
program's tracebacks. Greenlet creation comes from gevent's spawn callbacks,
failures from the hub's ``handle_error``.
"""
from . import compat, writer as W
from .registry import KindTable, EVENT, RESULT


def _queue_class(rec, base, okind):
    op = rec.queue_op
    seen = rec.objects.ids
    first = rec.first_sight

    def _put(self, item):
        # A queue first met here is described before the item joins it.
        if id(self) not in seen:
            first(self, okind)
        base._put(self, item)
        op(self, okind, W.T_PUT, item)

    def _get(self):
        if id(self) not in seen:
            first(self, okind)
        item = base._get(self)
        op(self, okind, W.T_GET, item)
        return item

    return {"_put": _put, "_get": _get}


def _event_class(rec, base, okind):
    op = rec.event_op
    seen = rec.objects.ids
    first = rec.first_sight

    def set(self):
        if id(self) not in seen:
            first(self, okind)
        base.set(self)
        op(self, okind, W.T_SET)

    def clear(self):
        if id(self) not in seen:
            first(self, okind)
        base.clear(self)
        op(self, okind, W.T_CLEAR)

    return {"set": set, "clear": clear}


def _result_class(rec, base, okind):
    op = rec.event_op
    seen = rec.objects.ids
    first = rec.first_sight

    def set(self, value=None):
        if id(self) not in seen:
            first(self, okind)
        base.set(self, value)
        op(self, okind, W.T_SET, value)

    def set_exception(self, exception, *args, **kwargs):
        if id(self) not in seen:
            first(self, okind)
        base.set_exception(self, exception, *args, **kwargs)
        op(self, okind, W.T_SETEXC, exception)

    return {"set": set, "set_exception": set_exception}


def _lock_class(rec, base, okind):
    op = rec.lock_op
    seen = rec.objects.ids
    first = rec.first_sight

    def acquire(self, *args, **kwargs):
        # Described before its state changes, so its first record shows the state before.
        if id(self) not in seen:
            first(self, okind)
        ok = base.acquire(self, *args, **kwargs)
        if ok:
            op(self, okind, W.T_ACQUIRE)
        return ok

    def release(self, *args, **kwargs):
        if id(self) not in seen:
            first(self, okind)
        result = base.release(self, *args, **kwargs)
        op(self, okind, W.T_RELEASE)
        return result

    # __enter__/__exit__ (cpdef in Semaphore, plain methods in RLock) call
    # self.acquire()/self.release(), so they reach these overrides.
    return {"acquire": acquire, "release": release}


_FAMILIES = {"queue": _queue_class, "event": _event_class, "result": _result_class, "lock": _lock_class}


def _subclass(base, methods):
    ns = dict(methods)
    ns["__module__"] = base.__module__
    ns["__qualname__"] = base.__qualname__
    ns["__doc__"] = base.__doc__
    ns["__slots__"] = ()  # instances get a __dict__ only if the base gave them one
    return type(base.__name__, (base,), ns)


def install(rec):
    """Attach to gevent (when importable); returns the KindTable either way."""
    classes = []
    if compat.gevent is None:
        rec.kinds = KindTable(classes)
        return
    import gevent
    import gevent.queue
    import gevent.event
    import gevent.lock
    modules = (gevent, gevent.queue, gevent.event, gevent.lock)
    for module, name, okind, family, cls in compat.observed_classes():
        classes.append((cls, okind))
        try:
            sub = _subclass(cls, _FAMILIES[family](rec, cls, okind))
        except TypeError:
            continue  # a final class: recognised, not wrapped
        for mod in modules:
            if getattr(mod, name, None) is cls:
                setattr(mod, name, sub)
    classes.extend(compat.extra_kinds())
    rec.kinds = KindTable(classes)
    gevent.Greenlet.add_spawn_callback(rec.spawned)


def uninstall(rec):
    try:
        if compat.gevent is not None:
            compat.gevent.Greenlet.remove_spawn_callback(rec.spawned)
    except Exception:
        pass


def watch_hub(rec, hub):
    """Record greenlet failures with their live traceback, then let the hub
    report them as it always does."""
    original = hub.handle_error

    def handle_error(context, type, value, tb):
        try:
            if rec.on_main_thread():
                n = rec.greenlets.get(context) if context is not None else None
                if n is None:
                    n = rec.greenlets.get(hub)
                rec.exception(n or 0, type, value, tb)
        except Exception:
            rec.error("handle_error")
        return original(context, type, value, tb)

    try:
        hub.handle_error = handle_error
    except Exception:
        rec.error("watch_hub")


__all__ = ["install", "uninstall", "watch_hub", "EVENT", "RESULT"]
