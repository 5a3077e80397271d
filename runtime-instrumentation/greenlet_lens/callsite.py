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


_JUMPS = set(getattr(dis, "hasjrel", ())) | set(getattr(dis, "hasjabs", ())) | set(getattr(dis, "hasjump", ()))
_ENDS = {"RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE"}
# Instructions that push nothing (the rest push one value, or are loads handled by name).
_NO_PUSH_PREFIXES = ("STORE_", "DELETE_", "POP_", "JUMP", "SETUP_", "RETURN_", "RAISE_", "END_")
_NO_PUSH = {"NOP", "EXTENDED_ARG", "RESUME", "KW_NAMES", "CACHE", "RERAISE", "PRINT_EXPR",
            "IMPORT_STAR", "LIST_APPEND", "SET_ADD", "MAP_ADD", "COPY_FREE_VARS", "MAKE_CELL"}
_depth_cache = {}


def _unconditional(name):
    return name.startswith("JUMP") and "IF" not in name


def _depths(code, instrs):
    """The stack depth before each instruction, by a forward walk that follows
    jumps (a conditional expression among the arguments merges two branches)
    and, from 3.11, the exception table; None where it is not reached. Also
    which instructions jump to each offset, for walking back."""
    got = _depth_cache.get(code)
    if got is not None:
        return got
    pending = {}
    sources = {}
    for entry in getattr(dis.Bytecode(code), "exception_entries", ()) or ():
        pending.setdefault(entry.target, entry.depth + (2 if entry.lasti else 1))
    depths = [None] * len(instrs)
    d = 0
    for i, ins in enumerate(instrs):
        if d is None:
            d = pending.get(ins.offset)
            if d is None:
                continue
        depths[i] = d
        name = ins.opname
        if ins.opcode in _JUMPS and isinstance(ins.argval, int):
            try:
                taken = dis.stack_effect(ins.opcode, ins.arg, jump=True)
            except (ValueError, TypeError):
                taken = None
            if taken is not None:
                pending.setdefault(ins.argval, d + taken)
            sources.setdefault(ins.argval, []).append(i)
            if _unconditional(name):
                d = None
                continue
        if name in _ENDS:
            d = None
            continue
        e = _effect(ins)
        if e is None:
            d = None
            continue
        d += e
    got = (depths, sources)
    if len(_depth_cache) < 20_000:
        _depth_cache[code] = got
    return got


def _before(instrs, j, sources):
    """The instruction executed just before instrs[j] on a path to it: the one
    above it, unless that one never falls through (the end of the other
    branch of a conditional expression); then the nearest jump to it."""
    if j <= 0:
        return None
    p = instrs[j - 1]
    if p.opname in _ENDS or (p.opcode in _JUMPS and _unconditional(p.opname)):
        earlier = [k for k in sources.get(instrs[j].offset, ()) if k < j]
        return max(earlier) if earlier else None
    return j - 1


def _pops(ins, effect):
    """How far below its starting depth an instruction reaches (an upper bound:
    too high only ever makes the analysis give up)."""
    name = ins.opname
    if name in NAME_LOADS or name in ("LOAD_CONST", "LOAD_SMALL_INT", "PUSH_NULL", "LOAD_CLOSURE", "COPY", "DUP_TOP"):
        return 0
    if name in ATTR_LOADS:
        return 1
    if name in _NO_PUSH or name.startswith(_NO_PUSH_PREFIXES):
        return max(0, -effect)
    return max(0, 1 - effect)


def _callee_index(code, instrs, first_call, at):
    """Index of the instruction that last wrote the called function (or
    method) into its stack slot, for the call made by instrs[first_call..at]
    (PRECALL+CALL in 3.11): a name or attribute load, else None.

    The call consumes the values from slot ``base`` up; walking back from the
    call, the first instruction reaching down to that slot produced the
    callable (3.11 may have put a NULL there first, before the name).
    """
    call_effect = 0
    for k in range(first_call, at + 1):
        e = _effect(instrs[k])
        if e is None:
            return None
        call_effect += e
    depths, sources = _depths(code, instrs)
    if depths[first_call] is None:
        return None
    base = depths[first_call] - (1 - call_effect)
    j = first_call
    for _ in range(400):
        j = _before(instrs, j, sources)
        if j is None:
            return None
        d = depths[j]
        e = _effect(instrs[j])
        if d is None or e is None:
            return None
        if d - _pops(instrs[j], e) > base:
            continue
        ins = instrs[j]
        if ins.opname == "PUSH_NULL" and j + 1 < first_call and instrs[j + 1].opname in NAME_LOADS:
            # NULL, then the callable: a name and the attributes read from it (gevent.joinall).
            m = j + 1
            while m + 1 < first_call and instrs[m + 1].opname in ATTR_LOADS:
                m += 1
            return m
        if d == base and ins.opname in NAME_LOADS:
            return j
        if d == base + 1 and ins.opname in ATTR_LOADS:
            return j
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


def _call_index(code, lasti):
    """(instructions without inline caches, index of the instruction at lasti:
    for a call, its last instruction, CALL after 3.11's PRECALL)."""
    instrs = [i for i in _instructions(code) if i.opname != "CACHE"]
    at = None
    # f_lasti may point into the call's inline cache: take the last
    # instruction that starts at or before it.
    for idx, ins in enumerate(instrs):
        if ins.offset <= lasti:
            at = idx
        else:
            break
    if at is not None and instrs[at].opname == "PRECALL" and at + 1 < len(instrs) and instrs[at + 1].opname == "CALL":
        at += 1
    return instrs, at


def _call(code, lasti):
    """(instructions, index of the call, index of the callee's load) for the
    call instruction at lasti, or None when lasti is at no call."""
    instrs, at = _call_index(code, lasti)
    if at is None or instrs[at].opname not in CALLS:
        return instrs, at, None
    first_call = at
    while first_call > 0 and instrs[first_call - 1].opname in ("PRECALL", "KW_NAMES"):
        first_call -= 1
    return instrs, at, _callee_index(code, instrs, first_call, at)


def _analyse(code, lasti):
    instrs, at, m = _call(code, lasti)
    if at is None:
        return None
    if instrs[at].opname in WITH_ENTRY:
        chain = _chain_ending_before(instrs, at)
        return ("__enter__", chain, None) if chain else None
    if m is None:
        return None
    method = _name(instrs[m])
    if method not in BLOCKING:
        return None
    chain = _chain_ending_before(instrs, m) if instrs[m].opname in ATTR_LOADS else None
    return (method, chain, _timeout_const(code, instrs, m + 1, at + 1))


def _callee_name(code, lasti):
    instrs, _at, m = _call(code, lasti)
    return _name(instrs[m]) if m is not None else None


_callee_cache = {}


def _per_instruction(cache, limit, analyse, frame):
    """analyse(code, lasti) for the frame's current instruction, cached (None if it fails)."""
    code = frame.f_code
    key = (code, frame.f_lasti)
    try:
        return cache[key]
    except KeyError:
        pass
    try:
        result = analyse(code, frame.f_lasti)
    except Exception:
        result = None
    if len(cache) < limit:
        cache[key] = result
    return result


def callee_name(frame):
    """The name the frame's current call was made through (``JoinableQueue`` in
    ``q = gevent.queue.JoinableQueue()``), or None."""
    return _per_instruction(_callee_cache, 10_000, _callee_name, frame)


def call_at(frame):
    """(method name, receiver chain or None, constant timeout or None) or None."""
    return _per_instruction(_cache, 100_000, _analyse, frame)


STORES = {"STORE_NAME", "STORE_GLOBAL", "STORE_FAST", "STORE_DEREF"}
_SKIPPED = {"NOP", "EXTENDED_ARG", "CACHE"}
_assigned_cache = {}


def _assigned_name(code, lasti):
    """The name the value of the call at lasti is stored under: the variable
    (``tasks = Queue(3)``), or the attribute of a variable (``self.done =
    Event()``, ``app.state.jobs = Queue()``); None for anything else (an
    argument, an element, an expression, a tuple to unpack)."""
    instrs, at = _call_index(code, lasti)
    if at is None or instrs[at].opname not in CALLS:
        return None
    after = [i for i in instrs[at + 1:at + 12] if i.opname not in _SKIPPED]
    if not after:
        return None
    first = after[0]
    if first.opname in STORES:
        return _name(first)
    if first.opname not in NAME_LOADS or isinstance(first.argval, tuple):
        return None
    names = [_name(first)]
    for ins in after[1:]:
        if ins.opname == "LOAD_ATTR":
            names.append(_name(ins))
        elif ins.opname == "STORE_ATTR":
            names.append(_name(ins))
            return ".".join(names) if None not in names else None
        else:
            return None
    return None


def assigned_name(frame):
    """What the frame stores the result of its current call under (``tasks``,
    ``self.done``), or None."""
    return _per_instruction(_assigned_cache, 10_000, _assigned_name, frame)


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
