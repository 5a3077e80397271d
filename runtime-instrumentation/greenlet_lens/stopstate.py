"""What the debug adapter may look at while the program is stopped: the
greenlets' stacks, their frames' scopes and variables. Read on the control
thread while the program's thread waits, with ids valid until it resumes.
Values are shown with reprs.safe_repr: no program code runs. Children are
found without attribute lookups on the object (which would run a class's
__getattribute__, or a __dict__/__class__ property): the instance dict and
slots are read through the built-in descriptors found in the type's own
dicts, and anything else shows no children."""
import sys
import types

from . import compat, frames, reprs

_MAX_CHILDREN = 300
_SCALAR = (int, float, complex, bool, str, bytes, type(None))
_MRO = type.__dict__["__mro__"]
_TYPE_DICT = type.__dict__["__dict__"]
_GETSET = types.GetSetDescriptorType
_MEMBER = types.MemberDescriptorType


def _mro(tp):
    """tp.__mro__ without asking tp (a metaclass may define __getattribute__)."""
    return _MRO.__get__(tp)


def _is_exact(tp, choices):
    for c in choices:
        if tp is c:
            return True
    return False


def _builtin_base(tp, base):
    for c in _mro(tp):
        if c is base:
            return True
    return False


def _instance_attrs(obj):
    """(name, value) of obj's __dict__ and slots, read only through the
    built-in descriptors of its classes; [] when a class defines its own."""
    out = []
    seen = set()
    for klass in _mro(type(obj)):
        d = _TYPE_DICT.__get__(klass)
        if "__dict__" in d and "__dict__" not in seen:
            seen.add("__dict__")
            desc = d["__dict__"]
            if type(desc) is not _GETSET:
                return []  # a property or other program code
            try:
                inst = desc.__get__(obj, klass)
            except Exception:
                inst = None
            if type(inst) is dict:
                out.extend((k, v) for k, v in list(dict.items(inst))[:_MAX_CHILDREN] if type(k) is str)
        slots = d.get("__slots__", ())
        if type(slots) is str:
            slots = (slots,)
        if not _is_exact(type(slots), (tuple, list)):
            continue
        for name in slots:
            if type(name) is not str or name in seen or name in ("__dict__", "__weakref__"):
                continue
            seen.add(name)
            desc = d.get(name)
            if type(desc) is _MEMBER:
                try:
                    out.append((name, desc.__get__(obj, klass)))
                except AttributeError:
                    pass  # an empty slot
    return out[:_MAX_CHILDREN]


class Node(object):
    """What a variables reference names: a value, the frame it was reached
    from (set value evaluates there), and for a scope which one."""
    __slots__ = ("obj", "frame", "scope", "special")

    def __init__(self, obj, frame, scope=None, special=False):
        self.obj = obj
        self.frame = frame
        self.scope = scope  # "locals", "globals" or None
        self.special = special  # a scope's "special variables" group: its dunder names


class RefCounter(object):
    """Frame ids and variables references for a whole session: they never
    repeat, so a late request about an earlier stop is refused, never answered
    with another object."""

    def __init__(self):
        self.next = 1


class StopState(object):
    def __init__(self, rec, g, top_frame, tb, counter, place=None):
        self.rec = rec
        self.place = place      # (file, line, name) to show when the traceback has no frame of the program's
        self.g = g              # the greenlet the program stopped in
        self.top = top_frame    # its innermost frame (None for a new greenlet)
        self.tb = tb            # an exception's traceback, for exception stops
        self._frames = {}       # frame id -> (frame, line, greenlet id)
        self._vars = {}         # variables reference -> Node
        self._counter = counter

    def _ref(self, table, value):
        n = self._counter.next
        self._counter.next += 1
        table[n] = value
        return n

    def _frames_of(self, g):
        """[(frame, line)] innermost first, this runtime's frames left out."""
        if g == self.g and self.tb is not None:
            out = []
            tb = self.tb
            while tb is not None:
                out.append((tb.tb_frame, tb.tb_lineno))
                tb = tb.tb_next
            out.reverse()
            return [(f, ln) for f, ln in out if frames.code_class(f.f_code) != frames.OURS]
        if g == self.g:
            f = self.top
        else:
            glet = self.rec.greenlets.object_of(g)
            f = glet.gr_frame if glet is not None else None
        out = []
        while f is not None:
            if frames.code_class(f.f_code) != frames.OURS:
                out.append((f, f.f_lineno))
            f = f.f_back
        return out

    def has_user_frame(self, g):
        return any(frames.code_class(f.f_code) == frames.USER for f, _line in self._frames_of(g))

    def stack(self, g, start=0, levels=0):
        all_frames = self._frames_of(g)
        if not all_frames and g == self.g and self.place is not None:
            # A syntax error: its line, as a frame with nothing to look at but the line.
            file, line, name = self.place
            if start > 0:
                return {"frames": [], "total": 1}
            return {"frames": [{"id": self._ref(self._frames, (None, line, g)), "name": name, "file": file,
                                "line": line, "user": True}], "total": 1}
        chosen = all_frames[start:start + levels] if levels else all_frames[start:]
        result = []
        for f, line in chosen:
            code = f.f_code
            result.append({
                "id": self._ref(self._frames, (f, line, g)),
                "name": getattr(code, "co_qualname", code.co_name),
                "file": code.co_filename,
                "line": line,
                "user": frames.code_class(code) == frames.USER,
            })
        return {"frames": result, "total": len(all_frames)}

    def _frame(self, frame_id):
        entry = self._frames.get(frame_id)
        if entry is None:
            raise LookupError("no frame %d at this stop (frame ids last until the program continues)" % frame_id)
        return entry

    def frame_and_greenlet(self, frame_id):
        """(frame, greenlet id) of a frame id; without one, the stop's own frame."""
        if frame_id is None:
            return self.top, self.g
        f, _line, g = self._frame(frame_id)
        return f, g

    def node(self, ref):
        node = self._vars.get(ref)
        if node is None:
            raise LookupError("no variables reference %d at this stop (references last until the program continues)" % ref)
        return node

    def scopes(self, frame_id):
        f, _line, _g = self._frame(frame_id)
        if f is None:
            return {"scopes": []}
        return {"scopes": [
            {"name": "Locals", "variablesReference": self._ref(self._vars, Node(compat.frame_locals(f), f, "locals"))},
            {"name": "Globals", "variablesReference": self._ref(self._vars, Node(f.f_globals, f, "globals"))},
        ]}

    def variables(self, ref, start=0, count=0, filter=None):
        node = self.node(ref)
        obj = node.obj
        if node.scope == "locals":
            obj = node.obj = compat.frame_locals(node.frame)  # as it is now: set value may have changed it
        if filter == "named" and paged_length(obj) is not None:
            return {"variables": []}  # a paged sequence has only indexed children
        if node.scope is not None:
            return {"variables": self._scope_variables(node, obj)}
        items = children(obj, start, count)
        return {"variables": [self.describe(name, value, node.frame) for name, value in items]}

    def _scope_variables(self, node, obj):
        """A scope's names with its dunders (__name__, __builtins__, __loader__…)
        in one "special variables" group after them, as the Python debugger
        shows them: a module's Globals then start with the program's names."""
        pairs = [(k, v) for k, v in children(obj) if _is_special(k) == node.special]
        out = [self.describe(name, value, node.frame) for name, value in pairs]
        if not node.special and any(_is_special(k) for k in _names(obj)):
            group = Node(node.obj, node.frame, node.scope, special=True)
            out.append({"name": "special variables", "value": "", "type": "", "variablesReference": self._ref(self._vars, group)})
        return out

    def describe(self, name, value, frame):
        """A variable as DAP shows it; expandable values get a reference
        (kept with the frame they were reached from), big sequences page."""
        tp = type(value)
        out = {"name": name, "value": reprs.safe_repr(value), "type": reprs.type_name(value), "variablesReference": 0}
        if _is_exact(tp, _SCALAR):
            return out
        self._identify(value, out)
        size = paged_length(value)
        if size is not None:
            out["indexedVariables"] = size
        elif not children(value, 0, 1):
            return out
        out["variablesReference"] = self._ref(self._vars, Node(value, frame))
        return out

    def _identify(self, value, out):
        """A greenlet or gevent object the trace knows: its id, so the adapter
        can show the facts its model holds (the board's) for it."""
        n = self.rec.objects.get(value)
        if n:
            out["obj"] = n
            return
        if compat.is_greenlet_type(type(value), _mro):
            n = self.rec.greenlets.get(value)
            if n:
                out["g"] = n


# Sequences longer than this page (DAP indexedVariables): the client asks
# for them a hundred at a time.
PAGE_ABOVE = 100


def paged_length(obj):
    if _is_exact(type(obj), (list, tuple)) and len(obj) > PAGE_ABOVE:
        return len(obj)
    return None


def children(obj, start=0, count=0):
    """(name, value) of what an object shows when expanded, from `start`,
    at most `count` (0: up to _MAX_CHILDREN); never runs program code."""
    tp = type(obj)
    end = start + count if count else start + _MAX_CHILDREN
    if tp is dict or _builtin_base(tp, dict):
        pairs = list(dict.items(obj))[start:end]
        return [(k if type(k) is str else reprs.safe_repr(k), v) for k, v in pairs]
    if _is_exact(tp, (list, tuple)):
        return [("[%d]" % i, obj[i]) for i in range(start, min(end, len(obj)))]
    if _is_exact(tp, (set, frozenset)):
        return [("{%d}" % i, v) for i, v in enumerate(list(obj)[start:end], start)]
    return _instance_attrs(obj)[start:end]


def _is_special(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _names(scope):
    return [k for k in dict.keys(scope) if type(k) is str] if isinstance(scope, dict) else []


def current_top_frame():
    """The innermost frame of the running greenlet outside this runtime."""
    f = sys._getframe(1)
    while f is not None and frames.code_class(f.f_code) == frames.OURS:
        f = f.f_back
    return f
