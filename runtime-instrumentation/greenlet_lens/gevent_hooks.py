"""Where the runtime attaches to gevent: the one place hooks are installed.

What is hooked, per family of gevent class (compat.observed_classes):

========  ==========================================  ===========================
family    methods                                     records
========  ==========================================  ===========================
queue     ``_put``, ``_get`` (every path of put/get,  put, get
          the hub's unlock of blocked putters too)
channel   ``put`` (the item is offered), ``get``      put, get
event     ``set``, ``clear``                          set, clear
result    ``set``, ``set_exception``                  set, setexc
lock      ``acquire``, ``release``                    acquire, release
rlock     ``acquire``, ``release``                    acquire, release
========  ==========================================  ===========================

and ``__init__`` of every family, which decides whose object it is (below).

Two strategies, chosen per class, never per program:

* **In place** (a Python class: gevent's pure-Python build, ``PURE_PYTHON=1``
  or PyPy, and ``RLock`` in every build). Each hooked method is replaced, on
  the class where it resolves for an observed class, by a function that calls
  the original. No class is created and no name rebound, so ``type()``,
  ``isinstance``, ``super()`` and pickling are untouched and gevent's own
  code keeps calling its own classes. Calls nest (gevent's ``Queue._put`` calls
  ``SimpleQueue._put``): a hook reached inside another hook only calls through.
* **Subclass** (a compiled Cython class, whose methods cannot be replaced;
  a compiled queue class too when the compiled core is not loaded).
  A subclass with the same name, module, qualname and no metaclass overrides
  the hooked methods; it also derives from the subclass of the nearest wrapped
  base (``PriorityQueue``'s from ``Queue``'s), so ``isinstance``/``issubclass``
  between the public classes hold as they do without the recorder, and a
  program's class may mix it with an ABC or its own metaclass. It is bound in
  place of the public names (``gevent.queue.Queue``…, aliases included) and in
  the compiled module that defines the class, so pickle finds a class by its
  qualified name. Cython code refers to its own classes statically and keeps
  using the originals; gevent's Python modules that bind these names when
  imported (``gevent.pool``, ``gevent.thread``) are imported before the names
  are rebound, so they keep the originals too.

Objects gevent makes for itself (a ``Queue``'s internal ``Event``, the
``UnboundQueue`` of ``Pool.imap``, an ``RLock``'s ``Semaphore``) are told apart
when they are created: an object made inside another hook, or whose creating
frame (the first outside this runtime) is gevent's own code, is known but never
recorded. Such an object made through a rebound name is an instance of the
subclass; with the compiled core it is given gevent's class back at once
(``restore_type``), so its operations pay no hook either.

* **Vtable** (a compiled queue class, when the recorder's compiled core is
  loaded): ``_get``/``_put`` are hooked in the class's Cython vtable and
  ``__init__`` in its ``tp_init`` and in the class's dict, where
  ``super().__init__()`` and a program's subclass find it (``_core.c``,
  ``patch_queue``). Nothing is subclassed or rebound: the class is gevent's
  own in every respect, and its operations pay no Python-level call (a Python
  subclass of a Cython class makes every cpdef call look for an override).

Hooks never raise on their own; an exception raised by gevent's method passes
through unchanged (with the hook's frame in its traceback).
"""
import sys

from . import accel, callsite, compat, frames
from . import writer as W
from .registry import KindTable

_OURS, _GEVENT = frames.OURS, frames.GEVENT
_classify = frames.code_class


def made_by_program(frame, obj):
    """False when the first frame outside this runtime is gevent's own code,
    unless it is a method of an object of obj's own type (Queue.copy makes
    the program's copy)."""
    f = frame
    while f is not None and _classify(f.f_code) == _OURS:
        f = f.f_back
    if f is None or _classify(f.f_code) != _GEVENT:
        return True
    try:
        return type(f.f_locals.get("self")) is type(obj)
    except Exception:
        return False


def program_name(frame, obj):
    """What the program assigns obj, being made, to (callsite.assigned_name),
    read in the program's frame that made it: past this runtime's frames,
    gevent's (Queue.copy makes the program's copy) and the __init__ of obj's
    own class (a program's subclass calling its base's)."""
    f = frame
    while f is not None:
        kind = _classify(f.f_code)
        if kind != _OURS and kind != _GEVENT and not _initialising(f, obj):
            return callsite.assigned_name(f)
        f = f.f_back
    return None


def _initialising(frame, obj):
    code = frame.f_code
    if code.co_name != "__init__" or not code.co_argcount:
        return False
    try:
        return frame.f_locals.get(code.co_varnames[0]) is obj
    except Exception:
        return False


# -- the hooks: each takes the method it replaces and whether calls to it nest.

# subclass -> the gevent class it wraps
_WRAPPED = {}
# The compiled core's restore_type(obj, cls), when it is loaded: gevent's own
# object made through a rebound name is made an instance of gevent's class again.
_restore_type = None
# ids of the objects whose outermost __init__ hook is running: a base class's
# __init__ (hooked too, in place) leaves the decision to it.
_MAKING = set()


def _init_hook(rec, orig, aliases):
    """__init__: who made the object, and, for a class with several public
    names (aliases: (class, {name: okind})), which one the program called."""
    main = rec.main_ident
    get_ident = rec._get_ident
    making = _MAKING

    def __init__(self, *args, **kwargs):
        key = id(self)
        if key in making or get_ident() != main or not rec.enabled:
            return orig(self, *args, **kwargs)
        creator = sys._getframe(1)
        own = not rec.quiet and made_by_program(creator, self)
        making.add(key)
        rec.quiet += 1
        try:
            orig(self, *args, **kwargs)
        finally:
            rec.quiet -= 1
            making.discard(key)
        try:
            if not own:
                rec.objects.ignore(self)
                base = _WRAPPED.get(type(self))
                if base is not None and _restore_type is not None:
                    _restore_type(self, base)
                return
            name = program_name(creator, self)
            if name is not None:
                rec.name_notes.set(self, name)
            if aliases is not None:
                tp = type(self)
                if tp is aliases[0] or _WRAPPED.get(tp) is aliases[0]:
                    kind = aliases[1].get(callsite.callee_name(creator))
                    if kind is not None:
                        rec.kind_notes.set(self, kind)
        except Exception:
            rec.error("create")

    return __init__


def _queue_hooks(rec, orig, nests):
    seen = rec.objects.ids
    first = rec.first_sight
    record = rec.queue_recorder()
    main = rec.main_ident
    get_ident = rec._get_ident
    name = orig.__name__
    tag = W.T_PUT if name == "_put" else W.T_GET

    if tag == W.T_PUT and not nests:
        def hook(self, item):  # the hottest hooks after the tracer: locals only
            if id(self) not in seen:
                first(self)
            orig(self, item)
            record(self, tag, item)
    elif tag == W.T_GET and not nests:
        def hook(self):
            if id(self) not in seen:
                first(self)
            item = orig(self)
            record(self, tag, item)
            return item
    elif tag == W.T_PUT:
        def hook(self, item):
            if rec.quiet or get_ident() != main:
                return orig(self, item)
            if id(self) not in seen:
                first(self)
            rec.quiet += 1
            try:
                orig(self, item)
            finally:
                rec.quiet -= 1
            record(self, tag, item)
    else:
        def hook(self):
            if rec.quiet or get_ident() != main:
                return orig(self)
            if id(self) not in seen:
                first(self)
            rec.quiet += 1
            try:
                item = orig(self)
            finally:
                rec.quiet -= 1
            record(self, tag, item)
            return item
    return hook


def _quiet_op(rec, orig, after, nests):
    """A method that never switches greenlets: described before, recorded after
    (after(self, args, result)); nested calls inside it are gevent's own."""
    seen = rec.objects.ids
    first = rec.first_sight
    main = rec.main_ident
    get_ident = rec._get_ident
    if not nests:
        def hook(self, *args, **kwargs):
            if id(self) not in seen:
                first(self)
            result = orig(self, *args, **kwargs)
            after(self, args, result)
            return result
        return hook

    def nested_hook(self, *args, **kwargs):
        if rec.quiet or get_ident() != main:
            return orig(self, *args, **kwargs)
        if id(self) not in seen:
            first(self)
        rec.quiet += 1
        try:
            result = orig(self, *args, **kwargs)
        finally:
            rec.quiet -= 1
        after(self, args, result)
        return result
    return nested_hook


def _event_hooks(rec, orig, nests):
    op = rec.event_op
    if orig.__name__ == "clear":
        def after(self, args, result):
            op(self, W.T_CLEAR)
    else:
        def after(self, args, result):
            op(self, W.T_SET)
    return _quiet_op(rec, orig, after, nests)


def _result_hooks(rec, orig, nests):
    op = rec.event_op
    if orig.__name__ == "set_exception":
        def after(self, args, result):
            op(self, W.T_SETEXC, args[0] if args else None)
    else:
        def after(self, args, result):
            op(self, W.T_SET, args[0] if args else None)
    return _quiet_op(rec, orig, after, nests)


def _lock_hooks(rec, orig, nests):
    op = rec.lock_op
    if orig.__name__ == "release":
        def after(self, args, result):
            op(self, W.T_RELEASE)
        return _quiet_op(rec, orig, after, nests)
    seen = rec.objects.ids
    first = rec.first_sight

    # acquire may wait (and switch): nothing is held quiet across it.
    def acquire(self, *args, **kwargs):
        if id(self) not in seen:
            first(self)  # described before its state changes
        ok = orig(self, *args, **kwargs)
        if ok:
            op(self, W.T_ACQUIRE)
        return ok
    return acquire


def _channel_hooks(rec, orig, nests):
    seen = rec.objects.ids
    first = rec.first_sight
    record = rec.queue_recorder()
    if orig.__name__ == "put":
        withdrawn = rec.channel_withdrawn

        # A channel holds no items: the put is recorded when the item is offered
        # (a taker may be waiting, or not yet), and undone if the offer fails.
        def put(self, item, *args, **kwargs):
            if id(self) not in seen:
                first(self)
            record(self, W.T_PUT, item)
            try:
                return orig(self, item, *args, **kwargs)
            except BaseException:
                if seen.get(id(self)):
                    withdrawn(self)
                raise
        return put

    def get(self, *args, **kwargs):
        if id(self) not in seen:
            first(self)
        item = orig(self, *args, **kwargs)
        record(self, W.T_GET, item)
        return item
    return get


_FAMILIES = {
    "queue": (("_put", "_get"), _queue_hooks),
    "channel": (("put", "get"), _channel_hooks),
    "event": (("set", "clear"), _event_hooks),
    "result": (("set", "set_exception"), _result_hooks),
    "lock": (("acquire", "release"), _lock_hooks),
    "rlock": (("acquire", "release"), _lock_hooks),
}


def _named_like(hook, orig):
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(hook, attr, getattr(orig, attr))
        except (AttributeError, TypeError):
            pass
    hook.__wrapped__ = orig  # inspect.signature shows the original's
    return hook


def _hook(rec, family, name, orig, aliases, nests):
    """The hook that replaces orig (the method `name`); nests: calls to it may nest (in place)."""
    if name == "__init__":
        hook = _init_hook(rec, orig, aliases)
    else:
        hook = _FAMILIES[family][1](rec, orig, nests)
    return _named_like(hook, orig)


def _hooked_names(family):
    return ("__init__",) + _FAMILIES[family][0]


# -- the two strategies ----------------------------------------------------

def _patch_in_place(rec, cls, family, aliases, patched):
    """Wrap, on the class where each hooked method of cls resolves, the original."""
    for name in _hooked_names(family):
        owner = next(k for k in cls.__mro__ if name in k.__dict__)
        if (owner, name) in patched or not compat.patchable(owner):
            continue  # done for another class (a shared base), or object's own
        orig = owner.__dict__[name]
        hook = _hook(rec, family, name, orig, aliases, nests=True)
        setattr(owner, name, hook)
        patched[(owner, name)] = orig
        # An alias in the same class (``_py3k_acquire = acquire``) gets the hook too.
        for other, value in list(vars(owner).items()):
            if value is orig and other != name:
                setattr(owner, other, hook)
                patched[(owner, other)] = orig


def _subclass(rec, cls, family, aliases, wrappers):
    ns = {name: _hook(rec, family, name, getattr(cls, name), aliases, nests=False) for name in _hooked_names(family)}
    ns["__module__"] = cls.__module__
    ns["__qualname__"] = cls.__qualname__
    ns["__doc__"] = cls.__doc__
    ns["__slots__"] = ()  # instances get a __dict__ only if the class gave them one
    # The nearest wrapped base's subclass as a second base: PriorityQueue's
    # subclass is then a subclass of Queue's, with no metaclass.
    mirror = next((wrappers[b] for b in cls.__mro__[1:] if b in wrappers), None)
    bases = (cls,) if mirror is None else (cls, mirror)
    sub = type(cls.__name__, bases, ns)
    _WRAPPED[sub] = cls
    return sub


def install(rec):
    """Attach to gevent when it is importable; always sets rec.kinds and rec.op_kinds."""
    if compat.gevent is None:
        rec.kinds = rec.op_kinds = KindTable([])
        return
    compat.import_gevent_modules()
    observed = compat.observed_classes()
    aliases = compat.alias_kinds(observed)
    families = {}
    for _name, okind, family, cls in observed:
        families.setdefault(cls, (okind, family))
    # Bases before subclasses: a subclass mirrors its base's wrapper.
    order = sorted(families, key=lambda c: len(c.__mro__))
    for extra in compat.public_subclasses(order):
        base = next(b for b in extra.__mro__[1:] if b in families)
        families[extra] = families[base]
        order.append(extra)
    wrappers = {}
    patched = {}
    core = accel.core()
    global _restore_type
    _restore_type = getattr(core, "restore_type", None)
    for cls in order:
        okind, family = families[cls]
        if compat.patchable(cls):
            _patch_in_place(rec, cls, family, aliases.get(cls), patched)
        elif family == "queue" and core is not None and core.can_patch_queue(cls):
            # The compiled core hooks _get/_put in the class's Cython vtable and
            # its __init__ in tp_init: no subclass (see _core.c).
            init = _named_like(_init_hook(rec, cls.__init__, aliases.get(cls)), cls.__init__)
            core.patch_queue(rec.state, cls, rec.first_sight, init)
        else:
            try:
                wrappers[cls] = _subclass(rec, cls, family, aliases.get(cls), wrappers)
            except TypeError:
                continue  # a final class: recognised, not recorded
    compat.rebind(wrappers)
    op_kinds = [(cls, okind) for cls, (okind, _f) in families.items()]
    rec.op_kinds = KindTable(op_kinds + compat.unrecorded_subclasses())
    rec.kinds = KindTable(op_kinds + compat.extra_kinds())
    compat.gevent.Greenlet.add_spawn_callback(rec.spawn_callback)


def uninstall(rec):
    try:
        if compat.gevent is not None:
            compat.gevent.Greenlet.remove_spawn_callback(rec.spawn_callback)
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
