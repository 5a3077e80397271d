"""Which frames are the program's, and why a suspended greenlet waits.

Frames are sorted once per code object into: the program's own, this
runtime's (never shown), gevent's, and the rest (stdlib, greenlet, site
packages) which appear in stacks but are not "where user code waits".
"""
import os
import sysconfig

from . import compat
from ._schema import R_OTHER, R_SLEEP, R_QGET, R_QPUT, R_EVENT, R_RESULT, R_JOIN, R_LOCK, R_IO  # noqa: F401

USER, OURS, GEVENT, OTHER = 0, 1, 2, 3

_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_GEVENT = (compat.gevent_dir() or "\0") + os.sep
_OTHER_DIRS = tuple(
    d + os.sep for d in {
        sysconfig.get_paths().get("stdlib"),
        sysconfig.get_paths().get("platstdlib"),
        compat.greenlet_dir(),
    } if d
)

_IO_MODULES = {"select", "_socketcommon", "_socket3", "_socket2", "socket", "ssl", "_ssl3",
               "os", "subprocess", "fileobject", "_fileobjectcommon", "_fileobjectposix",
               "baseserver", "server", "pywsgi", "resolver_thread", "resolver_ares",
               "libev", "libuv"}
# (module, function) of gevent's pure-Python code (and of the pure build) that waits.
_GEVENT_WAITS = {
    ("hub", "sleep"): R_SLEEP, ("hub", "idle"): R_SLEEP, ("hub", "wait"): R_IO,
    ("queue", "get"): R_QGET, ("queue", "peek"): R_QGET, ("queue", "_Queue__get_or_peek"): R_QGET,
    ("queue", "put"): R_QPUT,
    ("event", "wait"): R_EVENT, ("event", "get"): R_RESULT,
    ("_semaphore", "acquire"): R_LOCK, ("_semaphore", "wait"): R_LOCK,
    ("lock", "acquire"): R_LOCK, ("lock", "__enter__"): R_LOCK, ("thread", "acquire"): R_LOCK,
    ("threading", "acquire"): R_LOCK, ("threading", "wait"): R_LOCK,
    ("greenlet", "join"): R_JOIN, ("greenlet", "joinall"): R_JOIN, ("greenlet", "killall"): R_JOIN,
    ("greenlet", "get"): R_JOIN, ("greenlet", "kill"): R_JOIN,
    ("_hub_primitives", "wait_on_objects"): R_JOIN, ("_hub_primitives", "iwait_on_objects"): R_JOIN,
    ("_hub_primitives", "wait_on_socket"): R_IO, ("_hub_primitives", "wait_read"): R_IO,
    ("_hub_primitives", "wait_write"): R_IO, ("_hub_primitives", "wait_readwrite"): R_IO,
    ("pool", "join"): R_JOIN, ("pool", "spawn"): R_LOCK, ("pool", "apply"): R_JOIN,
}

_code_class = {}
_code_wait = {}


_RUNPY = ("<frozen runpy>", os.path.join(sysconfig.get_paths().get("stdlib") or "\0", "runpy.py"))


def code_class(code):
    c = _code_class.get(code)
    if c is None:
        f = code.co_filename
        if f in _RUNPY:
            c = OURS  # how this runtime starts the program; `python3 app.py` has no such frames
        elif f.startswith("src/gevent/"):
            c = GEVENT  # Cython's frames in a compiled gevent's tracebacks
        elif not os.path.isabs(f):
            c = OTHER if f.startswith("<") else USER
        elif f.startswith(_HERE):
            c = OURS
        elif f.startswith(_GEVENT):
            c = GEVENT
        elif f.startswith(_OTHER_DIRS) or "site-packages" in f or "dist-packages" in f:
            c = OTHER
        else:
            c = USER
        _code_class[code] = c
    return c


def gevent_wait(code):
    """The wait reason of a gevent function, or None."""
    try:
        return _code_wait[code]
    except KeyError:
        pass
    mod = os.path.splitext(os.path.basename(code.co_filename))[0]
    r = _GEVENT_WAITS.get((mod, code.co_name))
    if r is None and mod in _IO_MODULES:
        r = R_IO
    _code_wait[code] = r
    return r


def is_hub_join(code):
    """Hub.join (gevent.wait()), which expects the loop to end; the pure-Python
    build's Greenlet.join, in a greenlet that is stuck, does not."""
    return code.co_name == "join" and os.path.basename(code.co_filename) == "hub.py"


def is_internal_file(filename):
    return filename.startswith(_HERE)
