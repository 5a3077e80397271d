"""What a suspended frame is calling, read from its bytecode.

In compiled gevent, ``q.get()``, ``evt.wait()`` or ``g.join()`` leave no Python
frame: the waiting greenlet's innermost frame is the program's own, stopped at
the call. Its bytecode names the method and the expression it was looked up on
(``tasks`` in ``tasks.get(timeout=1)``), which is enough to find the object
without running any program code. Results are cached per (code, offset).
"""
import dis

NAME_LOADS = {"LOAD_NAME", "LOAD_GLOBAL", "LOAD_FAST", "LOAD_DEREF", "LOAD_CLASSDEREF",
              "LOAD_FAST_CHECK", "LOAD_FAST_AND_CLEAR", "LOAD_FAST_BORROW"}
ATTR_LOADS = {"LOAD_ATTR", "LOAD_METHOD"}
WITH_ENTRY = {"BEFORE_WITH", "SETUP_WITH", "LOAD_SPECIAL"}
CALLS = {"CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW", "CALL_KW",
         "CALL_FUNCTION_EX", "PRECALL"}
# Calls that can wait; *_nowait ones never do.
BLOCKING = {"get", "put", "peek", "wait", "join", "joinall", "acquire", "killall", "kill",
            "sleep", "select", "recv", "recv_into", "recvfrom", "accept", "connect",
            "sendall", "send", "read", "readline", "iwait", "wait_read", "wait_write",
            "__enter__"}

_cache = {}


def _instructions(code):
    try:
        return list(dis.get_instructions(code))
    except Exception:
        return []


def _name(ins):
    v = ins.argval
    if isinstance(v, tuple):  # 3.12+ LOAD_FAST_LOAD_FAST and friends
        v = v[-1]
    return v if isinstance(v, str) else None


def _line(ins, current):
    """The source line an instruction belongs to (3.8-3.13 spell it differently)."""
    pos = getattr(ins, "positions", None)
    if pos is not None and pos.lineno is not None:
        return pos.lineno
    ln = getattr(ins, "line_number", None)
    if ln is not None:
        return ln
    sl = ins.starts_line
    return sl if isinstance(sl, int) and not isinstance(sl, bool) else current


def _effect(ins):
    try:
        if ins.arg is None:
            return dis.stack_effect(ins.opcode, jump=False)
        return dis.stack_effect(ins.opcode, ins.arg, jump=False)
    except (ValueError, TypeError):
        return None


def _callee_index(instrs, first_call, at):
    """Index of the load that put the called function (or method) on the stack
    for the call made by instrs[first_call..at] (PRECALL+CALL in 3.11).

    The call pops P values: the callable (with its self or NULL) below the
    arguments. Walking back, the first name or attribute load that pushes
    exactly the values not yet accounted for by what later instructions
    pushed (3.11 may put a NULL before a plain name) is the callable's. None
    when control flow or another line gets in the way.
    """
    call_effect = 0
    for k in range(first_call, at + 1):
        e = _effect(instrs[k])
        if e is None:
            return None
        call_effect += e
    popped = 1 - call_effect
    line = _line(instrs[at], None)
    above = 0
    for j in range(first_call - 1, max(-1, first_call - 80), -1):
        ins = instrs[j]
        if line is not None and _line(ins, line) != line:
            return None
        e = _effect(ins)
        if e is None or ins.is_jump_target:
            return None
        left = popped - above
        if ins.opname in ATTR_LOADS and left == e + 1:  # pops the owner, pushes the callable (and self)
            return j
        if ins.opname in NAME_LOADS and (left == e or (left == e + 1 and j > 0 and instrs[j - 1].opname == "PUSH_NULL")):
            return j
        above += e
        if above >= popped:
            return None
    return None


def _chain_ending_before(instrs, m):
    """The load chain (e.g. self.q) that computed what instrs[m] works on, or None."""
    names = []
    j = m - 1
    while j >= 0 and instrs[j].opname in ATTR_LOADS:
        names.append(_name(instrs[j]))
        j -= 1
    if j < 0 or instrs[j].opname not in NAME_LOADS:
        return None
    names.append(_name(instrs[j]))
    if None in names:
        return None
    names.reverse()
    return (instrs[j].opname, tuple(names))


def _kw_names(code, ins):
    v = ins.argval
    if ins.opname == "KW_NAMES":  # 3.11/3.12: dis shows no argval for it
        try:
            v = code.co_consts[ins.arg]
        except (IndexError, TypeError):
            return None
    return v if isinstance(v, tuple) and all(isinstance(x, str) for x in v) else None


def _timeout_const(code, instrs, start, end):
    """A constant ``timeout=`` keyword of the call."""
    for k in range(start, end):
        ins = instrs[k]
        if ins.opname not in ("KW_NAMES", "LOAD_CONST"):
            continue
        names = _kw_names(code, ins)
        if not names or names[-1] != "timeout":
            continue
        prev = k - 1
        v = instrs[prev].argval if prev >= start and instrs[prev].opname == "LOAD_CONST" else None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def _analyse(code, lasti):
    instrs = [i for i in _instructions(code) if i.opname != "CACHE"]
    at = None
    # f_lasti may point into the call's inline cache: take the last
    # instruction that starts at or before it.
    for idx, ins in enumerate(instrs):
        if ins.offset <= lasti:
            at = idx
        else:
            break
    if at is None:
        return None
    op = instrs[at].opname
    if op in WITH_ENTRY:
        chain = _chain_ending_before(instrs, at)
        return ("__enter__", chain, None) if chain else None
    if op not in CALLS:
        return None
    if op == "PRECALL" and at + 1 < len(instrs) and instrs[at + 1].opname == "CALL":
        at += 1
    first_call = at
    while first_call > 0 and instrs[first_call - 1].opname in ("PRECALL", "KW_NAMES"):
        first_call -= 1
    m = _callee_index(instrs, first_call, at)
    if m is None:
        return None
    method = _name(instrs[m])
    if method not in BLOCKING:
        return None
    chain = _chain_ending_before(instrs, m) if instrs[m].opname in ATTR_LOADS else None
    return (method, chain, _timeout_const(code, instrs, m + 1, at + 1))


def call_at(frame):
    """(method name, receiver chain or None, constant timeout or None) or None."""
    code = frame.f_code
    key = (code, frame.f_lasti)
    try:
        return _cache[key]
    except KeyError:
        pass
    try:
        result = _analyse(code, frame.f_lasti)
    except Exception:
        result = None
    if len(_cache) < 100_000:
        _cache[key] = result
    return result


_MISSING = object()


def resolve(frame, chain):
    """The object a load chain names in frame, reading dicts only (no properties,
    no __getattr__), or None."""
    if not chain:
        return None
    op, names = chain
    first = names[0]
    obj = _MISSING
    try:
        if op != "LOAD_GLOBAL":
            obj = frame.f_locals.get(first, _MISSING)
        if obj is _MISSING:
            obj = frame.f_globals.get(first, _MISSING)
        if obj is _MISSING:
            b = frame.f_builtins
            obj = b.get(first, _MISSING) if isinstance(b, dict) else _MISSING
        if obj is _MISSING:
            return None
        for name in names[1:]:
            d = object.__getattribute__(obj, "__dict__")
            if not isinstance(d, dict) or name not in d:
                return None
            obj = d[name]
    except Exception:
        return None
    return obj
