"""Where the runtime attaches to gevent.

The Cython build's classes cannot be patched, so the public names
(``gevent.queue.Queue``, ``gevent.event.Event``, ``gevent.lock.Semaphore``…)
are pointed at thin subclasses before the program imports them. The overrides
are the methods gevent itself calls for every item and state change
(``_put``/``_get`` are ``cpdef``, so even the hub's internal unlock goes
through them); they never raise on their own, so they add no frame to a
program's tracebacks. ``isinstance`` and ``issubclass`` against a wrapper
answer as they would for the class it wraps. Greenlet creation comes from
gevent's spawn callbacks, failures from the hub's ``handle_error``.
"""
from . import compat, writer as W
from .registry import KindTable


class _Transparent(type):
    """The metaclass of the wrappers: type checks see the wrapped class, so
    ``isinstance(PriorityQueue(), Queue)`` stays true while Queue is wrapped."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls.__dict__["_lens_base"])

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls.__dict__["_lens_base"])


def _queue_methods(rec, base, okind):
    # The hottest hooks after the tracer: locals only, one call to record.
    seen = rec.objects.ids
    first = rec.first_sight
    record = rec.queue_recorder()
    # Only a joinable queue's _put touches gevent's own objects (its Event).
    guarded = hasattr(base, "task_done")
    base_put = base._put
    base_get = base._get

    def _put(self, item):
        # A queue first met here is described before the item joins it.
        if id(self) not in seen:
            first(self, okind)
        if guarded:
            rec.quiet += 1
            try:
                base_put(self, item)
            finally:
                rec.quiet -= 1
        else:
            base_put(self, item)
        record(self, W.T_PUT, item)

    def _get(self):
        if id(self) not in seen:
            first(self, okind)
        item = base_get(self)
        record(self, W.T_GET, item)
        return item

    def __init__(self, *args, **kwargs):
        # A joinable queue creates and sets an Event of its own here.
        rec.quiet += 1
        try:
            base.__init__(self, *args, **kwargs)
        finally:
            rec.quiet -= 1

    methods = {"_put": _put, "_get": _get, "__init__": __init__}
    if hasattr(base, "task_done"):
        def task_done(self):
            # Sets the queue's internal Event, which is gevent's, not the program's.
            rec.quiet += 1
            try:
                return base.task_done(self)
            finally:
                rec.quiet -= 1
        methods["task_done"] = task_done
    return methods


def _event_methods(rec, base, okind):
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


def _result_methods(rec, base, okind):
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


def _lock_methods(rec, base, okind, owns_semaphore=False):
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
    methods = {"acquire": acquire, "release": release}
    if owns_semaphore:
        def __init__(self, *args, **kwargs):
            base.__init__(self, *args, **kwargs)
            # RLock builds on a Semaphore of its own: not a lock of the program's.
            inner = getattr(self, "_block", None)
            if inner is not None:
                rec.objects.ignore(inner)
        methods["__init__"] = __init__
    return methods


_FAMILIES = {
    "queue": _queue_methods, "event": _event_methods, "result": _result_methods, "lock": _lock_methods,
    "rlock": lambda rec, base, okind: _lock_methods(rec, base, okind, owns_semaphore=True),
}


def _wrapper(base, methods):
    ns = dict(methods)
    ns["__module__"] = base.__module__
    ns["__qualname__"] = base.__qualname__
    ns["__doc__"] = base.__doc__
    ns["__slots__"] = ()  # instances get a __dict__ only if the base gave them one
    ns["_lens_base"] = base
    return _Transparent(base.__name__, (base,), ns)


def install(rec):
    """Attach to gevent when it is importable; always sets rec.kinds."""
    classes = []
    if compat.gevent is None:
        rec.kinds = KindTable(classes)
        return
    import gevent
    import gevent.queue
    import gevent.event
    import gevent.lock
    try:
        # gevent.thread subclasses gevent.lock's classes when first imported:
        # import it now so a patched threading.Lock stays gevent's own class.
        import gevent.thread  # noqa: F401
    except Exception:
        pass
    modules = (gevent, gevent.queue, gevent.event, gevent.lock)
    wrappers = {}
    for _module, name, okind, family, cls in compat.observed_classes():
        if cls in wrappers:
            continue  # an alias (gevent >= 25.4: JoinableQueue is Queue)
        classes.append((cls, okind))
        try:
            wrappers[cls] = _wrapper(cls, _FAMILIES[family](rec, cls, okind))
        except TypeError:
            continue  # a final class: recognised, not wrapped
    for mod in modules:
        for attr, value in list(vars(mod).items()):
            sub = wrappers.get(value) if isinstance(value, type) else None
            if sub is not None:
                setattr(mod, attr, sub)
    classes.extend(compat.extra_kinds())
    rec.kinds = KindTable(classes)
    gevent.Greenlet.add_spawn_callback(rec.spawned)


def uninstall(rec):
    try:
        if compat.gevent is not None:
            compat.gevent.Greenlet.remove_spawn_callback(rec.spawned)
    except Exception:
        pass


def _failed_greenlet(rec, context):
    """handle_error's context: the greenlet, or (gevent >= 26) a (link, greenlet) pair."""
    candidates = context if isinstance(context, tuple) else (context,)
    for c in candidates:
        if c is not None:
            n = rec.greenlets.get(c)
            if n is not None:
                return n
    return None


def watch_hub(rec, hub):
    """Record greenlet failures with their live traceback, then let the hub
    report them as it always does."""
    original = hub.handle_error

    def handle_error(context, type, value, tb):
        try:
            if rec.on_main_thread():
                n = _failed_greenlet(rec, context)
                if n is None:
                    n = rec.greenlets.get(hub)
                rec.exception(n or 0, type, value, tb)
                hook = rec.exception_hook
                if hook is not None:
                    hook(n or 0, type, value, tb)
        except Exception:
            rec.error("handle_error")
        return original(context, type, value, tb)

    try:
        hub.handle_error = handle_error
    except Exception:
        rec.error("watch_hub")
