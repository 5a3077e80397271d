"""Logical ids for greenlets and synchronisation objects, in order of first sight.

Keys are ``id(obj)`` with a weak reference whose callback forgets the key when
the object goes away, so the registry never keeps a greenlet alive (a
suspended greenlet that is collected gets GreenletExit: holding it would change
the program) and an address reused later gets a new id.
"""
import weakref

from ._schema import (  # noqa: F401
    O_QUEUE as QUEUE, O_LIFO as LIFO, O_PRIORITY as PRIORITY, O_JOINABLE as JOINABLE, O_CHANNEL as CHANNEL,
    O_EVENT as EVENT, O_RESULT as RESULT, O_SEMAPHORE as SEMAPHORE, O_BOUNDED as BOUNDED, O_LOCK as LOCK,
    O_RLOCK as RLOCK, O_SIMPLE as SIMPLE, OKIND_NAMES,
)
QUEUE_KINDS = frozenset((QUEUE, LIFO, PRIORITY, JOINABLE, SIMPLE))
LOCK_KINDS = frozenset((SEMAPHORE, BOUNDED, LOCK, RLOCK))


class IdMap(object):
    def __init__(self):
        self.ids = {}
        self._refs = {}
        self.by_id = {}  # logical id -> weak reference, for a debugger's lookups
        self.next_id = 1

    def get(self, obj):
        return self.ids.get(id(obj))

    def add(self, obj):
        key = id(obj)
        n = self.next_id
        self.next_id += 1
        self.ids[key] = n
        try:
            ref = weakref.ref(obj, lambda _r, k=key, self=self: self._forget(k))
            self._refs[key] = ref
            self.by_id[n] = ref
        except TypeError:
            pass  # not weak-referenceable: kept by id only
        return n

    def reset(self):
        """Forget everything, in place (hot closures hold `ids`); ids start at 1 again."""
        self.ids.clear()
        self._refs.clear()
        self.by_id.clear()
        self.next_id = 1

    def object_of(self, n):
        ref = self.by_id.get(n)
        return ref() if ref is not None else None

    def ignore(self, obj):
        """Known, but never recorded: id 0 (gevent's own internal objects)."""
        key = id(obj)
        try:
            self._refs[key] = weakref.ref(obj, lambda _r, k=key, self=self: self._forget(k))
        except TypeError:
            return  # its id could be reused unseen: left to be recorded instead
        self.ids[key] = 0

    def _forget(self, key):
        n = self.ids.pop(key, None)
        self._refs.pop(key, None)
        if n:
            self.by_id.pop(n, None)


class IdNotes(object):
    """A value noted about an object until it is taken or the object goes
    away (keyed by id with a weak reference, like IdMap)."""

    def __init__(self):
        self._values = {}
        self._refs = {}

    def set(self, obj, value):
        key = id(obj)
        try:
            self._refs[key] = weakref.ref(obj, lambda _r, k=key, self=self: self._drop(k))
        except TypeError:
            return  # its id could be reused unseen: nothing noted
        self._values[key] = value

    def get(self, obj, default):
        return self._values.get(id(obj), default)

    def pop(self, obj, default):
        key = id(obj)
        if key not in self._values:
            return default
        self._refs.pop(key, None)
        return self._values.pop(key)

    def _drop(self, key):
        self._values.pop(key, None)
        self._refs.pop(key, None)


class KindTable(object):
    """Maps a class to its okind, checking real subclass relations once per class."""

    def __init__(self, classes):
        # Most specific first: subclasses are listed before their bases.
        self._classes = sorted(classes, key=lambda ck: -len(ck[0].__mro__))
        self._cache = {}

    def kind(self, tp):
        k = self._cache.get(tp)
        if k is None:
            k = 0
            for cls, okind in self._classes:
                try:
                    if issubclass(tp, cls):
                        k = okind
                        break
                except TypeError:
                    pass
            self._cache[tp] = k
        return k
