"""Started by spawn_children.py with subprocess: N named greenlets, then
what this Python sees of itself (its sitecustomize, its sys.path); with
"fail", an uncaught exception last."""
import os
import sys

import gevent


def work(n):
    gevent.sleep(0.001)
    return n


gs = [gevent.spawn(work, i) for i in range(int(sys.argv[1]))]
for i, g in enumerate(gs):
    g.name = "job-%d" % i
gevent.joinall(gs)

site = sys.modules.get("sitecustomize")
print("child", os.getpid(), "sum", sum(g.value for g in gs), flush=True)
print("child sitecustomize", getattr(site, "__file__", None), flush=True)
print("child path", sys.path, flush=True)
if sys.argv[2:] == ["fail"]:
    raise ValueError("the child fails on purpose")
