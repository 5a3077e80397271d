"""The compiled recorder core (_core.c): built on first use, cached, or not used.

The core is one C file against Python's public C API. The first run on an
interpreter builds it with one compiler call (``$CC``, default ``gcc``) into
``$XDG_CACHE_HOME/greenlet-lens/core/<interpreter and ABI>/<source hash>/``
(``~/.cache`` by default), outside the project, and later runs load it from
there. A build that failed is remembered there too (with why), so it is not
tried again on every run; a new source, interpreter or compiler is a new key.

Without it (no compiler or headers, not CPython, ``GREENLET_LENS_PURE=1``)
the pure-Python recorder records the same trace, and one line on stderr says
so and why. ``GREENLET_LENS_SLOW=1`` (for the equivalence tests) also turns
off the pure recorder's inlined fast paths.
"""
import hashlib
import os
import platform
import sys
import sysconfig

_HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = ("_core.c", "_schema.h")
SLOW = os.environ.get("GREENLET_LENS_SLOW") == "1"

_loaded = None   # the module, once loaded
_why_not = None  # why there is none (a sentence), once decided


def _cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "greenlet-lens", "core")


def _compiler():
    return os.environ.get("CC") or "gcc"


def _key():
    """The cache directory of this source for this interpreter, ABI and compiler."""
    h = hashlib.sha256()
    for name in SOURCES:
        with open(os.path.join(_HERE, name), "rb") as f:
            h.update(f.read())
    h.update(_compiler().encode("utf-8", "replace"))
    abi = "%s-%s" % (sys.implementation.cache_tag, (sysconfig.get_config_var("SOABI") or "abi"))
    return os.path.join(_cache_root(), abi, h.hexdigest()[:16])


def _module_path(d):
    return os.path.join(d, "_core" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))


def _load(path):
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.ExtensionFileLoader("greenlet_lens._core", path)
    spec = importlib.util.spec_from_file_location("greenlet_lens._core", path, loader=loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def build(d):
    """Compile _core.c into d with one compiler call; returns None or why not."""
    import subprocess
    include = sysconfig.get_paths().get("include") or ""
    if not os.path.exists(os.path.join(include, "Python.h")):
        return "no Python headers at %s (on Debian: apt-get install python3-dev)" % include
    os.makedirs(d, exist_ok=True)
    out = _module_path(d)
    tmp = "%s.%d.tmp" % (out, os.getpid())
    cmd = [_compiler(), "-O2", "-shared", "-fPIC", "-I", include, "-I", _HERE,
           os.path.join(_HERE, "_core.c"), "-o", tmp]
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=120)
    except OSError as e:
        return "cannot run the C compiler %s (%s)" % (cmd[0], e.strerror or e)
    except subprocess.TimeoutExpired:
        return "the C compiler %s took over 120 s" % cmd[0]
    if r.returncode != 0:
        lines = [x for x in r.stdout.decode("utf-8", "replace").splitlines() if "error" in x] or ["?"]
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return "%s failed: %s" % (cmd[0], lines[0].strip())
    os.replace(tmp, out)  # atomic: a concurrent run loads either none or a whole one
    return None


def _decide():
    if os.environ.get("GREENLET_LENS_PURE") == "1":
        return None, "GREENLET_LENS_PURE=1"
    if SLOW:
        return None, "GREENLET_LENS_SLOW=1"
    if platform.python_implementation() != "CPython":
        return None, "the compiled core needs CPython, this is %s" % platform.python_implementation()
    try:
        d = _key()
        path = _module_path(d)
        failed = os.path.join(d, "failed")
        if not os.path.exists(path):
            if os.path.exists(failed):
                with open(failed, encoding="utf-8", errors="replace") as f:
                    return None, f.read().strip() + " (an earlier build; remove %s to try again)" % failed
            why = build(d)
            if why is not None:
                try:
                    os.makedirs(d, exist_ok=True)
                    with open(failed, "w", encoding="utf-8") as f:
                        f.write(why + "\n")
                except OSError:
                    pass
                return None, why
        return _load(path), None
    except Exception as e:
        return None, "the compiled core could not be loaded (%s: %s)" % (type(e).__name__, e)


def core():
    """The compiled core module, or None (why_not() says why)."""
    global _loaded, _why_not
    if _loaded is None and _why_not is None:
        _loaded, _why_not = _decide()
    return _loaded


def why_not():
    core()
    return _why_not


def announce():
    """The one line said when recording without the core."""
    if core() is None:
        sys.stderr.write("greenlet-lens: recording with the pure-Python recorder: %s\n" % _why_not)
