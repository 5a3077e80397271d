"""Evaluate, completions, set value and set expression at a stop.

They run on the control thread while the program's thread waits in its stop,
not on the program's thread: there an expression that waits (``q.get()`` on
an empty queue, ``gevent.sleep``, ``event.wait()``) would switch to the hub
and the whole program would run inside the stop. Here gevent finds the
program's hub (made this thread's hub for the evaluation, so gevent creates
none of its own) and any switch into a greenlet of the program fails at once,
by greenlet's rule that a greenlet runs only on its own thread: the
expression ends with an error saying it would wait, and no greenlet has run.
``gevent.getcurrent()`` and ``greenlet.getcurrent()`` answer, on this thread
only, the greenlet whose frame is evaluated in. An expression still running
after TIME_LIMIT_S is stopped with an error.

Side effects stay, as in every Python debugger. Hover evaluates only names
and attribute chains, read without running the program's code.
"""
import ast
import keyword
import re
import sys
import time

from . import compat, reprs
from .stopstate import _TYPE_DICT, _instance_attrs, _mro

TIME_LIMIT_S = 5.0
CLIPBOARD_LIMIT = 1 << 20
_CHAIN = re.compile(r"^\s*[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)*\s*$")
_COMPLETE = re.compile(r"([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*\s*\.\s*)?([A-Za-z_]\w*)?$")
_SOURCE = "<debug console>"


class EvalError(Exception):
    """Fails the request with this message, the one the user reads."""


class _TooLong(BaseException):
    """Raised into an expression that ran past the time limit (BaseException,
    so the program's `except Exception` does not swallow it)."""


# -- the guard ---------------------------------------------------------------
def _program_hub(rec):
    for n in sorted(rec.hubs):
        hub = rec.greenlets.object_of(n)
        if hub is not None and not getattr(hub, "dead", False):
            return hub
    return None


class _Guard(object):
    """On the control thread, for one evaluation: the program's hub as this
    thread's, getcurrent() answering the evaluated greenlet, a time limit."""

    def __init__(self, rec, g):
        self.rec = rec
        self.glet = rec.greenlets.object_of(g) if g is not None else None
        self.patched = []

    def __enter__(self):
        self.hub_before = compat.set_thread_hub(_program_hub(self.rec))
        if self.glet is not None:
            self._patch_getcurrent()
        end = time.monotonic() + TIME_LIMIT_S
        clock = time.monotonic

        def deadline(frame, event, arg):
            if clock() > end:
                raise _TooLong()
            return deadline
        sys.settrace(deadline)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)
        for mod, original in self.patched:
            mod.getcurrent = original
        compat.set_thread_hub(self.hub_before)
        return False

    def _patch_getcurrent(self):
        original = compat.getcurrent
        ident = compat.original("_thread", "get_ident", None)
        if ident is None:
            import _thread
            ident = _thread.get_ident
        me = ident()
        glet = self.glet

        def getcurrent():
            return glet if ident() == me else original()
        for name in ("greenlet", "gevent"):
            mod = sys.modules.get(name)
            if mod is not None and mod.__dict__.get("getcurrent") is original:
                mod.getcurrent = getcurrent
                self.patched.append((mod, original))


def _failure(e):
    """What a raising expression shows: the exception, or why it was not run."""
    if isinstance(e, _TooLong):
        return EvalError("still running after %g s: stopped (an expression runs at most %g s while the program is stopped)"
                         % (TIME_LIMIT_S, TIME_LIMIT_S))
    names = [k.__name__ for k in type(e).__mro__]
    msg = reprs.exception_message(e)
    if ("error" in names and "different thread" in msg) or "InvalidThreadUseError" in names:
        return EvalError("not evaluated: it would wait for another greenlet or the event loop, and waiting "
                         "would let the whole program run while it is stopped (continue or step to let it wait)")
    text = reprs.type_name(e)
    return EvalError(text + (": " + msg if msg else ""))


def _run(rec, g, fn):
    with _Guard(rec, g):
        try:
            return fn()
        except BaseException as e:  # the program's exceptions, SystemExit and GreenletExit included
            raise _failure(e)


# -- namespaces -------------------------------------------------------------
def _namespaces(f):
    if f is None:
        main = sys.modules.get("__main__")
        d = main.__dict__ if main is not None else {}
        return d, d
    return f.f_globals, compat.writable_locals(f)


def _compile(expression, statements):
    try:
        return compile(expression, _SOURCE, "eval"), True
    except SyntaxError as first:
        if not statements:
            raise EvalError("SyntaxError: %s" % first.msg)
        try:
            return compile(expression, _SOURCE, "exec"), False
        except SyntaxError as e:
            raise EvalError("SyntaxError: %s" % e.msg)


class _Namespace(object):
    """The locals an expression sees in a function's frame. A name it assigns
    that is not the function's own but a global's sets the global, as the
    function would see it; any other name is the frame's."""

    def __init__(self, loc, glob, code):
        self.loc = loc
        self.glob = glob
        self.own = set(code.co_varnames) | set(code.co_cellvars) | set(code.co_freevars)

    def __getitem__(self, name):
        return self.loc[name]

    def __contains__(self, name):
        return name in self.loc

    def keys(self):
        return self.loc.keys()

    def __setitem__(self, name, value):
        if name not in self.own and name not in self.loc and name in self.glob:
            self.glob[name] = value
        else:
            self.loc[name] = value

    def __delitem__(self, name):
        del (self.loc if name in self.loc else self.glob)[name]


def _execute(state, f, g, code):
    glob, loc = _namespaces(f)
    space = loc if loc is glob else _Namespace(loc, glob, f.f_code)
    try:
        return _run(state.rec, g, lambda: eval(code, glob, space))
    finally:
        if f is not None:
            compat.commit_locals(f, loc)


# -- requests ------------------------------------------------------------------
def evaluate(state, frame_id, expression, context):
    f, g = state.frame_and_greenlet(frame_id)
    if context == "hover":
        value = _static_chain(f, expression)
    else:
        code, is_expression = _compile(expression, statements=context == "repl")
        value = _execute(state, f, g, code)
        if not is_expression:
            return {"result": "", "variablesReference": 0}
    out = state.describe("", value, f)
    body = _answer(out)
    body["result"] = body.pop("value")
    if context == "clipboard":
        body["result"] = _full_repr(state, g, value, out["value"])
    return body


def _full_repr(state, g, value, fallback):
    """Copy Value: the program's own repr (guarded like any evaluation), cut at 1 MiB."""
    try:
        text = _run(state.rec, g, lambda: repr(value))
    except EvalError:
        return fallback
    if type(text) is not str:
        return fallback
    return text if len(text) <= CLIPBOARD_LIMIT else text[:CLIPBOARD_LIMIT] + "\u2026"


def set_variable(state, ref, name, value_expression):
    node = state.node(ref)
    f = node.frame
    g = state.g if f is None else _owner(state, f)
    value = _execute(state, f, g, _compile(value_expression, statements=False)[0])
    if node.scope == "locals":
        loc = compat.writable_locals(f)
        loc[name] = value
        compat.commit_locals(f, loc)
    elif node.scope == "globals":
        node.obj[name] = value
    else:
        _assign_child(state, g, node.obj, name, value)
    return _answer(state.describe(name, value, f))


def _assign_child(state, g, obj, name, value):
    tp = type(obj)
    if isinstance(obj, dict):
        for k in list(dict.keys(obj)):
            if (k if type(k) is str else reprs.safe_repr(k)) == name:
                _run(state.rec, g, lambda: obj.__setitem__(k, value))
                return
        raise EvalError("%s has no key %s any more" % (reprs.type_name(obj), name))
    m = re.match(r"^\[(\d+)\]$", name)
    if m is not None and tp is list:
        obj[int(m.group(1))] = value
        return
    if m is not None or tp in (tuple, set, frozenset):
        raise EvalError("a %s cannot be changed in place" % tp.__name__)
    _run(state.rec, g, lambda: setattr(obj, name, value))


def set_expression(state, frame_id, expression, value_expression):
    try:
        target = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError as e:
        raise EvalError("SyntaxError: %s" % e.msg)
    if not isinstance(target, (ast.Name, ast.Attribute, ast.Subscript)):
        raise EvalError("%s cannot be assigned to (a name, an attribute or an item can)" % expression.strip())
    f, g = state.frame_and_greenlet(frame_id)
    code, _ = _compile("%s = (%s)" % (expression.strip(), value_expression), statements=True)
    _execute(state, f, g, code)
    value = _execute(state, f, g, _compile(expression, statements=False)[0])
    return _answer(state.describe("", value, f))


def _answer(var):
    body = dict(var)
    body.pop("name")
    return body


def _owner(state, f):
    for entry in state._frames.values():
        if entry[0] is f:
            return entry[2]
    return state.g


def kill_greenlets(state, ids):
    """Terminate Thread: gevent's Greenlet.kill(block=False) for each, as the
    program would call it: GreenletExit is raised in the greenlet when the
    loop next runs it (so once the program continues); a greenlet that never
    started just never runs. Plain greenlets, the hub and main are refused."""
    rec = state.rec
    cls = compat.greenlet_class()
    for g in ids:
        glet = rec.greenlets.object_of(g)
        if glet is None or getattr(glet, "dead", False):
            raise EvalError("g%d has ended already" % g)
        if g in rec.hubs or cls is None or not isinstance(glet, cls):
            raise EvalError("g%d is not a gevent Greenlet (the hub, main or a plain greenlet): only a Greenlet can be "
                            "killed, as Greenlet.kill() does" % g)
    for g in ids:
        glet = rec.greenlets.object_of(g)
        _run(rec, state.g, lambda: glet.kill(block=False))
    return {}


# -- hover and completions: read, never run -------------------------------------
def _lookup_name(f, name):
    glob, _ = _namespaces(f)
    if f is not None:
        loc = compat.frame_locals(f)
        if name in loc:
            return loc[name]
    if name in glob:
        return glob[name]
    builtins = glob.get("__builtins__", __builtins__)
    builtins = builtins if type(builtins) is dict else getattr(builtins, "__dict__", {})
    if name in builtins:
        return builtins[name]
    raise EvalError("NameError: name %r is not defined" % name)


def _static_attr(obj, name):
    """An attribute the way it is stored: no property, __getattr__ or
    __getattribute__ of the program runs."""
    import inspect
    try:
        value = inspect.getattr_static(obj, name)
    except AttributeError:
        raise EvalError("AttributeError: %s has no attribute %r" % (reprs.type_name(obj), name))
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    kind = type(value).__name__
    if kind in ("property", "getset_descriptor", "member_descriptor", "cached_property"):
        raise EvalError("%s.%s is computed by code, which hover does not run (evaluate it in the Debug Console)"
                        % (reprs.type_name(obj), name))
    return value


def _static_chain(f, expression):
    if not _CHAIN.match(expression):
        raise EvalError("hover shows names and attribute chains only")
    parts = [p.strip() for p in expression.split(".")]
    value = _lookup_name(f, parts[0])
    for name in parts[1:]:
        value = _static_attr(value, name)
    return value


def _names_of(obj):
    """Attribute names of obj found without running its code."""
    tp = type(obj)
    if tp.__name__ == "module":
        names = set(object.__getattribute__(obj, "__dict__"))
    else:
        names = set(k for k, _ in _instance_attrs(obj))
    classes = list(_mro(tp)) + (list(_mro(obj)) if isinstance(obj, type) else [])
    for klass in classes:
        names.update(_TYPE_DICT.__get__(klass))
    return names


def completions(state, frame_id, text, column):
    """Completions for the text before `column` (0-based offset)."""
    f, _g = state.frame_and_greenlet(frame_id)
    before = text[:column]
    m = _COMPLETE.search(before)
    chain = (m.group(1) or "") if m else ""
    prefix = (m.group(2) or "") if m else ""
    if chain:
        try:
            obj = _static_chain(f, chain.rstrip().rstrip(".").rstrip())
        except EvalError:
            return {"targets": []}
        names = _names_of(obj)
        kinds = {}
    else:
        glob, _ = _namespaces(f)
        loc = compat.frame_locals(f) if f is not None else {}
        builtins = glob.get("__builtins__", __builtins__)
        builtins = builtins if type(builtins) is dict else getattr(builtins, "__dict__", {})
        names = set(loc) | set(glob) | set(builtins)
        kinds = dict.fromkeys(keyword.kwlist, "keyword")
        names |= set(kinds)
    hide_private = not prefix.startswith("_")
    chosen = sorted(n for n in names if isinstance(n, str) and n.startswith(prefix) and not (hide_private and n.startswith("_")))
    start = column - len(prefix)
    return {"targets": [{"label": n, "type": kinds.get(n, "property" if chain else "variable"), "start": start, "length": len(prefix)}
                        for n in chosen[:500]]}
