"""Bounded, side-effect-free reprs of program data.

A program's own ``__repr__``/``__str__`` may raise, block, switch greenlets or
build megabytes, so they are never called: builtin scalars and containers are
rendered here, dataclasses and named tuples field by field, anything else as
``<module.Class>``. Output never holds a ``0x…`` address.
"""
import re

LIMIT = 200
_ADDR = re.compile(r"0x[0-9a-fA-F]+")
_SCALARS = (int, float, complex, bool, type(None))
_MAX_ITEMS = 12
_MAX_DEPTH = 3


NAME_LIMIT = 200


def bounded_name(s):
    """A greenlet name or mark label as stored: a plain str of at most
    NAME_LIMIT characters (a str subclass's own methods are not called)."""
    return _cut(str.__str__(s), NAME_LIMIT) if isinstance(s, str) else ""


def _one_of(tp, choices):
    # Identity, not `in`: `in` compares with ==, which a metaclass may define.
    for c in choices:
        if tp is c:
            return True
    return False


def _cut(s, limit):
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


def _type_name(tp):
    mod = getattr(tp, "__module__", None)
    name = getattr(tp, "__qualname__", None) or getattr(tp, "__name__", "?")
    if not isinstance(name, str):
        name = "?"
    if mod in (None, "builtins", "__main__") or not isinstance(mod, str):
        return name
    return mod + "." + name


def type_name(obj):
    return _type_name(type(obj))


def _seq(items, opener, closer, depth, budget, single_tuple=False):
    parts = []
    for i, item in enumerate(items):
        if i >= _MAX_ITEMS or budget <= 0:
            parts.append("\u2026")
            break
        r = _render(item, depth + 1, budget)
        budget -= len(r) + 2
        parts.append(r)
    inner = ", ".join(parts)
    if single_tuple and len(parts) == 1:
        inner += ","
    return opener + inner + closer


def _render(obj, depth, budget):
    tp = type(obj)
    if _one_of(tp, _SCALARS):
        return repr(obj)
    if tp is str:
        return repr(obj[: budget + 2]) if len(obj) > budget else repr(obj)
    if _one_of(tp, (bytes, bytearray)):
        r = repr(bytes(obj[:budget]))
        return r if tp is bytes else "bytearray(" + r + ")"
    if depth >= _MAX_DEPTH:
        return "\u2026"
    if tp is list:
        return _seq(obj, "[", "]", depth, budget)
    if tp is tuple:
        return _seq(obj, "(", ")", depth, budget, single_tuple=True)
    if _one_of(tp, (set, frozenset)):
        if not obj:
            return tp.__name__ + "()"
        body = _seq(list(obj), "{", "}", depth, budget)
        return body if tp is set else "frozenset(" + body + ")"
    if tp is dict:
        parts = []
        for i, (k, v) in enumerate(obj.items()):
            if i >= _MAX_ITEMS or budget <= 0:
                parts.append("\u2026")
                break
            r = _render(k, depth + 1, budget) + ": " + _render(v, depth + 1, budget)
            budget -= len(r) + 2
            parts.append(r)
        return "{" + ", ".join(parts) + "}"
    if issubclass(tp, BaseException):
        return _type_name(tp) + _seq(BaseException.__getattribute__(obj, "args"), "(", ")", depth, budget)
    if issubclass(tp, tuple) and hasattr(tp, "_fields"):
        fields = tp._fields
        parts = []
        for name, value in zip(fields, tuple.__iter__(obj)):
            parts.append("%s=%s" % (name, _render(value, depth + 1, budget)))
        return tp.__name__ + "(" + ", ".join(parts) + ")"
    fields = tp.__dict__.get("__dataclass_fields__") if hasattr(tp, "__dict__") else None
    if isinstance(fields, dict):
        parts = []
        try:
            d = object.__getattribute__(obj, "__dict__")
        except Exception:
            d = None
        for name in list(fields)[:_MAX_ITEMS]:
            # Instance dict only: a property or __getattr__ could run program code.
            if isinstance(d, dict) and name in d:
                parts.append("%s=%s" % (name, _render(d[name], depth + 1, budget)))
        return tp.__name__ + "(" + ", ".join(parts) + ")"
    if issubclass(tp, type):
        return "<class " + _type_name(obj) + ">"
    fn = getattr(tp, "__name__", "")
    if fn in ("function", "builtin_function_or_method", "method"):
        return "<" + fn + " " + callable_name(obj) + ">"
    return "<" + _type_name(tp) + ">"


def safe_repr(obj, limit=LIMIT):
    try:
        text = _render(obj, 0, limit)
    except Exception:
        text = "<" + _type_name(type(obj)) + ">"
    return _cut(_ADDR.sub("0x?", text), limit)


def callable_name(fn):
    """A qualified name for what a greenlet runs; never calls program code."""
    try:
        tp = type(fn)
        if tp.__name__ == "method":
            fn = fn.__func__
            tp = type(fn)
        if tp.__name__ in ("function", "builtin_function_or_method", "cython_function_or_method"):
            name = fn.__qualname__
            return name if isinstance(name, str) else "?"
        if tp.__name__ == "partial":
            return "partial(" + callable_name(fn.func) + ")"
        return _type_name(tp)
    except Exception:
        return "?"


def exception_message(exc):
    """str(exc) for builtin exception types; the args otherwise (no program __str__)."""
    try:
        tp = type(exc)
        if tp.__str__ is BaseException.__str__ or tp.__module__ == "builtins":
            args = exc.args
            if len(args) == 1 and type(args[0]) is str:
                return _cut(_ADDR.sub("0x?", args[0]), 2000)
            if not args:
                return ""
        args = BaseException.__getattribute__(exc, "args")
        if not args:
            return ""
        return _cut(_ADDR.sub("0x?", _render(args, 0, LIMIT)), 2000)
    except Exception:
        return ""
