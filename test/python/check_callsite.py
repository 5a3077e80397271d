"""Checks callsite.py against this interpreter's bytecode: argv[1] is its path.
Prints "ok" or the mismatches; exits non-zero on a mismatch."""
import dis
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("callsite", sys.argv[1])
cs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cs)
cases = {
 "tasks.get(timeout=1)": ("get", ("tasks",), 1.0),
 "out.put(inq.get())": [("get", ("inq",), None), ("put", ("out",), None)],
 "self.q.get()": ("get", ("self", "q"), None),
 "gevent.joinall([a, b])": ("joinall", ("gevent",), None),
 "evt.wait()": ("wait", ("evt",), None),
 "sleep(1)": ("sleep", None, None),
 "x = q.get_nowait()\nnext(it)": [None, None],
 "g.join(timeout=2.5)": ("join", ("g",), 2.5),
 "task = tasks.get(timeout=s(1))": [None, ("get", ("tasks",), None)],
 "gevent.spawn(wait).join()": [None, ("join", None, None)],
 "self.pool.spawn(f, *a)": [None],
 # A conditional expression among the arguments, and calls spread over lines.
 "jobs.put({'id': n} if n != 2 else {'name': n})": "every:put:jobs",
 "gevent.joinall([\n    a,\n    b,\n])": ("joinall", ("gevent",), None),
 "tasks.put(\n    item,\n    timeout=3)": ("put", ("tasks",), 3.0),
 "q.get(timeout=1 if fast else 5)": "every:get:q",
 "x = evt.wait() if ready else None": ("wait", ("evt",), None),
 "out.put(a if b else c, block=True)": "every:put:out",
 "for x in xs:\n    q.put(x)": ("put", ("q",), None),
 "gevent.joinall([gevent.spawn(consumer), gevent.spawn(producer)])": [None, None, ("joinall", ("gevent",), None)],
 "x = m.pool.q.get(block=f(a, b))": [None, ("get", ("m", "pool", "q"), None)],
 "while True:\n    try:\n        t = tasks.get(timeout=2)\n    except Empty:\n        evt.wait()": [("get", ("tasks",), 2.0), ("wait", ("evt",), None)],
 "with lock:\n    out.put(x)": "first:put:out",
}
ok = True
for src, want in cases.items():
    code = compile(src, "<t>", "exec")
    calls = [i for i in dis.get_instructions(code) if i.opname in ("CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW", "CALL_KW", "CALL_FUNCTION_EX")]
    got = []
    for c in calls:
        r = cs._analyse(code, c.offset)
        got.append(None if r is None else (r[0], r[1][1] if r[1] else None, r[2]))
    if isinstance(want, str) and want.startswith("first:"):
        # The calls that leave a with block differ by version: only the first call is the program's.
        _, method, owner = want.split(":")
        exp = [(method, (owner,))]
        got = [g[:2] if g else g for g in got[:1]]
    elif isinstance(want, str):
        # Some compilers copy the call into both branches of a conditional
        # expression: each copy must name the same method and receiver (a
        # constant timeout may differ by branch, and is then right for each).
        _, method, owner = want.split(":")
        exp = [(method, (owner,))] * len(got)
        got = [g[:2] if g else g for g in got]
        if not got:
            got = ["no call found"]
    else:
        exp = want if isinstance(want, list) else [want]
    if got != exp:
        ok = False
        print(sys.version_info[:2], "MISMATCH", repr(src), got, "want", exp)
with_src = "with lock:\n    pass"
code = compile(with_src, "<t>", "exec")
w = [i for i in dis.get_instructions(code) if i.opname in cs.WITH_ENTRY]
r = cs._analyse(code, w[0].offset) if w else None
if not r or r[1][1] != ("lock",):
    ok = False
    print(sys.version_info[:2], "with:", r)
print(sys.version_info[:2], "ok" if ok else "FAILED")
sys.exit(0 if ok else 1)
