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
BLOCKING = {"get", "put", "peek", "wait", "join", "joinall", "acquire", "killall", "kill",
            "sleep", "select", "recv", "recv_into", "recvfrom", "accept", "connect",
            "sendall", "send", "read", "readline", "iwait", "wait_read", "wait_write",
            "get_nowait", "put_nowait", "__enter__"}

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


def _chain_before(instrs, i):
    """The dotted load chain ending just before instrs[i], e.g. ('self', 'q')."""
    chain = []
    j = i - 1
    while j >= 0:
        ins = instrs[j]
        op = ins.opname
        if op in ATTR_LOADS:
            name = _name(ins)
            if name is None:
                return None
            chain.append(name)
        elif op in NAME_LOADS:
            name = _name(ins)
            if name is None:
                return None
            chain.append(name)
            chain.reverse()
            return (op, tuple(chain))
        elif op in ("CACHE", "PUSH_NULL", "EXTENDED_ARG", "NOP"):
            pass
        else:
            return None
        j -= 1
    return None


def _timeout_const(instrs, start, end):
    """A constant ``timeout=`` keyword between the method load and the call."""
    for k in range(start, end):
        ins = instrs[k]
        if ins.opname in ("KW_NAMES", "LOAD_CONST") and isinstance(ins.argval, tuple) \
                and ins.argval and ins.argval[-1] == "timeout" and all(isinstance(x, str) for x in ins.argval):
            prev = k - 1
            while prev > start and instrs[prev].opname in ("CACHE", "EXTENDED_ARG"):
                prev -= 1
            v = instrs[prev].argval if instrs[prev].opname == "LOAD_CONST" else None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v)
    return None


def _analyse(code, lasti):
    instrs = _instructions(code)
    at = None
    for idx, ins in enumerate(instrs):
        if ins.offset == lasti:
            at = idx
            break
    if at is None:
        return None
    op = instrs[at].opname
    if op in WITH_ENTRY:
        chain = _chain_before(instrs, at)
        return ("__enter__", chain, None) if chain else None
    if op not in CALLS:
        return None
    # The nearest preceding load of a blocking name is the method being called;
    # what was loaded right before it is the receiver.
    for k in range(at - 1, max(-1, at - 40), -1):
        ins = instrs[k]
        if ins.opname in ATTR_LOADS or ins.opname in NAME_LOADS:
            name = _name(ins)
            if name in BLOCKING:
                chain = _chain_before(instrs, k) if ins.opname in ATTR_LOADS else None
                return (name, chain, _timeout_const(instrs, k + 1, at))
    return None


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
