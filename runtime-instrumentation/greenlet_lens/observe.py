"""Who is set to see a gevent greenlet's end: the `observed` records
(docs/trace-format.md).

When a gevent greenlet ends, gevent runs its links a moment later from the
hub: the switches of greenlets waiting in join()/get()/joinall(), link()
callbacks, a Pool's bookkeeping. The tracer sees the end first, while they
are all still there. gevent's pure-Python build keeps them in a list that is
read and told apart here by their types alone (nothing here calls program
code); the compiled build only says whether there are any, recorded as one
`unknown` observation that the findings attribute (shared/analysis).

A join(), get() or `.value` made after the end returns at once and leaves
no trace; so for a greenlet that ended with a value or an exception and no
links, whether the program still holds it when the program ends (it may
have looked) is recorded then, as `held`.
"""
import gc
import sys
import types

from . import compat
from ._schema import HOW_HELD, HOW_JOIN, HOW_LINK, HOW_LINK_VALUE, HOW_UNKNOWN

_BUILTIN_METHOD = type([].append)
# Ended greenlets whose holding is checked at the end; past this many, new ones are not.
MAX_UNSEEN = 100_000


def at_death(rec, g, n, outcome):
    """Called by the tracer right after gevent greenlet g (id n) ended;
    outcome: it returned a value or raised (something to look at)."""
    try:
        links = compat.greenlet_links(g)
        seen = False
        if links is None:
            if compat.greenlet_has_links(g):
                rec.w.observed(n, 0, HOW_UNKNOWN)
                seen = True
        else:
            for link in list(links):
                how = _classify(rec, link)
                if how is not None:
                    rec.w.observed(n, how[0], how[1])
                    seen = True
        unseen = rec.unseen_ends
        if outcome and not seen and len(unseen) < MAX_UNSEEN:
            unseen.add(n)
        hook = rec.ended_hook
        if hook is not None:
            hook(g, n, seen)
    except Exception:
        rec.error("observed")


def at_end(rec):
    """The program ends: which of those ended greenlets it still holds."""
    try:
        # Held here as g is below: by one local.
        probe = object()
        base = _refs(probe, ())
        for n in sorted(rec.unseen_ends):
            g = rec.greenlets.object_of(n)
            if g is not None and _refs(g, _own_frames(g)) > base:
                rec.w.observed(n, 0, HOW_HELD)
            g = None
        rec.unseen_ends.clear()
    except Exception:
        rec.error("observed")


def _own_frames(g):
    """The frames of g's own exception traceback. In gevent's pure-Python
    build they hold g (its run() frame's `self`) while g holds them
    (`_exc_info`): a cycle the collector frees some time later, which is
    not the program keeping g."""
    tb = compat.greenlet_traceback(g)
    frames = []
    while tb is not None and len(frames) < 64:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


def _refs(obj, own_frames):
    """References to obj but those from its own traceback's frames; compared
    with an object only the caller's one local refers to, so no interpreter's
    bookkeeping needs to be known here."""
    own = 0
    for f in own_frames:
        for r in gc.get_referents(f):
            if r is obj:
                own += 1
    return sys.getrefcount(obj) - own


def _classify(rec, link):
    """(observer id or 0, how), or None for gevent's own bookkeeping."""
    tp = type(link)
    if tp is _BUILTIN_METHOD or tp is types.MethodType:
        owner = link.__self__
        if isinstance(owner, compat._greenlet_mod.greenlet):
            # getcurrent().switch: a greenlet blocked in join() or get().
            return rec.greenlets.get(owner) or 0, HOW_JOIN
        if tp is types.MethodType and _is_gevent(type(owner), "MultipleWaiter"):
            # joinall(), wait(), iwait(): the waiter's greenlet waits for it.
            waiter = getattr(owner, "greenlet", None)
            return (rec.greenlets.get(waiter) or 0) if waiter is not None else 0, HOW_JOIN
        pool = sys.modules.get("gevent.pool")
        group = getattr(pool, "Group", None) if pool is not None else None
        if group is not None and isinstance(owner, group):
            return None  # a Group or Pool forgetting its member
        return 0, HOW_LINK
    if _is_gevent(tp, "SuccessSpawnedLink"):
        return 0, HOW_LINK_VALUE
    return 0, HOW_LINK


def _is_gevent(tp, name):
    return tp.__name__ == name and (tp.__module__ or "").startswith("gevent")
