"""On PYTHONPATH only in the children of a recording that follows children
(greenlet_lens/spawned.py): records this new Python when it runs greenlets.

The program must see the modules and the path it would have without the
recording: this folder leaves sys.path, the interpreter's own sitecustomize
(Debian has one) runs as it would have and takes this module's place, and
without one this module ends as a missing sitecustomize does (an ImportError
naming it, which site.py passes over in silence), so none is left in
sys.modules.
"""
import os as _os
import sys as _sys


def _hand_over():
    """True when the interpreter has a sitecustomize of its own (now run)."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    del _sys.modules["sitecustomize"]
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or _os.curdir) != here]
    try:
        import sitecustomize  # noqa: F401
    except ImportError as e:
        if getattr(e, "name", None) != "sitecustomize":
            raise
        return False
    return True


def _follow():
    try:
        from greenlet_lens import spawned
    except ImportError:
        return
    spawned.start_from_env()


try:
    _theirs = _hand_over()
finally:
    _follow()
if not _theirs:
    raise ImportError("no sitecustomize besides the Greenlet Lens runtime's", name="sitecustomize")
